#include "agent/ssl_contexts.hpp"

#include <algorithm>
#include <cctype>

#include "agent/at_args.hpp"
#include "agent/cert_store.hpp"
#include "apca/ada_text.hpp"

namespace agent {
namespace {

// The settings AT+CSSLCFG names, as the host writes them (compared case-insensitively, upper-cased here).
const std::vector<std::string> setting_names = {"SSLVERSION", "AUTHMODE",   "IGNORELOCALTIME", "NEGOTIATETIME",
                                                "CACERT",     "CLIENTCERT", "CLIENTKEY",       "ENABLESNI"};

std::optional<int> number_in(const std::string& text, int low, int high) {
  const auto value = parse_at_number(text);
  if (!value || *value < low || *value > high) return std::nullopt;
  return static_cast<int>(*value);
}

}  // namespace

void ssl_contexts::add_to(command_table& table) {
  table.add({.name = "+CSSLCFG",
             .test = answer({"+CSSLCFG: \"sslversion\",(0-9),(0-4)", "+CSSLCFG: \"authmode\",(0-9),(0-3)",
                             "+CSSLCFG: \"ignorelocaltime\",(0-9),(0-1)", "+CSSLCFG: \"negotiatetime\",(0-9),(10-300)",
                             "+CSSLCFG: \"cacert\",(0-9),(5-" + std::to_string(cert_store::max_name) + ")",
                             "+CSSLCFG: \"clientcert\",(0-9),(5-" + std::to_string(cert_store::max_name) + ")",
                             "+CSSLCFG: \"clientkey\",(0-9),(5-" + std::to_string(cert_store::max_name) + ")",
                             "+CSSLCFG: \"enableSNI\",(0-9),(0-1)"}),
             .read = handler(*this, &ssl_contexts::read_all),
             .set = handler(*this, &ssl_contexts::configure),
             .set_args = {text(16), optional(integer(0, count - 1)), optional(text(cert_store::max_name))}});
}

std::string ssl_contexts::shown(int index) const {
  const ssl_context& c = at(index);
  return "+CSSLCFG: " + std::to_string(index) + "," + std::to_string(static_cast<int>(c.ssl_version)) + "," +
         std::to_string(static_cast<int>(c.auth_mode)) + "," + (c.ignore_local_time ? "1" : "0") + "," +
         std::to_string(c.negotiate_seconds) + "," + apca::quote_at_string(c.ca_cert) + "," +
         apca::quote_at_string(c.client_cert) + "," + apca::quote_at_string(c.client_key);
}

command_result ssl_contexts::read_all() const {
  std::vector<std::string> lines;
  for (int i = 0; i < count; ++i) lines.push_back(shown(i));
  return command_result::ok(std::move(lines));
}

command_result ssl_contexts::configure(const at_params& params) {
  // AT+CSSLCFG=<ssl_ctx_index>: that context's settings.
  if (auto index = number_in(params.text(0), 0, count - 1)) {
    if (params.count() > 1) return command_result::error();
    return command_result::ok({shown(*index)});
  }
  std::string name = params.text(0);
  for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const auto known = std::find(setting_names.begin(), setting_names.end(), name);
  if (known == setting_names.end() || !params.has(1) || !params.has(2)) return command_result::error();
  ssl_context& c = contexts_[static_cast<std::size_t>(params.integer(1))];
  const std::string& value = params.text(2);
  auto set_number = [&value](int low, int high, auto apply) {
    const auto n = number_in(value, low, high);
    if (!n) return command_result::error();
    apply(*n);
    return command_result::ok();
  };
  auto set_name = [&value](std::string& target) {
    if (!cert_store::valid_name(value)) return command_result::error();
    target = value;
    return command_result::ok();
  };
  switch (known - setting_names.begin()) {
    case 0: return set_number(0, 4, [&c](int n) { c.ssl_version = static_cast<ssl_context::version>(n); });
    case 1: return set_number(0, 3, [&c](int n) { c.auth_mode = static_cast<ssl_context::auth>(n); });
    case 2: return set_number(0, 1, [&c](int n) { c.ignore_local_time = n == 1; });
    case 3: return set_number(10, 300, [&c](int n) { c.negotiate_seconds = n; });
    case 4: return set_name(c.ca_cert);
    case 5: return set_name(c.client_cert);
    case 6: return set_name(c.client_key);
    default: return set_number(0, 1, [&c](int n) { c.sni = n == 1; });
  }
}

}  // namespace agent
