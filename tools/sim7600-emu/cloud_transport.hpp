#pragma once
// cloud_transport: the APCA core's cloud_port over real HTTPS — one kept-alive https_client per channel, all
// connecting to the --ads-url address and verifying the Ayla host name the core names.
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "ads_client/https_client.hpp"
#include "apca/cloud_port.hpp"

namespace sim7600_emu {

struct service_address {
  std::string host;
  std::string port;
};

// "https://HOST[:PORT][/...]" → host and port (443 by default); nullopt for anything else.
std::optional<service_address> parse_service_url(const std::string& url);

class cloud_transport final : public apca::cloud_port {
 public:
  // `after_completion` runs after every completion handler, so the runtime can deliver the output it caused.
  cloud_transport(boost::asio::any_io_executor executor, service_address address, std::string ca_file,
                  std::function<void()> after_completion);
  ~cloud_transport() override;

  void set_server_name(const std::string& host_name) override;
  void request(apca::cloud_channel channel, ads_client::http_request request, std::chrono::milliseconds deadline,
               std::function<void(ads_client::http_outcome)> done) override;
  void disconnect() override;

 private:
  ads_client::https_target target() const;
  std::shared_ptr<ads_client::https_client>& client(apca::cloud_channel channel);

  boost::asio::any_io_executor executor_;
  service_address address_;
  std::string ca_file_;
  std::string server_name_;
  std::function<void()> after_completion_;
  std::shared_ptr<ads_client::https_client> control_;
  std::shared_ptr<ads_client::https_client> poll_;
  std::shared_ptr<ads_client::https_client> download_;
};

}  // namespace sim7600_emu
