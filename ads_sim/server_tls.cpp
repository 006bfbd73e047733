#include "ads_sim/server_tls.hpp"

namespace ads_sim {

namespace ssl = boost::asio::ssl;

std::optional<std::string> configure_server_tls(ssl::context& context, const tls_files& files) {
  boost::system::error_code ec;
  context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                      ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
  context.use_certificate_chain_file(files.server_cert.string(), ec);
  if (!ec) context.use_private_key_file(files.server_key.string(), ssl::context::pem, ec);
  if (ec) return "TLS setup: " + ec.message();
  return std::nullopt;
}

}  // namespace ads_sim
