#include "ads_sim/ans_listener.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include "common/random_bytes.hpp"

namespace ads_sim {

namespace asio = boost::asio;
using udp = asio::ip::udp;

namespace {

std::string endpoint_text(const udp::endpoint& endpoint) {
  return endpoint.address().to_string() + " " + std::to_string(endpoint.port());
}

std::optional<udp::endpoint> endpoint_of(const std::string& text) {
  const auto space = text.find(' ');
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(text.substr(0, space), ec);
  if (ec || space == std::string::npos) return std::nullopt;
  return udp::endpoint(address, static_cast<std::uint16_t>(std::stoul(text.substr(space + 1))));
}

}  // namespace

common::outcome<std::shared_ptr<ans_listener>> ans_listener::open(asio::io_context& io, const std::string& host,
                                                             std::uint16_t port, ans_core::device_lookup lookup,
                                                             heard_callback heard, blocking_runner run_blocking) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) return common::failure{"ANS needs an IP address, not " + host};
  auto opened = std::make_shared<ans_listener>(io, std::move(lookup), std::move(heard), std::move(run_blocking));
  opened->socket_.open(address.is_v6() ? udp::v6() : udp::v4(), ec);
  if (!ec) opened->socket_.bind(udp::endpoint(address, port), ec);
  if (ec) return common::failure{"cannot bind ANS on " + host + ":" + std::to_string(port) + ": " + ec.message()};
  opened->port_ = opened->socket_.local_endpoint().port();
  return opened;
}

ans_listener::ans_listener(asio::io_context& io, ans_core::device_lookup lookup, heard_callback heard,
                           blocking_runner run_blocking)
    : socket_(asio::make_strand(io)),
      core_(std::move(lookup), [](std::size_t count) { return common::random_bytes(count); }),
      heard_(std::move(heard)),
      run_blocking_(std::move(run_blocking)) {}

std::uint32_t ans_listener::now_ms() const {
  return static_cast<std::uint32_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - epoch_).count());
}

void ans_listener::start() { asio::post(socket_.get_executor(), [self = shared_from_this()] { self->do_receive(); }); }

void ans_listener::stop() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->socket_.close(ignored);
  });
}

void ans_listener::do_receive() {
  socket_.async_receive_from(asio::buffer(buffer_), sender_,
                             [self = shared_from_this()](boost::system::error_code ec, std::size_t size) {
                               if (ec == asio::error::operation_aborted || !self->socket_.is_open()) return;
                               if (!ec) {
                                 std::string packet(self->buffer_.data(), size);
                                 std::string from = endpoint_text(self->sender_);
                                 // Only a registration looks its device up (keep-alives carry their key).
                                 const bool registration = !ads_client::ans::peek_reg_key(packet);
                                 if (registration && self->run_blocking_)
                                   self->run_blocking_([self, packet = std::move(packet), from = std::move(from)] {
                                     self->on_packet(packet, from);
                                   });
                                 else
                                   self->on_packet(packet, from);
                               }
                               self->do_receive();
                             });
}

void ans_listener::on_packet(const std::string& packet, const std::string& from) {
  std::optional<datagram> answer;
  std::optional<ans_core::heard> heard;
  {
    std::lock_guard lock(mutex_);
    answer = core_.receive(packet, from, now_ms());
    heard = core_.take_heard();
  }
  if (answer) send(std::move(*answer));
  // Unlocked: the callback takes the service core's lock, and the device lookup inside receive() takes it under
  // ours. On the strand, whichever thread this ran on.
  if (heard && heard_)
    asio::dispatch(socket_.get_executor(), [self = shared_from_this(), heard = *heard] { self->heard_(heard); });
}

void ans_listener::notify(std::int64_t device_key) {
  std::vector<datagram> events;
  {
    std::lock_guard lock(mutex_);
    events = core_.notify(device_key, now_ms());
  }
  for (auto& event : events) send(std::move(event));
}

void ans_listener::notify_all() {
  std::vector<datagram> events;
  {
    std::lock_guard lock(mutex_);
    events = core_.notify_all(now_ms());
  }
  for (auto& event : events) send(std::move(event));
}

void ans_listener::send(datagram packet) {
  asio::post(socket_.get_executor(), [self = shared_from_this(), packet = std::move(packet)] {
    const auto to = endpoint_of(packet.to);
    if (!to || !self->socket_.is_open()) return;
    auto bytes = std::make_shared<std::string>(packet.bytes);
    // A lost datagram is the protocol's to recover (keep-alives, polling), not ours.
    self->socket_.async_send_to(asio::buffer(*bytes), *to, [bytes](boost::system::error_code, std::size_t) {});
  });
}

}  // namespace ads_sim
