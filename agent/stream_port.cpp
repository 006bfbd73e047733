#include "agent/stream_port.hpp"

#include "agent/cert_store.hpp"

namespace agent {

std::optional<tls_setup> tls_setup_for(const ssl_context& context, const cert_store& certs, const std::string& host) {
  tls_setup tls{.version = context.ssl_version,
                .verify_server = context.verifies_server(),
                .handshake_timeout = std::chrono::seconds(context.negotiate_seconds)};
  if (tls.verify_server) {
    auto ca = certs.read(context.ca_cert);
    if (!ca) return std::nullopt;
    tls.ca_pem = std::move(*ca);
  }
  if (context.presents_client_cert()) {
    auto cert = certs.read(context.client_cert);
    auto key = certs.read(context.client_key);
    if (!cert || !key) return std::nullopt;
    tls.client_cert = std::move(*cert);
    tls.client_key = std::move(*key);
  }
  if (context.sni) tls.sni = host;
  return tls;
}

}  // namespace agent
