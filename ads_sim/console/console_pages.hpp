#pragma once
// console_pages: answers GET /console/<file> from the embedded assets, with headers that keep the pages to their
// own origin and scripts (a Content-Security-Policy with no inline script), so stored data can't run as code.
#include "ads_sim/http_message.hpp"

namespace ads_sim::console {

http_response serve_page(const http_request& request);

}  // namespace ads_sim::console
