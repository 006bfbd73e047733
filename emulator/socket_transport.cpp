#include "emulator/socket_transport.hpp"

#include <array>
#include <deque>

#include <boost/asio/ip/udp.hpp>
#include <boost/asio/write.hpp>

namespace sim7600_emu {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;
using boost::system::error_code;
using agent::ip_error;

namespace {
// One read: the manual's largest packet, so +RECEIVE chunks look as a real module's do.
constexpr std::size_t read_chunk = 1500;
constexpr std::size_t max_datagram = 65536;
}  // namespace

// One socket of the core, TCP or UDP. Handlers hold it alive; a closed one reports nothing more.
class socket_transport::connection : public std::enable_shared_from_this<connection> {
 public:
  connection(socket_transport& owner, agent::socket_id id, agent::socket_protocol protocol)
      : owner_(owner), id_(id), protocol_(protocol), tcp_(owner.executor_), udp_(owner.executor_),
        dialer_(owner.executor_) {}

  void open_tcp(agent::socket_endpoint remote, std::chrono::milliseconds timeout) {
    dialer_.dial(shared_from_this(), tcp_, remote, timeout, [self = shared_from_this()](tcp_dialer::outcome outcome) {
      switch (outcome) {
        case tcp_dialer::outcome::connected: return self->finish_open(ip_error::none);
        case tcp_dialer::outcome::dns_failed: return self->finish_open(ip_error::dns_failed);
        case tcp_dialer::outcome::connect_failed: return self->finish_open(ip_error::network_failure);
        case tcp_dialer::outcome::timed_out: return self->finish_open(ip_error::timeout);
      }
    });
  }

  void open_udp(std::uint16_t local_port) {
    error_code ec;
    udp_.open(udp::v4(), ec);
    if (!ec) udp_.bind(udp::endpoint(udp::v4(), local_port), ec);
    // Reported from the loop, never from inside the command that asked.
    asio::post(owner_.executor_, [self = shared_from_this(), ec] {
      if (self->state_ == phase::opening) self->finish_open(ec ? ip_error::bind_failed : ip_error::none);
    });
  }

  void send(std::string bytes, std::optional<agent::socket_endpoint> to) {
    writes_.push_back({std::move(bytes), std::move(to)});
    if (writes_.size() == 1 && state_ == phase::open) write_next();
  }

  void resume() {
    if (state_ == phase::open && !reading_) read_next();
  }

  void close() {
    state_ = phase::closed;
    error_code ignored;
    dialer_.cancel();
    tcp_.close(ignored);
    udp_.close(ignored);
  }

 private:
  enum class phase { opening, open, closed };
  struct pending_write {
    std::string bytes;
    std::optional<agent::socket_endpoint> to;
  };

  void finish_open(ip_error error) {
    dialer_.cancel();
    state_ = error == ip_error::none ? phase::open : phase::closed;
    if (state_ == phase::closed) close();
    owner_.report([&](agent::socket_service& s) { s.on_opened(id_, error); });
    if (state_ != phase::open) return owner_.forget(id_);
    read_next();
    if (!writes_.empty()) write_next();
  }

  // The peer closed or the connection failed: the core hears it once.
  void lost() {
    if (state_ != phase::open) return;
    close();
    owner_.report([&](agent::socket_service& s) { s.on_closed(id_, agent::close_reason::remote); });
    owner_.forget(id_);
  }

  std::size_t room() {
    agent::socket_service* service = owner_.service_();
    return service ? service->rx_room(id_) : 0;
  }

  void read_next() {
    const std::size_t space = room();
    if (space == 0) {  // the core's buffer is full: wait for resume()
      reading_ = false;
      return;
    }
    reading_ = true;
    if (protocol_ == agent::socket_protocol::tcp) {
      tcp_.async_read_some(asio::buffer(buffer_.data(), std::min(space, read_chunk)),
                           [self = shared_from_this()](const error_code& ec, std::size_t n) { self->on_read(ec, n); });
    } else {
      udp_.async_receive_from(asio::buffer(buffer_), sender_,
                              [self = shared_from_this()](const error_code& ec, std::size_t n) { self->on_read(ec, n); });
    }
  }

