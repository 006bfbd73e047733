#include <charconv>
#include <chrono>
#include <mutex>
#include <vector>

#include <libpq-fe.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "ads_sim/change_feed.hpp"

namespace ads_sim {

namespace asio = boost::asio;

std::string change_payload(std::int64_t device_key) { return std::to_string(device_key); }

std::optional<std::int64_t> parse_change_payload(std::string_view payload) {
  std::int64_t key = 0;
  const auto [end, ec] = std::from_chars(payload.data(), payload.data() + payload.size(), key);
  if (ec != std::errc{} || end != payload.data() + payload.size() || key <= 0) return std::nullopt;
  return key;
}

namespace {

using pg_handle = std::unique_ptr<PGconn, decltype(&PQfinish)>;

// The server's own words, first line only: never the URL (it may carry a password).
std::string why(PGconn* conn) {
  std::string message = conn ? PQerrorMessage(conn) : "out of memory";
  if (const auto newline = message.find('\n'); newline != std::string::npos) message.resize(newline);
  return message.empty() ? "connection failed" : message;
}

// A database that does not answer fails the connection in 5 s instead of libpq's default of waiting forever.
common::outcome<pg_handle> connect(const std::string& url) {
  const char* keys[] = {"dbname", "connect_timeout", nullptr};
  const char* values[] = {url.c_str(), "5", nullptr};
  pg_handle conn(PQconnectdbParams(keys, values, 1), &PQfinish);
  if (!conn || PQstatus(conn.get()) != CONNECTION_OK) return common::failure{"PostgreSQL: " + why(conn.get())};
  // The server's notices (a FATAL when an administrator ends the session) would go to stderr; the feed logs the
  // loss itself, in its own words.
  PQsetNoticeProcessor(conn.get(), [](void*, const char*) {}, nullptr);
  return conn;
}

// One statement without rows; its error in words, or nothing.
std::optional<std::string> run(PGconn* conn, const char* sql, std::initializer_list<const char*> params = {}) {
  const std::vector<const char*> values(params);
  std::unique_ptr<PGresult, decltype(&PQclear)> result(
      PQexecParams(conn, sql, static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0),
      &PQclear);
  const auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return std::nullopt;
  return why(conn);
}

constexpr auto first_retry = std::chrono::milliseconds(250);
constexpr auto last_retry = std::chrono::seconds(10);

}  // namespace

struct pg_change_feed::connections {
  explicit connections(asio::io_context& io) : strand(asio::make_strand(io)), socket(strand), retry(strand) {}
  asio::strand<asio::io_context::executor_type> strand;
  pg_handle listening{nullptr, &PQfinish};  // only on the strand
  asio::posix::stream_descriptor socket;    // libpq's socket of `listening`, not owned
  asio::steady_timer retry;
  std::chrono::milliseconds backoff = first_retry;
  bool stopped = false;

  std::mutex publish_mutex;  // publishing runs on the callers' threads
  pg_handle publishing{nullptr, &PQfinish};
  // After a failed connection, publishing skips the database until then: callers are the service's workers, and
  // a database that does not answer must not hold each of them for the connect timeout.
  std::chrono::steady_clock::time_point publish_retry_at{};

