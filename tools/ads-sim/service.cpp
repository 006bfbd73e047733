#include "tools/ads-sim/service.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <charconv>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>
#include <set>
#include <sstream>

#include "tools/ads-sim/tls_material.hpp"

namespace ads_sim {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

constexpr auto handshake_timeout = std::chrono::seconds(30);
constexpr auto idle_timeout = std::chrono::seconds(120);  // a kept-alive connection waiting for its next request
constexpr auto io_timeout = std::chrono::seconds(30);     // reading a body, writing a response, shutting down
constexpr auto accept_retry_delay = std::chrono::milliseconds(100);
constexpr std::size_t header_limit = 16 * 1024;
constexpr std::size_t body_limit = 1024 * 1024;
constexpr std::size_t image_body_limit = 64 * 1024 * 1024;

class session;

}  // namespace

// Everything sessions share with the service; sessions hold it, so it outlives a destroyed `service`.
struct service::state : std::enable_shared_from_this<service::state> {
  state(asio::io_context& io, const std::filesystem::path& db, std::string token)
      : io(io), core(db, std::move(token)), tls(ssl::context::tls_server), acceptor(asio::make_strand(io)) {}

  asio::io_context& io;
  // Guards core, waiters and sessions. Recursive: dropping a session's last reference under the lock runs its
  // destructor, which reports the closed connection to the core.
  std::recursive_mutex mutex;
  service_core core;
  std::map<std::int64_t, std::vector<std::weak_ptr<session>>> waiters;  // parked polls by device key
  std::set<std::weak_ptr<session>, std::owner_less<std::weak_ptr<session>>> sessions;
  ssl::context tls;
  tcp::acceptor acceptor;
  std::atomic<std::uint64_t> next_connection_id{1};
  std::atomic<bool> stopped{false};
  std::string host;
  std::uint16_t port = 0;
  std::filesystem::path ca;
  std::string admin_token;
  std::function<void(std::string_view)> log;

  // Runs `work` on the core under the lock, then wakes the parked polls of devices whose queue changed.
  template <typename Work>
  auto with_core(Work work) {
    std::vector<std::int64_t> woken;
    auto result = [&] {
      std::lock_guard lock(mutex);
      auto answer = work(core);
      woken = core.take_woken_devices();
      return answer;
    }();
    wake_devices(woken);
    return result;
  }
  void wake_devices(const std::vector<std::int64_t>& devices);

  void do_accept();
};

namespace {

http_request to_core_request(const http::request<http::string_body>& request, std::uint64_t connection_id) {
  http_request out;
  out.method = std::string(request.method_string());
  out.target = std::string(request.target());
  for (const auto& field : request) out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  out.body = request.body();
  out.connection_id = connection_id;
  return out;
}

// One TLS connection: handshake, then requests one after another (keep-alive). A long poll parks the request
// and keeps reading, so a client's next request or its disconnect ends the wait (PROTOCOL.md §2.4).
class session : public std::enable_shared_from_this<session> {
 public:
  session(tcp::socket socket, std::shared_ptr<service::state> state)
      : stream_(std::move(socket), state->tls),
        state_(std::move(state)),
        id_(state_->next_connection_id++),
        poll_timer_(stream_.get_executor()) {}

  ~session() {
    std::lock_guard lock(state_->mutex);
    state_->core.connection_closed(id_);
  }

