#pragma once
// server_tls: the TLS settings of ads-sim's listener — TLS 1.2 or later, its server certificate chain and key.
#include <boost/asio/ssl/context.hpp>
#include <optional>
#include <string>

#include "ads_sim/tls_material.hpp"

namespace ads_sim {

// Configures `context` with `files`; the reason on failure.
std::optional<std::string> configure_server_tls(boost::asio::ssl::context& context, const tls_files& files);

}  // namespace ads_sim
