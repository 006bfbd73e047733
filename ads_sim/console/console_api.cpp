#include "ads_sim/console/console_api.hpp"

#include "ads_sim/console/console_auth.hpp"

namespace ads_sim::console {
namespace {

constexpr std::string_view api_prefix = "/api/v1/console/";
constexpr std::string_view pages_prefix = "/console";

}  // namespace

console_api::console_api(store* storage)
    : auth_(storage ? std::make_unique<console_auth>(storage->accounts(), console_settings{}) : nullptr) {}

console_api::~console_api() = default;

bool console_api::serves_page(std::string_view path) { return path == pages_prefix || path.starts_with("/console/"); }

bool console_api::serves_api(std::string_view path) { return path.starts_with(api_prefix); }

// Never cached: an answer shows one account's data.
void console_api::make_private(http_response& response) {
  response.set_header("Cache-Control", "no-store");
  response.set_header("X-Content-Type-Options", "nosniff");
}

}  // namespace ads_sim::console