  void run() { asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->do_handshake(); }); }

  // Posted by the service when this session's device got something queued.
  void wake() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->parked_) self->finish_poll();
    });
  }

  void close() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] { self->close_when_idle(); });
  }

 private:
  void do_handshake() {
    beast::get_lowest_layer(stream_).expires_after(handshake_timeout);
    stream_.async_handshake(ssl::stream_base::server,
                            [self = shared_from_this()](beast::error_code ec) { self->on_handshake(ec); });
  }

  void on_handshake(beast::error_code ec) {
    if (ec) return fail(ec, "handshake");
    do_read();
  }

  void do_read() {
    parser_.emplace();
    parser_->header_limit(header_limit);
    // Beast checks Content-Length against the limit while it reads the header, so the header is read under the
    // largest limit (image uploads) and every other request is held to the small one once its target is known.
    parser_->body_limit(image_body_limit);
    reading_ = true;
    beast::get_lowest_layer(stream_).expires_after(idle_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              self->on_read_header(ec);
                            });
  }

  void on_read_header(beast::error_code ec) {
    if (ec) return on_read(ec);
    // Images are the only big uploads.
    const auto& header = parser_->get();
    if (header.method() != http::verb::post || !header.target().starts_with("/api/v1/images")) {
      if (parser_->content_length().value_or(0) > body_limit) return on_read(http::error::body_limit);
      parser_->body_limit(body_limit);
    }
    if (!writing_) beast::get_lowest_layer(stream_).expires_after(io_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    reading_ = false;
    if (ec == http::error::end_of_stream || ec == http::error::partial_message) return fail(ec, "read");
    const bool too_large = ec == http::error::body_limit || ec == http::error::header_limit;
    if (too_large || (ec && ec.category() == http::make_error_code(http::error::end_of_stream).category())) {
      // Answering needs the write side; when it is busy (a poll's answer), just close after it.
      if (parked_ || writing_) return close_when_idle();
      return refuse(too_large ? 413 : 400, too_large ? "request too large" : "malformed HTTP request");
    }
    if (ec) return fail(ec, "read");
    http_request request = to_core_request(parser_->get(), id_);
    const bool keep_alive = parser_->get().keep_alive();
    if (parked_ || writing_) {
      // The client spoke while its poll was held or being answered: that answer first, then this request.
      next_ = std::move(request);
      next_keep_alive_ = keep_alive;
      if (parked_) finish_poll();
      return;
    }
    process(std::move(request), keep_alive);
  }

  void process(http_request request, bool keep_alive) {
    current_ = std::move(request);
    keep_alive_ = keep_alive;
    started_ = std::chrono::steady_clock::now();
    const auto self = shared_from_this();
    outcome result = state_->with_core([&](service_core& core) {
      outcome answer = core.handle(current_, std::chrono::system_clock::now(), true);
      if (const auto* hold = std::get_if<hold_poll>(&answer)) {
        // Registered under the same lock as the check, so no change can slip between them.
        state_->waiters[hold->device_key].push_back(self);
        core.set_listening(id_, hold->device_key, true);
      }
      return answer;
    });
    if (auto* response = std::get_if<http_response>(&result)) return do_write(std::move(*response));
    if (std::holds_alternative<drop_connection>(result)) return drop();
    park(std::get<hold_poll>(result));
  }

  // An injected network fault: the connection goes without an answer and without a TLS goodbye.
  void drop() {
    if (state_->log) state_->log("ads-sim: " + current_.method + " " + std::string(current_.path()) + " dropped (injected fault)");
    closing_ = true;
    if (parked_) unpark();
    poll_timer_.cancel();
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().close(ignored);
  }

  void park(const hold_poll& hold) {
    parked_ = true;
    parked_device_ = hold.device_key;
    poll_timer_.expires_after(hold.timeout);
    poll_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec && self->parked_) self->finish_poll();
    });
    if (!reading_) do_read();
  }

  void unpark() {
    parked_ = false;
    poll_timer_.cancel();
    std::lock_guard lock(state_->mutex);
    state_->core.set_listening(id_, parked_device_, false);
    auto& list = state_->waiters[parked_device_];
    std::erase_if(list, [this](const std::weak_ptr<session>& waiter) {
      const auto locked = waiter.lock();
      return !locked || locked.get() == this;
    });
    if (list.empty()) state_->waiters.erase(parked_device_);
  }

  // Answers the held poll with whatever is queued now.
  void finish_poll() {
    unpark();
    outcome result = state_->with_core(
        [&](service_core& core) { return core.handle(current_, std::chrono::system_clock::now(), false); });
    if (auto* response = std::get_if<http_response>(&result)) return do_write(std::move(*response));
    do_write(error_response(500, "poll held twice"));
  }

  void refuse(int status, std::string_view why) {
    current_ = http_request{};
    current_.method = "-";
    current_.target = "-";
    keep_alive_ = false;
    started_ = std::chrono::steady_clock::now();
    auto response = error_response(status, why);
    response.set_header("x-Ayla-server-time",
                        std::to_string(unix_seconds(std::chrono::system_clock::now())));
    do_write(std::move(response));
  }

  void do_write(http_response response) {
    response_ = {};
    response_.version(11);
    response_.result(static_cast<unsigned>(response.status));
    for (auto& [name, value] : response.headers) response_.set(name, value);
    response_.set(http::field::server, "ads-sim");
    response_.body() = std::move(response.body);
    response_.keep_alive(keep_alive_);
    response_.prepare_payload();
    writing_ = true;
    beast::get_lowest_layer(stream_).expires_after(io_timeout);
    http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->on_write(ec);
    });
  }

  void on_write(beast::error_code ec) {
    writing_ = false;
    log_request();
    if (ec) return fail(ec, "write");
    if (!keep_alive_ || close_after_write_) return do_close();
    if (next_) {
      auto request = std::move(*next_);
      next_.reset();
      return process(std::move(request), next_keep_alive_);
    }
    if (!reading_) do_read();
  }

  void log_request() {
    if (!state_->log) return;
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started_).count();
    // The path only: queries and headers (tokens, keys) are never logged.
    std::ostringstream line;
    line << "ads-sim: " << current_.method << ' ' << current_.path() << ' ' << response_.result_int() << ' '
         << response_.body().size() << "B " << micros << "us";
    state_->log(line.str());
  }

  void fail(beast::error_code ec, const char* what) {
    const bool quiet = ec == asio::error::operation_aborted || ec == http::error::end_of_stream ||
                       ec == http::error::partial_message || ec == asio::error::eof || ec == beast::error::timeout || ec == ssl::error::stream_truncated ||
                       ec == asio::error::connection_reset;
    if (!quiet && state_->log) state_->log(std::string("ads-sim: ") + what + ": " + ec.message());
    close_when_idle();
  }

  // TLS shutdown writes, so it waits for a write in flight to finish.
  void close_when_idle() {
    if (writing_)
      close_after_write_ = true;
    else
      do_close();
  }

  void do_close() {
    if (closing_) return;
    closing_ = true;
    if (parked_) unpark();
    poll_timer_.cancel();
    beast::get_lowest_layer(stream_).expires_after(io_timeout);
    stream_.async_shutdown([self = shared_from_this()](beast::error_code) {
      beast::get_lowest_layer(self->stream_).close();
    });
  }

  beast::ssl_stream<beast::tcp_stream> stream_;
  std::shared_ptr<service::state> state_;
  const std::uint64_t id_;
  asio::steady_timer poll_timer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  http_request current_;
  bool keep_alive_ = true;
  std::chrono::steady_clock::time_point started_;
  std::optional<http_request> next_;  // read while a poll was held
  bool next_keep_alive_ = true;
  bool reading_ = false;
  bool writing_ = false;
  bool parked_ = false;
  bool closing_ = false;
  bool close_after_write_ = false;
  std::int64_t parked_device_ = 0;
};

