#include "emulator/tcp_edge.hpp"

#include <boost/asio/connect.hpp>

namespace sim7600_emu {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

tcp_dialer::tcp_dialer(asio::any_io_executor executor) : resolver_(executor), deadline_(executor) {}

void tcp_dialer::dial(std::shared_ptr<void> owner, tcp::socket& socket, const agent::socket_endpoint& remote, std::chrono::milliseconds timeout,
                      std::function<void(outcome)> done) {
  done_ = std::move(done);
  // Whichever of the deadline and the connect ends first reports; the other finds done_ empty.
  auto report = [this](outcome result) {
    if (!done_) return;
    auto done = std::move(done_);
    done_ = nullptr;
    deadline_.cancel();
    done(result);
  };
  arm(owner, timeout, [report] { report(outcome::timed_out); });
  resolver_.async_resolve(remote.host, std::to_string(remote.port),
                          [this, owner, &socket, report](const error_code& ec, tcp::resolver::results_type results) {
                            if (!done_) return;
                            if (ec) return report(outcome::dns_failed);
                            asio::async_connect(socket, results,
                                                [this, owner, report](const error_code& ec, const tcp::endpoint&) {
                                                  if (!done_) return;
                                                  report(ec ? outcome::connect_failed : outcome::connected);
                                                });
                          });
}

void tcp_dialer::arm(std::shared_ptr<void> owner, std::chrono::milliseconds timeout, std::function<void()> expired) {
  deadline_.expires_after(timeout);
  deadline_.async_wait([owner = std::move(owner), expired = std::move(expired)](const error_code& ec) {
    if (!ec) expired();
  });
}

void tcp_dialer::cancel() {
  done_ = nullptr;
  deadline_.cancel();
  resolver_.cancel();
}

}  // namespace sim7600_emu
