#include "ads_client/device_auth.hpp"

#include <charconv>

#include "ads_client/base64.hpp"

namespace ads_client {

namespace {
constexpr std::string_view scheme = "Ayla1.0 ";

std::optional<std::int64_t> parse_seconds(const std::string& text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}
}  // namespace

void device_auth::set_key(std::optional<rsa_key> device_public_key) {
  key_ = std::move(device_public_key);
  token_.clear();
  failures_ = 0;
}

bool device_auth::sign(http_request& request, std::int64_t module_unix_seconds) const {
  if (!token_.empty()) {
    request.headers.emplace_back("x-Ayla-auth-key", std::string(scheme) + token_);
    return true;
  }
  if (!key_) return false;
  const std::string path = request.target.substr(0, request.target.find('?'));
  const std::string claim =
      std::to_string(module_unix_seconds + clock_offset_) + " " + request.method + " " + path;
  auto cipher = key_->encrypt_pkcs1(claim);
  if (!cipher) return false;
  request.headers.emplace_back("x-Ayla-client-auth", std::string(scheme) + base64_encode(*cipher));
  return true;
}

device_auth::verdict device_auth::on_response(const http_response& response, std::int64_t module_unix_seconds) {
  if (auto server_time = response.header("x-ayla-server-time")) {
    if (auto seconds = parse_seconds(*server_time)) clock_offset_ = *seconds - module_unix_seconds;
  }
  if (response.status == 401) {
    token_.clear();
    if (++failures_ < max_failures) return verdict::retry;
    failures_ = 0;  // the caller backs off; a later attempt counts afresh
    return verdict::refused;
  }
  failures_ = 0;
  if (auto token = response.header("x-ayla-auth-key")) {
    std::string value = *token;
    if (value.rfind(scheme, 0) == 0) value.erase(0, scheme.size());
    if (!value.empty()) token_ = value;
  }
  return verdict::accepted;
}

}  // namespace ads_client
