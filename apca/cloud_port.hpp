#pragma once
// cloud_port: how the APCA core reaches the device service. The core builds and reads HTTP messages (sans-I/O);
// the I/O layer carries them over kept-alive TLS connections to the Ayla host name the core names.
#include <chrono>
#include <functional>
#include <string>

#include "ads_client/http_message.hpp"

namespace apca {

// Separate connections, so a held long poll or an image download never delays a property send. `image_host`
// requests carry an absolute URL as their target: the I/O layer connects to that URL's host (TLS verified against
// its name), sends the path, and adds nothing of Ayla's (a non-local OTA source, ADA's S3 fetch).
enum class cloud_channel { control, poll, download, image_host };

class cloud_port {
 public:
  virtual ~cloud_port() = default;
  // The Ayla host name to present (SNI, Host:) and verify; changing it drops open connections.
  virtual void set_server_name(const std::string& host_name) = 0;
  // `done` is called later (never from inside request()) with the response or a transport error.
  virtual void request(cloud_channel channel, ads_client::http_request request, std::chrono::milliseconds deadline,
                       std::function<void(ads_client::http_outcome)> done) = 0;
  // Drop both connections; pending requests end with a transport error.
  virtual void disconnect() = 0;
};

}  // namespace apca