  void release_socket() {
    if (socket.is_open()) socket.release();  // libpq closes its own descriptor
  }
};

pg_change_feed::pg_change_feed(asio::io_context& io, std::string url, changed_callback changed,
                               resumed_callback resumed, std::function<void(std::string_view)> log)
    : url_(std::move(url)),
      changed_(std::move(changed)),
      resumed_(std::move(resumed)),
      log_(std::move(log)),
      db_(std::make_unique<connections>(io)) {}

pg_change_feed::~pg_change_feed() { db_->release_socket(); }

common::outcome<std::shared_ptr<pg_change_feed>> pg_change_feed::open(asio::io_context& io, const std::string& url,
                                                                      changed_callback changed,
                                                                      resumed_callback resumed,
                                                                      std::function<void(std::string_view)> log) {
  std::shared_ptr<pg_change_feed> feed(
      new pg_change_feed(io, url, std::move(changed), std::move(resumed), std::move(log)));
  auto publishing = connect(url);
  if (!publishing) return publishing.error();
  feed->db_->publishing = std::move(*publishing);
  if (auto listening = feed->listen_now(); !listening) return listening.error();
  asio::post(feed->db_->strand, [feed] { feed->wait_readable(); });
  return feed;
}

// Connects the listening side and LISTENs; on the strand, or before the feed is shared.
common::outcome<common::done> pg_change_feed::listen_now() {
  auto conn = connect(url_);
  if (!conn) return conn.error();
  const std::string listen = "LISTEN " + std::string(change_channel);
  if (auto failed = run(conn->get(), listen.c_str())) return common::failure{"PostgreSQL LISTEN: " + *failed};
  if (PQsetnonblocking(conn->get(), 1) != 0) return common::failure{"PostgreSQL: " + why(conn->get())};
  db_->release_socket();
  db_->listening = std::move(*conn);
  boost::system::error_code ec;
  db_->socket.assign(PQsocket(db_->listening.get()), ec);
  if (ec) return common::failure{"PostgreSQL socket: " + ec.message()};
  return common::done{};
}

void pg_change_feed::wait_readable() {
  if (db_->stopped) return;
  db_->socket.async_wait(asio::posix::stream_descriptor::wait_read,
                         [self = shared_from_this()](boost::system::error_code ec) {
                           if (ec == asio::error::operation_aborted || self->db_->stopped) return;
                           self->on_readable();
                         });
}

void pg_change_feed::on_readable() {
  PGconn* conn = db_->listening.get();
  if (PQconsumeInput(conn) == 0 || PQstatus(conn) != CONNECTION_OK) {
    log_("ads-sim: change feed lost its PostgreSQL connection (" + why(conn) + "); reconnecting");
    return schedule_reconnect();
  }
  while (PGnotify* note = PQnotifies(conn)) {
    const auto key = parse_change_payload(note->extra ? note->extra : "");
    PQfreemem(note);
    if (key && changed_) changed_(*key);
  }
  wait_readable();
}

void pg_change_feed::schedule_reconnect() {
  db_->release_socket();
  db_->listening.reset();
  db_->retry.expires_after(db_->backoff);
  db_->retry.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || self->db_->stopped) return;
    if (auto listening = self->listen_now(); !listening) {
      self->db_->backoff = std::min<std::chrono::milliseconds>(self->db_->backoff * 2, last_retry);
      return self->schedule_reconnect();
    }
    self->db_->backoff = first_retry;
    self->log_("ads-sim: change feed listening again");
    if (self->resumed_) self->resumed_();
    self->wait_readable();
  });
}

void pg_change_feed::publish(std::int64_t device_key) {
  const std::string payload = change_payload(device_key);
  const std::string channel(change_channel);
  std::lock_guard lock(db_->publish_mutex);
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!db_->publishing || PQstatus(db_->publishing.get()) != CONNECTION_OK) {
      if (std::chrono::steady_clock::now() < db_->publish_retry_at) return;
      auto conn = connect(url_);
      if (!conn) {
        db_->publish_retry_at = std::chrono::steady_clock::now() + last_retry;
        log_("ads-sim: change feed cannot publish: " + conn.error().reason);
        return;
      }
      db_->publishing = std::move(*conn);
    }
    const auto failed = run(db_->publishing.get(), "SELECT pg_notify($1, $2)", {channel.c_str(), payload.c_str()});
    if (!failed) return;
    if (PQstatus(db_->publishing.get()) == CONNECTION_OK) {
      log_("ads-sim: change feed cannot publish: " + *failed);
      return;
    }
    db_->publishing.reset();  // the server went away: one fresh connection, then give up
  }
}

void pg_change_feed::stop() {
  asio::post(db_->strand, [self = shared_from_this()] {
    self->db_->stopped = true;
    self->db_->retry.cancel();
    boost::system::error_code ignored;
    self->db_->socket.cancel(ignored);
  });
}

}  // namespace ads_sim
