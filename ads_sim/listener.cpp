#include "ads_sim/listener.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <vector>

#include "ads_sim/https_session.hpp"

namespace ads_sim {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr auto accept_retry_delay = std::chrono::milliseconds(100);

}  // namespace

common::outcome<std::shared_ptr<listener>> listener::open(asio::io_context& io, const std::string& host,
                                                     std::uint16_t port, std::shared_ptr<connection_context> context,
                                                     served_part part) {
  boost::system::error_code ec;
  tcp::endpoint endpoint;
  const auto address = asio::ip::make_address(host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, port);
  } else {
    tcp::resolver resolver(io);
    const auto results = resolver.resolve(host, std::to_string(port), ec);
    if (ec || results.empty()) return common::failure{"cannot resolve " + host};
    endpoint = results.begin()->endpoint();
  }
  auto opened = std::make_shared<listener>(io, std::move(context), part);
  auto& acceptor = opened->acceptor_;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return common::failure{"cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message()};
  opened->port_ = acceptor.local_endpoint().port();
  return opened;
}

listener::listener(asio::io_context& io, std::shared_ptr<connection_context> context, served_part part)
    : io_(io), context_(std::move(context)), acceptor_(asio::make_strand(io)), part_(part) {}

void listener::start() { do_accept(); }

void listener::do_accept() {
  acceptor_.async_accept(asio::make_strand(io_), [self = shared_from_this()](boost::system::error_code ec,
                                                                             tcp::socket socket) {
    self->on_accept(ec, std::move(socket));
  });
}

void listener::on_accept(boost::system::error_code ec, tcp::socket socket) {
  std::unique_lock lock(mutex_);
  if (ec == asio::error::operation_aborted || stopped_) return;
  if (ec) {
    lock.unlock();
    // Out of descriptors and the like: retry shortly rather than spin on the failing accept.
    if (context_->log) context_->log("ads-sim: accept: " + ec.message());
    auto timer = std::make_shared<asio::steady_timer>(acceptor_.get_executor(), accept_retry_delay);
    timer->async_wait([self = shared_from_this(), timer](boost::system::error_code) { self->do_accept(); });
    return;
  }
  // Answers go out whole at once: without this, Nagle holds a large answer's last segment for the client's
  // delayed ACK (40 ms per image range).
  socket.set_option(tcp::no_delay(true), ec);
  std::erase_if(sessions_, [](const std::weak_ptr<https_session>& s) { return s.expired(); });
  if (sessions_.size() >= context_->limits.max_connections) {
    lock.unlock();
    // Refused rather than queued: a client sees its handshake fail at once instead of hanging.
    if (context_->log)
      context_->log("ads-sim: connection refused: " + std::to_string(context_->limits.max_connections) +
                    " connections open");
    socket.close(ec);
    return do_accept();
  }
  auto connection = std::make_shared<https_session>(std::move(socket), context_, part_);
  sessions_.insert(connection);
  lock.unlock();
  connection->run();
  do_accept();
}

void listener::stop() {
  std::vector<std::shared_ptr<https_session>> open;
  {
    std::lock_guard lock(mutex_);
    if (stopped_) return;
    stopped_ = true;
    for (const auto& weak : sessions_)
      if (auto s = weak.lock()) open.push_back(std::move(s));
    sessions_.clear();
  }
  asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
  });
  for (const auto& s : open) s->close();
}

}  // namespace ads_sim
