#include "emulator/ans_transport.hpp"

#include <memory>

namespace sim7600_emu {

namespace asio = boost::asio;
using asio::ip::udp;
using boost::system::error_code;

namespace {
constexpr std::size_t max_unsent = 4;  // the core resends on its own timer; older ones are stale anyway
}

ans_transport::ans_transport(asio::any_io_executor executor, std::function<void()> after_receive)
    : executor_(executor), after_receive_(std::move(after_receive)), socket_(executor), resolver_(executor) {}

ans_transport::~ans_transport() { close(); }

void ans_transport::open(const std::string& host, std::uint16_t port) {
  close();
  const std::uint64_t generation = generation_;
  error_code ec;
  socket_.open(udp::v4(), ec);
  if (!ec) socket_.bind(udp::endpoint(udp::v4(), 0), ec);
  if (ec) return;  // nothing will answer: the core's answer wait sees ANS as unreachable
  resolver_.async_resolve(udp::v4(), host, std::to_string(port),
                          [this, generation](const error_code& ec, const udp::resolver::results_type& found) {
                            if (ec || generation != generation_ || found.empty()) return;
                            peer_ = found.begin()->endpoint();
                            resolved_ = true;
                            while (!unsent_.empty()) {
                              send_now(std::move(unsent_.front()));
                              unsent_.pop_front();
                            }
                          });
  do_receive(generation);
}

void ans_transport::send(std::string datagram) {
  if (blackhole_ || !socket_.is_open()) return;
  if (!resolved_) {
    if (unsent_.size() == max_unsent) unsent_.pop_front();
    unsent_.push_back(std::move(datagram));
    return;
  }
  send_now(std::move(datagram));
}

void ans_transport::send_now(std::string datagram) {
  auto bytes = std::make_shared<std::string>(std::move(datagram));
  socket_.async_send_to(asio::buffer(*bytes), peer_, [bytes](const error_code&, std::size_t) {});
}

void ans_transport::do_receive(std::uint64_t generation) {
  socket_.async_receive_from(asio::buffer(buffer_), sender_, [this, generation](const error_code& ec, std::size_t n) {
    if (generation != generation_) return;
    if (ec) {
      if (ec == asio::error::operation_aborted || !socket_.is_open()) return;
      return do_receive(generation);  // e.g. ICMP port unreachable from an earlier send: keep listening
    }
    if (resolved_ && sender_ == peer_ && !blackhole_ && receiver_) {
      receiver_->on_datagram(std::string_view(buffer_.data(), n));
      after_receive_();
    }
    if (generation == generation_) do_receive(generation);
  });
}

void ans_transport::close() {
  ++generation_;
  resolver_.cancel();
  error_code ignored;
  socket_.close(ignored);
  resolved_ = false;
  unsent_.clear();
}

}  // namespace sim7600_emu