std::string load_or_create_admin_token(const std::filesystem::path& file, std::string& error) {
  std::ifstream in(file);
  std::string token;
  if (in && std::getline(in, token) && !token.empty()) return token;
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) {  // written atomically, so never empty by a crash: not ours to replace
    error = file.string() + " holds no token (remove it to make a new one)";
    return {};
  }
  token = random_hex(16);
  if (!write_file_atomically(file, token + "\n", 0600)) error = "cannot write " + file.string();
  return token;
}

}  // namespace

void service::state::wake_devices(const std::vector<std::int64_t>& devices) {
  std::vector<std::shared_ptr<session>> to_wake;
  {
    std::lock_guard lock(mutex);
    for (const auto key : devices) {
      const auto found = waiters.find(key);
      if (found == waiters.end()) continue;
      for (const auto& waiter : found->second)
        if (auto locked = waiter.lock()) to_wake.push_back(std::move(locked));
    }
  }
  for (const auto& waiter : to_wake) waiter->wake();
}

void service::state::do_accept() {
  acceptor.async_accept(asio::make_strand(io), [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || self->stopped) return;
    if (ec) {
      // Out of descriptors and the like: retry shortly rather than spin on the failing accept.
      if (self->log) self->log("ads-sim: accept: " + ec.message());
      auto timer = std::make_shared<asio::steady_timer>(self->acceptor.get_executor(), accept_retry_delay);
      timer->async_wait([self, timer](beast::error_code) {
        if (!self->stopped) self->do_accept();
      });
      return;
    }
    // Answers go out whole at once: without this, Nagle holds a large answer's last segment for the client's
    // delayed ACK (40 ms per image range).
    socket.set_option(tcp::no_delay(true), ec);
    auto connection = std::make_shared<session>(std::move(socket), self);
    {
      std::lock_guard lock(self->mutex);
      std::erase_if(self->sessions, [](const std::weak_ptr<session>& s) { return s.expired(); });
      self->sessions.insert(connection);
    }
    connection->run();
    self->do_accept();
  });
}

