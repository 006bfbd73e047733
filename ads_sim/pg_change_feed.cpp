#include <charconv>
#include <chrono>
#include <mutex>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "ads_sim/change_feed.hpp"
#include "ads_sim/store/pg_database.hpp"

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

constexpr auto first_retry = std::chrono::milliseconds(250);
constexpr auto last_retry = std::chrono::seconds(10);

// A connection as the feed uses it: its own timeout, and no server notices on stderr (the feed logs a loss itself).
std::unique_ptr<pg::connection> feed_connection(const std::string& url) {
  auto conn = std::make_unique<pg::connection>(url);
  conn->quiet_notices();
  return conn;
}

}  // namespace

struct pg_change_feed::connections {
  explicit connections(asio::io_context& io) : strand(asio::make_strand(io)), socket(strand), retry(strand) {}
  asio::strand<asio::io_context::executor_type> strand;
  std::unique_ptr<pg::connection> listening;  // only on the strand
  asio::posix::stream_descriptor socket;      // libpq's socket of `listening`, not owned
  asio::steady_timer retry;
  std::chrono::milliseconds backoff = first_retry;
  bool stopped = false;

  std::mutex publish_mutex;  // publishing runs on the callers' threads
  std::unique_ptr<pg::connection> publishing;
  // After a lost connection could not be reset, publishing skips the database until then: callers are the
  // service's workers, and a database that does not answer must not hold each of them for the connect timeout.
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
  auto publishing = feed_connection(url);
  if (!publishing->ok()) return common::failure{"PostgreSQL: " + publishing->error()};
  feed->db_->publishing = std::move(publishing);
  if (auto listening = feed->listen_now(); !listening) return listening.error();
  asio::post(feed->db_->strand, [feed] { feed->wait_readable(); });
  return feed;
}

// Connects the listening side and LISTENs; on the strand, or before the feed is shared.
common::outcome<common::done> pg_change_feed::listen_now() {
  auto conn = feed_connection(url_);
  if (!conn->ok()) return common::failure{"PostgreSQL: " + conn->error()};
  if (!conn->exec("LISTEN " + std::string(change_channel)).ok())
    return common::failure{"PostgreSQL LISTEN: " + conn->last_failure()};
  db_->release_socket();
  db_->listening = std::move(conn);
  boost::system::error_code ec;
  db_->socket.assign(db_->listening->socket(), ec);
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
  if (!db_->listening->consume_input()) {
    log_("ads-sim: change feed lost its PostgreSQL connection (" + db_->listening->last_failure() + "); reconnecting");
    return schedule_reconnect();
  }
  for (const auto& note : db_->listening->take_notifications()) {
    const auto key = parse_change_payload(note.payload);
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
  auto& db = *db_->publishing;
  if (!db.connected() && std::chrono::steady_clock::now() < db_->publish_retry_at) return;
  // At most one reset per call: a server that went away shows only when a statement fails, so a connection that
  // looked up gets a second try (which resets it); one already down is reset by the first.
  const int tries = db.connected() ? 2 : 1;
  for (int attempt = 0; attempt < tries; ++attempt) {
    if (db.query("SELECT pg_notify($1, $2)", channel, payload).ok()) return;
    if (db.connected()) break;  // the statement failed, not the connection: a retry would fail alike
  }
  if (!db.connected()) db_->publish_retry_at = std::chrono::steady_clock::now() + last_retry;
  log_("ads-sim: change feed cannot publish: " + db.last_failure());
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
