#pragma once
// admin_session: blocking calls to ads-sim's admin API over one kept-alive, certificate-verified HTTPS
// connection (ads_client::https_client on a private io_context), and the files that say where the service is.
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "ads_admin/command_line.hpp"
#include "common/result.hpp"

namespace ads_admin {

// Everything needed to talk to the service.
struct service_endpoint {
  https_url url;
  std::filesystem::path ca_file;
  std::string token;
};

// Reads what the source leaves in files (DIR/url, DIR/ca.pem, DIR/admin-token, --token-file), or says which file is
// missing or malformed. The token never appears in the error.
common::outcome<service_endpoint> resolve_endpoint(const service_source& source);

// One answer of the service.
struct admin_reply {
  int status = 0;              // 0: no HTTP answer (see transport_error)
  std::string transport_error;  // "connect: Connection refused", "handshake: certificate verify failed"...
  nlohmann::json body;          // discarded when the body is not JSON (or empty)
  std::string raw;
  int attempts = 1;  // the calls made for this answer (more than one: call_retrying tried again)

  bool ok() const { return status >= 200 && status < 300; }
  // The service's {"error":...}, else the raw body, else the transport error: what to tell the user.
  std::string failure_reason() const;
};

class admin_session {
 public:
  explicit admin_session(service_endpoint endpoint);
  ~admin_session();
  admin_session(const admin_session&) = delete;
  admin_session& operator=(const admin_session&) = delete;

  // `path` below /api/v1; the body, if any, is sent as JSON.
  admin_reply call(const std::string& method, const std::string& path, const std::optional<nlohmann::json>& body,
                   std::chrono::milliseconds deadline = std::chrono::seconds(60));

  // The same, made again while the service does not answer (admin_retry.hpp): for a caller behind a load balancer
  // whose replica may die under it. A non-idempotent call may then have been carried out by an attempt whose answer
  // was lost (a second start of a job is 409, say): `attempts` counts these calls, but even one call may have been
  // sent twice, since the HTTPS client sends again once on a kept-alive connection that broke before any answer.
  admin_reply call_retrying(const std::string& method, const std::string& path,
                            const std::optional<nlohmann::json>& body);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace ads_admin