std::optional<std::pair<std::string, std::uint16_t>> parse_listen_address(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return std::nullopt;
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return std::nullopt;  // an IPv6 address needs brackets
  }
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port_text.empty() || port > 65535)
    return std::nullopt;
  return std::pair{std::string(host), static_cast<std::uint16_t>(port)};
}

service::service(std::shared_ptr<state> shared) : state_(std::move(shared)) {}

std::unique_ptr<service> service::start(asio::io_context& io, service_options options, std::string& error) {
  error.clear();
  std::error_code fs_error;
  std::filesystem::create_directories(options.data_dir, fs_error);
  if (fs_error) {
    error = "cannot create " + options.data_dir.string() + ": " + fs_error.message();
    return nullptr;
  }
  ::chmod(options.data_dir.c_str(), 0700);  // it holds private keys

  std::string token = options.admin_token ? *options.admin_token
                                          : load_or_create_admin_token(options.data_dir / "admin-token", error);
  if (!error.empty()) return nullptr;
  if (token.empty()) {
    error = "the admin token must not be empty";
    return nullptr;
  }
  tls_files files;
  if (auto failed = ensure_tls_material(options.data_dir, files)) {
    error = *failed;
    return nullptr;
  }
  const auto db_file = options.data_dir / "ads.db";
  // Created 0600 before SQLite opens it, so its -wal and -shm files (which SQLite gives the same mode) are too.
  if (const int fd = ::open(db_file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600); fd >= 0) ::close(fd);
  auto shared = std::make_shared<state>(io, db_file, token);
  if (!shared->core.ok()) {
    error = "database " + db_file.string() + ": " + shared->core.error();
    return nullptr;
  }
  shared->admin_token = std::move(token);
  shared->ca = files.ca_cert;
  shared->log = options.log ? std::move(options.log) : [](std::string_view line) { std::cerr << line << std::endl; };

  beast::error_code ec;
  shared->tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                          ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  SSL_CTX_set_min_proto_version(shared->tls.native_handle(), TLS1_2_VERSION);
  shared->tls.use_certificate_chain_file(files.server_cert.string(), ec);
  if (!ec) shared->tls.use_private_key_file(files.server_key.string(), ssl::context::pem, ec);
  if (ec) {
    error = "TLS setup: " + ec.message();
    return nullptr;
  }

  tcp::endpoint endpoint;
  const auto address = asio::ip::make_address(options.listen_host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, options.listen_port);
  } else {
    tcp::resolver resolver(io);
    const auto results = resolver.resolve(options.listen_host, std::to_string(options.listen_port), ec);
    if (ec || results.empty()) {
      error = "cannot resolve " + options.listen_host;
      return nullptr;
    }
    endpoint = results.begin()->endpoint();
  }
  auto& acceptor = shared->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    error = "cannot listen on " + options.listen_host + ":" + std::to_string(options.listen_port) + ": " + ec.message();
    return nullptr;
  }
  shared->host = options.listen_host;
  shared->port = acceptor.local_endpoint().port();
  shared->do_accept();
  return std::unique_ptr<service>(new service(std::move(shared)));
}

