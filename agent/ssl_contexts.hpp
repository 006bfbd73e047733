#pragma once
// ssl_contexts: the ten SSL contexts of AT+CSSLCFG (the TLS version, how the peer is authenticated, which
// downloaded certificates and key to use, SNI) that AT+CCHSSLCFG names for a secure session. Volatile, as the
// manual marks no saving for them: a reboot restores the defaults.
#include <array>
#include <string>

#include "agent/command_table.hpp"

namespace agent {

struct ssl_context {
  // The manual's values.
  enum class version { ssl3 = 0, tls1_0 = 1, tls1_1 = 2, tls1_2 = 3, any = 4 };
  enum class auth { none = 0, server = 1, server_and_client = 2, client = 3 };

  version ssl_version = version::any;
  auth auth_mode = auth::none;
  bool ignore_local_time = true;  // the module's clock is not used to check certificate dates
  int negotiate_seconds = 300;    // the handshake's deadline
  std::string ca_cert;            // names in the certificate store (AT+CCERTDOWN)
  std::string client_cert;
  std::string client_key;
  bool sni = false;  // enableSNI (the manual's default: off)

  bool verifies_server() const { return auth_mode == auth::server || auth_mode == auth::server_and_client; }
  bool presents_client_cert() const { return auth_mode == auth::server_and_client || auth_mode == auth::client; }
  bool operator==(const ssl_context&) const = default;
};

class ssl_contexts {
 public:
  static constexpr int count = 10;  // <ssl_ctx_index> 0-9

  void add_to(command_table& table);
  void power_cycle() { contexts_ = {}; }
  const ssl_context& at(int index) const { return contexts_[static_cast<std::size_t>(index)]; }

 private:
  command_result read_all() const;
  command_result configure(const at_params& params);
  std::string shown(int index) const;  // one context's read line

  std::array<ssl_context, count> contexts_{};
};

}  // namespace agent
