#pragma once
// embedded_assets: the console's files (its own pages and the Debian-packaged Bootstrap and Chart.js), turned into
// a generated source at build time (embed_assets.cmake), so the binary serves them with nothing fetched at run time.
#include <span>
#include <string_view>

namespace ads_sim::console {

struct embedded_asset {
  std::string_view name;  // the path below /console/
  std::string_view bytes;
};

std::span<const embedded_asset> embedded_assets();

}  // namespace ads_sim::console