service::~service() { stop(); }

void service::stop() {
  if (state_->stopped.exchange(true)) return;
  asio::post(state_->acceptor.get_executor(), [shared = state_] {
    beast::error_code ignored;
    shared->acceptor.close(ignored);
  });
  std::vector<std::shared_ptr<session>> open;
  {
    std::lock_guard lock(state_->mutex);
    for (const auto& weak : state_->sessions)
      if (auto s = weak.lock()) open.push_back(std::move(s));
    state_->sessions.clear();
  }
  for (const auto& s : open) s->close();
}

std::uint16_t service::port() const { return state_->port; }
const std::string& service::host() const { return state_->host; }
const std::filesystem::path& service::ca_path() const { return state_->ca; }
const std::string& service::admin_token() const { return state_->admin_token; }

std::string service::url() const {
  const bool v6 = state_->host.find(':') != std::string::npos;
  return "https://" + (v6 ? "[" + state_->host + "]" : state_->host) + ":" + std::to_string(state_->port);
}

std::string service::ready_line() const { return "ads-sim ready: " + url() + " ca " + ca_path().string(); }

api_result<created_oem> service::create_oem(std::string_view oem_id, std::string_view name, std::string_view email) {
  return state_->with_core(
      [&](service_core& core) { return core.create_oem(oem_id, name, email, std::chrono::system_clock::now()); });
}

api_result<std::vector<factory_device>> service::create_factory_devices(std::string_view oem_id,
                                                                        std::string_view model, int count) {
  return state_->with_core([&](service_core& core) {
    return core.create_factory_devices(oem_id, model, count, std::chrono::system_clock::now());
  });
}

api_result<demo_identity> service::ensure_demo_identity(std::string_view oem_id, std::string_view model) {
  using result = api_result<demo_identity>;
  return state_->with_core([&](service_core& core) -> result {
    const auto now = std::chrono::system_clock::now();
    auto oem = core.find_oem(oem_id);
    if (!oem) {
      const auto created = core.create_oem(oem_id, "sim7600-emu demo OEM", "demo@sim7600-emu.invalid", now);
      if (!created) return result::failure(created.status, created.error);
      oem = core.find_oem(oem_id);
      if (!oem) return result::failure(500, "demo OEM vanished");
    }
    auto devices = core.devices_of(oem_id, model);
    if (devices.empty()) {
      const auto created = core.create_factory_devices(oem_id, model, 1, now);
      if (!created) return result::failure(created.status, created.error);
      devices = core.devices_of(oem_id, model);
      if (devices.empty()) return result::failure(500, "demo device vanished");
    }
    const auto& device = devices.front();
    return result::success({oem->oem_id, oem->secret, device.model, device.dsn, device.public_key});
  });
}

api_result<property_record> service::set_property(std::string_view dsn, std::string_view name,
                                                  const nlohmann::json& value,
                                                  std::optional<std::string_view> base_type) {
  return state_->with_core([&](service_core& core) {
    return core.set_to_device_property(dsn, name, value, base_type, std::chrono::system_clock::now());
  });
}

api_result<image_record> service::add_image(std::string_view type, std::string_view model, std::string_view version,
                                            std::string_view bytes) {
  return state_->with_core([&](service_core& core) {
    return core.add_image(type, model, version, bytes, std::chrono::system_clock::now());
  });
}

api_result<ota_job_record> service::create_ota_job(std::int64_t image_id, std::string_view oem_model,
                                                   const std::vector<std::string>& dsns) {
  return state_->with_core([&](service_core& core) {
    return core.create_ota_job(image_id, oem_model, dsns, std::chrono::system_clock::now());
  });
}

api_result<ota_job_record> service::start_ota_job(std::int64_t job_id) {
  return state_->with_core(
      [&](service_core& core) { return core.start_ota_job(job_id, std::chrono::system_clock::now()); });
}

std::optional<ota_job_record> service::find_ota_job(std::int64_t job_id) {
  return state_->with_core([&](service_core& core) { return core.storage().find_ota_job(job_id); });
}

}  // namespace ads_sim
