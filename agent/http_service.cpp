#include "agent/http_service.hpp"

#include <algorithm>

#include "agent/at_args.hpp"
#include "agent/cch_service.hpp"
#include "agent/cert_store.hpp"
#include "ads_client/url.hpp"

namespace agent {
namespace {

std::string number(std::size_t value) { return std::to_string(value); }

// AT+HTTPACTION <method>.
constexpr const char* method_names[] = {"GET", "POST", "HEAD", "DELETE"};

// The manual's <statuscode> values for a request that got no HTTP answer: 700 + the SSL service's <err>
// (713 DNS, 714 connect, 705 timeout, 715 handshake, 719 certificates missing...).
int status_of(cch_error error) { return 700 + static_cast<int>(error); }
constexpr int no_answer_closed = 704;  // the connection closed before a whole answer came
constexpr int answer_too_large = 707;  // "memory error": an answer past the reader's bounds
constexpr int answer_malformed = 702;  // "unknown error": the bytes were no HTTP answer
// RECVTO ran out: the manual's 705 "timeout", the SSL service's <err> 5 plus 700.
const int receive_timed_out = status_of(cch_error::timeout);

const std::vector<std::string> parameter_names = {"URL",    "CONNECTTO", "RECVTO",   "CONTENT",
                                                  "ACCEPT", "SSLCFG",    "USERDATA", "READMODE"};

std::optional<int> number_in(const std::string& text, int low, int high) {
  const auto value = parse_at_number(text);
  if (!value || *value < low || *value > high) return std::nullopt;
  return static_cast<int>(*value);
}

// USERDATA's header lines, split where the host wrote CR LF (or the four characters "\r\n").
std::vector<std::pair<std::string, std::string>> user_headers(std::string text) {
  for (std::size_t at; (at = text.find("\\r\\n")) != std::string::npos;) text.replace(at, 4, "\r\n");
  std::vector<std::pair<std::string, std::string>> headers;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find("\r\n", start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    const std::size_t colon = line.find(':');
    if (colon != std::string::npos && colon > 0) {
      std::size_t value = line.find_first_not_of(' ', colon + 1);
      headers.emplace_back(line.substr(0, colon), value == std::string::npos ? "" : line.substr(value));
    }
    start = end + 2;
  }
  return headers;
}

}  // namespace

void http_service::add_to(command_table& table) {
  table.add({.name = "+HTTPINIT", .test = answer_ok(), .action = handler(*this, &http_service::init)});
  table.add({.name = "+HTTPTERM", .test = answer_ok(), .action = handler(*this, &http_service::term)});
  table.add({.name = "+HTTPPARA",
             .test = answer_ok(),
             .set = handler(*this, &http_service::set_parameter),
             .set_args = {text(16), text(max_url)}});
  table.add({.name = "+HTTPDATA",
             .test = answer({"+HTTPDATA: (1-" + number(max_request_body) + "),(1-65535)"}),
             .set = handler(*this, &http_service::take_body),
             .set_args = {integer(1, static_cast<long>(max_request_body)), integer(1, 65535)}});
  table.add({.name = "+HTTPACTION",
             .test = answer({"+HTTPACTION: (0-3)"}),
             .set = handler(*this, &http_service::action),
             .set_args = {integer(0, 3)}});
  table.add({.name = "+HTTPHEAD", .test = answer_ok(), .action = handler(*this, &http_service::head)});
  table.add({.name = "+HTTPREAD",
             .test = answer_ok(),
             .read = handler(*this, &http_service::read_length),
             .set = handler(*this, &http_service::read),
             .set_args = {integer(0, static_cast<long>(max_read)), optional(integer(1, static_cast<long>(max_read)))}});
}

void http_service::power_cycle() {
  if (initialized_) term();
}

command_result http_service::init() {
  if (initialized_ || !ports_.open_data_call()) return command_result::error();
  initialized_ = true;
  parameters_ = {};
  return command_result::ok();
}

command_result http_service::term() {
  if (!initialized_) return command_result::error();
  if (exchange_) {
    ports_.io.close(exchange_->id);
    timers_.cancel_timer(apca::timer_id::http_receive);
  }
  exchange_.reset();
  answer_.reset();
  body_.clear();
  initialized_ = false;
  return command_result::ok();
}

command_result http_service::set_parameter(const at_params& params) {
  if (!initialized_) return command_result::error();
  std::string name = params.text(0);
  for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const auto known = std::find(parameter_names.begin(), parameter_names.end(), name);
  if (known == parameter_names.end()) return command_result::error();
  const std::string& value = params.text(1);
  auto set_number = [&value](int low, int high, int& target) {
    const auto n = number_in(value, low, high);
    if (!n) return command_result::error();
    target = *n;
    return command_result::ok();
  };
  auto set_text = [&value](std::size_t limit, std::string& target) {
    if (value.size() > limit) return command_result::error();
    target = value;
    return command_result::ok();
  };
  switch (known - parameter_names.begin()) {
    case 0: return set_text(max_url, parameters_.url);
    case 1: return set_number(20, 120, parameters_.connect_timeout);
    case 2: return set_number(2, 120, parameters_.receive_timeout);
    case 3: return set_text(255, parameters_.content_type);
    case 4: return set_text(255, parameters_.accept);
    case 5: return set_number(0, ssl_contexts::count - 1, parameters_.ssl_context);
    case 6: return set_text(max_user_data, parameters_.user_data);
    default: return set_number(0, 1, parameters_.read_mode);
  }
}

command_result http_service::take_body(const at_params& params) {
  if (!initialized_ || exchange_) return command_result::error();
  // <time> is how long the module waits for the bytes; the emulator waits as long as the host takes.
  ports_.ask_for_data({.prompt = "DOWNLOAD",
                       .length = static_cast<std::size_t>(params.integer(0)),
                       .done = [this](data_block block) {
                         body_ = std::move(block.bytes);
                         return command_result::ok();
                       }});
  return command_result::held();
}

command_result http_service::action(const at_params& params) {
  if (!initialized_ || exchange_) return command_result::error();
  const auto url = ads_client::parse_url(parameters_.url);
  if (!url) return command_result::error();
  const int method = params.integer(0);
  ads_client::http_request request;
  request.method = method_names[method];
  request.target = url->target;
  request.headers.emplace_back("Accept", parameters_.accept);
  if (method == 1) request.headers.emplace_back("Content-Type", parameters_.content_type);
  for (auto& header : user_headers(parameters_.user_data)) request.headers.push_back(std::move(header));
  if (method == 1) request.body = body_;
  const bool default_port = url->port == (url->scheme == "https" ? "443" : "80");
  const std::string host = url->host.find(':') != std::string::npos ? "[" + url->host + "]" : url->host;
  std::optional<tls_setup> tls;
  if (url->scheme == "https") {
    tls = tls_setup_for(ports_.contexts.at(parameters_.ssl_context), cert_store(ports_.nv()), url->host);
    if (!tls) {
      ports_.post_urc("+HTTPACTION: " + number(method) + "," + number(status_of(cch_error::no_certificates)) + ",0",
                      {});
      return command_result::ok();
    }
  }
  exchange_.emplace(exchange{.id = next_id_++,
                             .method = method,
                             .request = http_request_bytes(request, default_port ? host : host + ":" + url->port),
                             .reader = http_response_reader(method == 2)});
  answer_.reset();
  const socket_endpoint remote{url->host, static_cast<std::uint16_t>(std::stoi(url->port))};
  ports_.io.open(exchange_->id, remote, std::move(tls), std::chrono::seconds(parameters_.connect_timeout));
  return command_result::ok();
}

void http_service::wait_for_answer() {
  timers_.start_timer(apca::timer_id::http_receive, std::chrono::seconds(parameters_.receive_timeout));
}

void http_service::on_receive_timeout() {
  if (exchange_) finish(receive_timed_out);
}

void http_service::finish(int status) {
  if (!exchange_) return;
  timers_.cancel_timer(apca::timer_id::http_receive);
  ports_.io.close(exchange_->id);
  const int method = exchange_->method;
  std::size_t length = 0;
  if (status < 700) {
    answer_ = exchange_->reader.response();
    answer_head_ = exchange_->reader.head();
    length = answer_->body.size();
    read_at_ = 0;
  }
  exchange_.reset();
  ports_.post_urc("+HTTPACTION: " + number(method) + "," + number(status) + "," + number(length), {});
}

// ---- the answer ----

command_result http_service::head() const {
  if (!answer_) return command_result::error();
  std::string shown = answer_head_;
  shown.resize(shown.size() - 2);  // the blank line is the frame's own
  return command_result::ok({"+HTTPHEAD: " + number(answer_head_.size()), shown});
}

command_result http_service::read_length() const {
  if (!answer_) return command_result::error();
  return command_result::ok({"+HTTPREAD: LEN," + number(answer_->body.size())});
}

command_result http_service::read(const at_params& params) {
  if (!answer_) return command_result::error();
  const bool offset_given = params.has(1);
  // AT+HTTPREAD=<byte_size> reads on from where the last read stopped; =<start_offset>,<byte_size> from there.
  const std::size_t from = offset_given ? static_cast<std::size_t>(params.integer(0)) : read_at_;
  const auto size = static_cast<std::size_t>(params.integer(offset_given ? 1 : 0));
  if (size == 0 || from > answer_->body.size() || (offset_given && parameters_.read_mode == 0 && from < read_at_)) {
    return command_result::error();
  }
  const std::size_t count = std::min(size, answer_->body.size() - from);
  if (count > 0) ports_.post_urc("+HTTPREAD: DATA," + number(count), answer_->body.substr(from, count));
  ports_.post_urc("+HTTPREAD: 0", {});
  read_at_ = from + count;
  return command_result::ok();
}

// ---- I/O events ----

void http_service::on_opened(stream_id id, stream_error error) {
  if (!exchange_ || exchange_->id != id) return;
  if (error != stream_error::none) return finish(status_of(cch_error_of(error)));
  ports_.io.send(id, std::move(exchange_->request));
  wait_for_answer();
}

std::size_t http_service::rx_room(stream_id id) const {
  // The reader bounds what it keeps; it is given all that comes.
  return exchange_ && exchange_->id == id ? http_response_reader::max_head + http_response_reader::max_body : 0;
}

void http_service::on_received(stream_id id, std::string_view bytes) {
  if (!exchange_ || exchange_->id != id) return;
  switch (exchange_->reader.feed(bytes)) {
    case http_response_reader::state::reading: return wait_for_answer();  // the wait is for the next bytes
    case http_response_reader::state::complete: return finish(exchange_->reader.response().status);
    case http_response_reader::state::too_large: return finish(answer_too_large);
    case http_response_reader::state::malformed: return finish(answer_malformed);
  }
}

void http_service::on_closed(stream_id id) {
  if (!exchange_ || exchange_->id != id) return;
  const auto state = exchange_->reader.end_of_stream();
  finish(state == http_response_reader::state::complete ? exchange_->reader.response().status : no_answer_closed);
}

}  // namespace agent
