#pragma once
// cloud_transport: the APCA core's cloud_port over real HTTPS — one kept-alive https_client per channel, all
// connecting to the --ads-url address and verifying the Ayla host name the core names; image_host requests go to
// the host their absolute URL names (one client per host:port), verified against that name with the same trust —
// and UDP to the notifier.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <cstdint>

#include <boost/asio/any_io_executor.hpp>

#include "ads_client/https_client.hpp"
#include "apca/cloud_port.hpp"
#include "emulator/ans_transport.hpp"

namespace sim7600_emu {

struct service_address {
  std::string host;
  std::string port;
  std::string source{};  // the local address to connect from (a fleet spreads its modules over several); "": any
};

// "https://HOST[:PORT][/...]" → host and port (443 by default); nullopt for anything else.
std::optional<service_address> parse_service_url(const std::string& url);

// An absolute "https://HOST[:PORT]/PATH" split into where to connect and the origin-form target to send.
struct absolute_url {
  service_address address;
  std::string target;  // "/PATH..." (with its query)
};
std::optional<absolute_url> parse_absolute_url(const std::string& url);

class cloud_transport final : public apca::cloud_port {
 public:
  // `after_completion` runs after every completion handler, so the runtime can deliver the output it caused.
  cloud_transport(boost::asio::any_io_executor executor, service_address address, std::string ca_file,
                  std::function<void()> after_completion);
  ~cloud_transport() override;

  void set_answers(apca::cloud_answers* answers) override { answers_ = answers; }
  void set_server_name(const std::string& host_name) override;
  void request(apca::cloud_request_id id, apca::cloud_channel channel, ads_client::http_request request,
               std::chrono::milliseconds deadline) override;
  void disconnect() override;
  apca::udp_port* notifier() override { return &ans_; }

  // Faults a test injects (control API `cloud`): every request then gets no answer until its deadline
  // (blackhole), or waits `latency` before it goes and again before its answer is handed back.
  enum class fault { none, blackhole, latency };
  void set_fault(fault mode, std::chrono::milliseconds latency = {});
  fault current_fault() const { return fault_; }
  std::chrono::milliseconds latency() const { return latency_; }
  // The module is gone (power cut): answers still in flight are dropped unseen, connections closed.
  void forget_requests();

 private:
  void send_now(apca::cloud_channel channel, ads_client::http_request request, std::chrono::milliseconds deadline,
                std::function<void(ads_client::http_outcome)> done);
  // Runs `then` after `delay` on the executor (at once when delay is 0).
  void after(std::chrono::milliseconds delay, std::function<void()> then);

  ads_client::https_target target() const;
  std::shared_ptr<ads_client::https_client>& client(apca::cloud_channel channel);
  // An image_host request: to the host its URL names, as the URL's path; a URL that is not https fails.
  void send_to_image_host(ads_client::http_request request, std::chrono::milliseconds deadline,
                          std::function<void(ads_client::http_outcome)> done);

  boost::asio::any_io_executor executor_;
  service_address address_;
  std::string ca_file_;
  std::string server_name_;
  std::function<void()> after_completion_;
  apca::cloud_answers* answers_ = nullptr;
  std::shared_ptr<ads_client::https_client> control_;
  std::shared_ptr<ads_client::https_client> poll_;
  std::shared_ptr<ads_client::https_client> download_;
  std::map<std::string, std::shared_ptr<ads_client::https_client>> image_hosts_;  // by "host:port"
  ans_transport ans_;
  fault fault_ = fault::none;
  std::chrono::milliseconds latency_{0};
  std::uint64_t generation_ = 0;  // bumped by forget_requests(): older completions are dropped
};

}  // namespace sim7600_emu
