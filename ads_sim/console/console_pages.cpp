#include "ads_sim/console/console_pages.hpp"

#include <array>
#include <utility>

#include "ads_sim/console/embedded_assets.hpp"

namespace ads_sim::console {
namespace {

constexpr std::string_view content_security_policy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

constexpr std::array<std::pair<std::string_view, std::string_view>, 5> content_types = {{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
}};

std::string_view content_type_of(std::string_view name) {
  for (const auto& [suffix, type] : content_types)
    if (name.ends_with(suffix)) return type;
  return "application/octet-stream";
}

}  // namespace

http_response serve_page(const http_request& request) {
  const std::string_view path = request.path();
  if (path == "/console") {
    auto moved = empty_response(301);
    moved.set_header("Location", "/console/");
    return moved;
  }
  if (request.method != "GET" && request.method != "HEAD") return error_response(405, "method not allowed");
  std::string_view name = path.substr(std::string_view("/console/").size());
  if (name.empty()) name = "index.html";
  for (const auto& asset : embedded_assets()) {
    if (asset.name != name) continue;
    http_response response;
    response.body = std::string(asset.bytes);
    response.set_header("Content-Type", std::string(content_type_of(name)));
    response.set_header("Content-Security-Policy", std::string(content_security_policy));
    response.set_header("X-Content-Type-Options", "nosniff");
    response.set_header("Referrer-Policy", "no-referrer");
    response.set_header("X-Frame-Options", "DENY");
    response.set_header("Cache-Control", "no-cache");
    return response;
  }
  return error_response(404, "no such page");
}

}  // namespace ads_sim::console
