#pragma once
// device_auth: the device side of Ayla's request authentication (SPEC §4), sans-I/O. The first request carries
// x-Ayla-client-auth (the module's time, method and path RSA-encrypted with the device public key); the service
// answers a token used by later requests. A 401 drops the token and corrects the module's clock from the
// service's x-Ayla-server-time; repeated refusals mean the credentials are wrong.
#include <cstdint>
#include <optional>
#include <string>

#include "ads_client/http_message.hpp"
#include "ads_client/rsa_key.hpp"

namespace ads_client {

class device_auth {
 public:
  enum class verdict {
    accepted,  // not an auth failure: use the response
    retry,     // 401: token dropped, clock corrected; send the request again
    refused,   // max_failures 401s in a row: the device key (or DSN) is wrong
  };
  static constexpr int max_failures = 3;

  void set_key(std::optional<rsa_key> device_public_key);
  // Adds the token header, or the client-auth header when there is no token. False if that cannot be built.
  bool sign(http_request& request, std::int64_t module_unix_seconds) const;
  verdict on_response(const http_response& response, std::int64_t module_unix_seconds);
  // Seconds to add to the module clock to get the service's clock (learnt from x-Ayla-server-time).
  std::int64_t clock_offset() const { return clock_offset_; }
  bool has_token() const { return !token_.empty(); }

 private:
  std::optional<rsa_key> key_;
  std::string token_;
  std::int64_t clock_offset_ = 0;
  int failures_ = 0;
};

}  // namespace ads_client
