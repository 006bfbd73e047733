#include "tools/sim7600-emu/cloud_transport.hpp"

namespace sim7600_emu {

std::optional<service_address> parse_service_url(const std::string& url) {
  const std::string scheme = "https://";
  if (url.rfind(scheme, 0) != 0) return std::nullopt;
  std::string authority = url.substr(scheme.size());
  authority = authority.substr(0, authority.find('/'));
  if (authority.empty()) return std::nullopt;
  service_address address{authority, "443"};
  if (authority.front() == '[') {  // [IPv6]:port
    const auto close = authority.find(']');
    if (close == std::string::npos) return std::nullopt;
    address.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return std::nullopt;
      address.port = authority.substr(close + 2);
    }
  } else if (const auto colon = authority.rfind(':'); colon != std::string::npos) {
    address.host = authority.substr(0, colon);
    address.port = authority.substr(colon + 1);
  }
  if (address.host.empty() || address.port.empty() ||
      address.port.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return address;
}

cloud_transport::cloud_transport(boost::asio::any_io_executor executor, service_address address,
                                 std::string ca_file, std::function<void()> after_completion)
    : executor_(std::move(executor)), address_(std::move(address)), ca_file_(std::move(ca_file)),
      after_completion_(std::move(after_completion)),
      control_(ads_client::https_client::create(executor_, target())),
      poll_(ads_client::https_client::create(executor_, target())),
      download_(ads_client::https_client::create(executor_, target())) {}

cloud_transport::~cloud_transport() { disconnect(); }

ads_client::https_target cloud_transport::target() const {
  return ads_client::https_target{address_.host, address_.port, server_name_, ca_file_};
}

std::shared_ptr<ads_client::https_client>& cloud_transport::client(apca::cloud_channel channel) {
  switch (channel) {
    case apca::cloud_channel::poll: return poll_;
    case apca::cloud_channel::download: return download_;
    case apca::cloud_channel::control: break;
  }
  return control_;
}

void cloud_transport::set_server_name(const std::string& host_name) {
  if (host_name == server_name_) return;
  server_name_ = host_name;
  for (auto* client : {&control_, &poll_, &download_}) (*client)->retarget(target());
}

void cloud_transport::request(apca::cloud_channel channel, ads_client::http_request request,
                              std::chrono::milliseconds deadline,
                              std::function<void(ads_client::http_outcome)> done) {
  client(channel)->request(std::move(request), deadline,
                           [done = std::move(done), after = after_completion_](ads_client::http_outcome outcome) {
                             done(std::move(outcome));
                             after();
                           });
}

void cloud_transport::disconnect() {
  for (auto* client : {&control_, &poll_, &download_}) (*client)->close();
}

}  // namespace sim7600_emu
