#pragma once
// client_tls_context: the TLS client context (trusted CAs, peer verification, TLS 1.2+) shared by every connection
// of the process that trusts the same CA file — one SSL_CTX for one module or for a fleet of thousands, instead of
// a copy of the CA store per connection. Thread-safe; a CA file changed on disk (size or time) gets a new context.
#include <memory>
#include <string>

#include <boost/asio/ssl/context.hpp>

#include "common/result.hpp"

namespace ads_client {

// The shared context for `ca_file` (empty: the system's trust store), or why the file cannot serve as trusted CAs.
common::outcome<std::shared_ptr<boost::asio::ssl::context>> client_tls_context(const std::string& ca_file);

}  // namespace ads_client
