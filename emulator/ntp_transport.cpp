#include "emulator/ntp_transport.hpp"

namespace sim7600_emu {

namespace asio = boost::asio;
using asio::ip::udp;
using boost::system::error_code;

namespace {
constexpr std::size_t max_answer = 1024;
}

ntp_transport::ntp_transport(asio::any_io_executor executor, std::uint16_t server_port,
                             std::function<agent::ntp_client*()> client, std::function<void()> after_event)
    : executor_(executor),
      server_port_(server_port),
      client_(std::move(client)),
      after_event_(std::move(after_event)),
      socket_(executor),
      resolver_(executor) {}

ntp_transport::~ntp_transport() { stop(); }

void ntp_transport::ask(std::uint64_t query, std::string host, std::string request) {
  stop();
  query_ = query;
  const std::uint64_t generation = generation_;
  resolver_.async_resolve(udp::v4(), host, std::to_string(server_port_),
                          [this, generation, request = std::move(request)](
                              const error_code& ec, const udp::resolver::results_type& found) mutable {
                            if (generation != generation_) return;
                            if (ec || found.empty()) {
                              return report([query = query_](agent::ntp_client& c) { c.on_unreachable(query); });
                            }
                            on_resolved(generation, found.begin()->endpoint(), std::move(request));
                          });
}

void ntp_transport::on_resolved(std::uint64_t generation, const udp::endpoint& server, std::string request) {
  error_code ec;
  socket_.open(udp::v4(), ec);
  if (!ec) socket_.bind(udp::endpoint(udp::v4(), 0), ec);
  if (ec) return report([query = query_](agent::ntp_client& c) { c.on_unreachable(query); });
  server_ = server;
  request_ = std::move(request);
  buffer_.resize(max_answer);
  socket_.async_send_to(asio::buffer(request_), server_, [this, generation](const error_code& ec, std::size_t) {
    if (generation != generation_ || !ec) return;
    report([query = query_](agent::ntp_client& c) { c.on_unreachable(query); });
  });
  do_receive(generation);
}

void ntp_transport::do_receive(std::uint64_t generation) {
  socket_.async_receive_from(asio::buffer(buffer_), sender_, [this, generation](const error_code& ec, std::size_t n) {
    if (generation != generation_) return;
    if (ec) {
      if (ec == asio::error::operation_aborted || !socket_.is_open()) return;
      return do_receive(generation);  // e.g. an ICMP error from the send: the client's answer wait covers it
    }
    // Only the server asked may answer (RFC 4330 §5); anything else on the port is dropped.
    if (sender_ == server_) {
      report([query = query_, bytes = std::string(buffer_.data(), n)](agent::ntp_client& c) {
        c.on_answer(query, bytes);
      });
    }
    if (generation == generation_) do_receive(generation);
  });
}

void ntp_transport::stop() {
  ++generation_;
  resolver_.cancel();
  error_code ignored;
  socket_.close(ignored);
  request_ = {};
  buffer_ = {};
}

void ntp_transport::report(const std::function<void(agent::ntp_client&)>& event) {
  if (agent::ntp_client* client = client_()) event(*client);
  after_event_();
}

}  // namespace sim7600_emu