  void on_read(const error_code& ec, std::size_t n) {
    reading_ = false;
    if (state_ != phase::open) return;
    if (ec) return lost();
    // A datagram larger than the room left is dropped, as a full UDP buffer would.
    if (protocol_ == agent::socket_protocol::tcp || n <= room()) {
      owner_.report([&](agent::socket_service& s) { s.on_received(id_, std::string_view(buffer_.data(), n)); });
    }
    if (state_ == phase::open) read_next();
  }

  void write_next() {
    pending_write& next = writes_.front();
    auto done = [self = shared_from_this()](const error_code& ec, std::size_t n) { self->on_written(ec, n); };
    if (protocol_ == agent::socket_protocol::tcp) return asio::async_write(tcp_, asio::buffer(next.bytes), done);
    udp_resolver_ = std::make_unique<udp::resolver>(owner_.executor_);
    udp_resolver_->async_resolve(udp::v4(), next.to->host, std::to_string(next.to->port),
                                 [self = shared_from_this(), done](const error_code& ec, udp::resolver::results_type r) {
                                   if (self->state_ != phase::open) return;
                                   if (ec || r.empty()) return done(ec, 0);  // an unknown target: dropped
                                   self->udp_.async_send_to(asio::buffer(self->writes_.front().bytes),
                                                            r.begin()->endpoint(), done);
                                 });
  }

  void on_written(const error_code& ec, std::size_t) {
    if (state_ != phase::open) return;
    if (ec && protocol_ == agent::socket_protocol::tcp) return lost();
    const std::size_t size = writes_.front().bytes.size();
    writes_.pop_front();
    owner_.report([&](agent::socket_service& s) { s.on_sent(id_, size); });
    if (state_ == phase::open && !writes_.empty()) write_next();
  }

  socket_transport& owner_;
  agent::socket_id id_;
  agent::socket_protocol protocol_;
  phase state_ = phase::opening;
  tcp::socket tcp_;
  udp::socket udp_;
  tcp_dialer dialer_;
  std::unique_ptr<udp::resolver> udp_resolver_;
  std::deque<pending_write> writes_;
  std::array<char, max_datagram> buffer_{};
  udp::endpoint sender_;
  bool reading_ = false;
};

socket_transport::socket_transport(asio::any_io_executor executor, std::function<agent::socket_service*()> service,
                                   std::function<void()> after_event)
    : executor_(executor), service_(std::move(service)), after_event_(std::move(after_event)), connections_(executor) {}

socket_transport::~socket_transport() { close_all(); }

void socket_transport::open(agent::socket_id id, agent::socket_protocol protocol, agent::socket_endpoint remote,
                            std::uint16_t local_port, std::chrono::milliseconds timeout) {
  auto socket = std::make_shared<connection>(*this, id, protocol);
  connections_.add(id, socket);
  if (protocol == agent::socket_protocol::tcp) {
    socket->open_tcp(std::move(remote), timeout);
  } else {
    socket->open_udp(local_port);
  }
}

void socket_transport::send(agent::socket_id id, std::string bytes, std::optional<agent::socket_endpoint> to) {
  if (connection* socket = connections_.find(id)) socket->send(std::move(bytes), std::move(to));
}

void socket_transport::close(agent::socket_id id) { connections_.close(id); }
void socket_transport::resume_receiving(agent::socket_id id) { connections_.resume_later(id); }

void socket_transport::resolve(std::uint64_t query, std::string host) {
  auto resolver = std::make_shared<tcp::resolver>(executor_);
  resolver->async_resolve(tcp::v4(), host, "",
                          [this, resolver, query](const error_code& ec, tcp::resolver::results_type results) {
                            std::optional<std::string> address;
                            if (!ec && !results.empty()) address = results.begin()->endpoint().address().to_string();
                            report([&](agent::socket_service& s) { s.on_resolved(query, address); });
                          });
}

void socket_transport::close_all() { connections_.close_all(); }
void socket_transport::forget(agent::socket_id id) { connections_.forget(id); }

void socket_transport::report(const std::function<void(agent::socket_service&)>& event) {
  if (agent::socket_service* service = service_()) event(*service);
  after_event_();
}

}  // namespace sim7600_emu
