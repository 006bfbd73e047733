#include "emulator/cloud_transport.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "ads_client/url.hpp"

namespace sim7600_emu {

std::optional<absolute_url> parse_absolute_url(const std::string& url) {
  const auto parts = ads_client::parse_url(url);
  if (!parts || parts->scheme != "https") return std::nullopt;
  return absolute_url{{parts->host, parts->port}, parts->target};
}

std::optional<service_address> parse_service_url(const std::string& url) {
  auto parsed = parse_absolute_url(url);
  if (!parsed) return std::nullopt;
  return std::move(parsed->address);
}

cloud_transport::cloud_transport(boost::asio::any_io_executor executor, service_address address,
                                 std::string ca_file, std::function<void()> after_completion)
    : executor_(std::move(executor)), address_(std::move(address)), ca_file_(std::move(ca_file)),
      after_completion_(std::move(after_completion)),
      control_(ads_client::https_client::create(executor_, target())),
      poll_(ads_client::https_client::create(executor_, target())),
      download_(ads_client::https_client::create(executor_, target())), ans_(executor_, after_completion_) {}

cloud_transport::~cloud_transport() { disconnect(); }

ads_client::https_target cloud_transport::target() const {
  return ads_client::https_target{address_.host, address_.port, server_name_, ca_file_, address_.source};
}

std::shared_ptr<ads_client::https_client>& cloud_transport::client(apca::cloud_channel channel) {
  switch (channel) {
    case apca::cloud_channel::poll: return poll_;
    case apca::cloud_channel::download: return download_;
    case apca::cloud_channel::control:
    case apca::cloud_channel::image_host: break;  // image hosts have their own clients (send_to_image_host)
  }
  return control_;
}

void cloud_transport::set_server_name(const std::string& host_name) {
  if (host_name == server_name_) return;
  server_name_ = host_name;
  for (auto* client : {&control_, &poll_, &download_}) (*client)->retarget(target());
}

void cloud_transport::request(apca::cloud_request_id id, apca::cloud_channel channel,
                              ads_client::http_request request, std::chrono::milliseconds deadline) {
  // Every answer goes back through here: dropped if the module that asked is gone (a power cut: the next module
  // numbers its requests from 1 again), else handed to the core by id after the latency.
  auto answer = [this, generation = generation_, id](ads_client::http_outcome outcome) {
    if (generation != generation_) return;
    after(fault_ == fault::latency ? latency_ : std::chrono::milliseconds{0},
          [this, generation, id, outcome = std::move(outcome)]() mutable {
            if (generation != generation_ || !answers_) return;
            answers_->on_response(id, std::move(outcome));
            after_completion_();
          });
  };
  switch (fault_) {
    case fault::blackhole:
      after(deadline, [answer] { answer(ads_client::transport_error{"read: timed out"}); });
      return;
    case fault::latency:
      after(latency_, [this, channel, request = std::move(request), deadline, answer]() mutable {
        send_now(channel, std::move(request), deadline, answer);
      });
      return;
    case fault::none: break;
  }
  send_now(channel, std::move(request), deadline, std::move(answer));
}

void cloud_transport::send_now(apca::cloud_channel channel, ads_client::http_request request,
                               std::chrono::milliseconds deadline,
                               std::function<void(ads_client::http_outcome)> done) {
  if (channel == apca::cloud_channel::image_host) return send_to_image_host(std::move(request), deadline, std::move(done));
  client(channel)->request(std::move(request), deadline, std::move(done));
}

void cloud_transport::send_to_image_host(ads_client::http_request request, std::chrono::milliseconds deadline,
                                         std::function<void(ads_client::http_outcome)> done) {
  auto url = parse_absolute_url(request.target);
  if (!url) {
    boost::asio::post(executor_, [done = std::move(done)] { done(ads_client::transport_error{"image url: not https"}); });
    return;
  }
  // The name in the URL is what TLS presents and verifies; the trust is --ads-ca's (the system's by default).
  auto& client = image_hosts_[url->address.host + ":" + url->address.port];
  if (!client) {
    // The service's own host (ads-sim serves its images) is reached from the module's source address too.
    const std::string source = url->address.host == address_.host ? address_.source : std::string();
    client = ads_client::https_client::create(
        executor_, ads_client::https_target{url->address.host, url->address.port, url->address.host, ca_file_, source});
  }
  request.target = std::move(url->target);
  client->request(std::move(request), deadline, std::move(done));
}

void cloud_transport::after(std::chrono::milliseconds delay, std::function<void()> then) {
  if (delay.count() == 0) {
    then();
    return;
  }
  auto timer = std::make_shared<boost::asio::steady_timer>(executor_, delay);
  timer->async_wait([timer, then = std::move(then)](const boost::system::error_code&) { then(); });
}

void cloud_transport::set_fault(fault mode, std::chrono::milliseconds latency) {
  fault_ = mode;
  latency_ = latency;
  ans_.set_blackhole(mode == fault::blackhole);
}

void cloud_transport::forget_requests() {
  ++generation_;
  ans_.close();
  disconnect();
}

void cloud_transport::disconnect() {
  for (auto* client : {&control_, &poll_, &download_}) (*client)->close();
  for (auto& [host, client] : image_hosts_) client->close();
  image_hosts_.clear();
}

}  // namespace sim7600_emu
