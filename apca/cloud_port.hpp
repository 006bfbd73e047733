#pragma once
// cloud_port: how the APCA core reaches the device service. The core builds and reads HTTP messages (sans-I/O);
// the I/O layer carries them over kept-alive TLS connections to the Ayla host name the core names. A request
// carries an id the core chose; its answer comes back as an event with that id, so the core keeps a table of
// what it asked rather than callbacks, and an answer to an id it no longer knows (asked before a disconnect) is
// simply ignored.
#include <chrono>
#include <cstdint>
#include <string>

#include "ads_client/http_message.hpp"
#include "apca/ports.hpp"

namespace apca {

// Separate connections, so a slow poll or an image download never delays a property send. `image_host`
// requests carry an absolute URL as their target: the I/O layer connects to that URL's host (TLS verified against
// its name), sends the path, and adds nothing of Ayla's (a non-local OTA source, ADA's S3 fetch).
enum class cloud_channel { control, poll, download, image_host };

using cloud_request_id = std::uint64_t;

// The core that asked: it hears every answer, by request id.
class cloud_answers {
 public:
  virtual ~cloud_answers() = default;
  // Called later (never from inside cloud_port::request()) with the response or a transport error.
  virtual void on_response(cloud_request_id id, ads_client::http_outcome outcome) = 0;
};

class cloud_port {
 public:
  virtual ~cloud_port() = default;
  // Where answers go from now on; nullptr: no core listens and answers are dropped.
  virtual void set_answers(cloud_answers* answers) = 0;
  // The Ayla host name to present (SNI, Host:) and verify; changing it drops open connections.
  virtual void set_server_name(const std::string& host_name) = 0;
  virtual void request(cloud_request_id id, cloud_channel channel, ads_client::http_request request,
                       std::chrono::milliseconds deadline) = 0;
  // Drop every connection; pending requests end with a transport error.
  virtual void disconnect() = 0;
  // The UDP path to the service's notifier (ANS) beside the HTTPS connections; nullptr when there is none (the
  // core then only polls).
  virtual udp_port* notifier() { return nullptr; }
};

}  // namespace apca
