#include "agent/http_wire.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace agent {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

template <class T>
bool parse_number(std::string_view text, T& value, int base = 10) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

}  // namespace

std::string http_request_bytes(const ads_client::http_request& request, std::string_view host_header) {
  std::string bytes = request.method + " " + request.target + " HTTP/1.1\r\nHost: " + std::string(host_header) + "\r\n";
  for (const auto& [name, value] : request.headers) bytes += name + ": " + value + "\r\n";
  if (!request.body.empty() || request.method == "POST") {
    bytes += "Content-Length: " + std::to_string(request.body.size()) + "\r\n";
  }
  bytes += "Connection: close\r\n\r\n";
  return bytes + request.body;
}

http_response_reader::state http_response_reader::feed(std::string_view bytes) {
  if (state_ != state::reading) return state_;
  buffer_.append(bytes);
  if (!head_done_) {
    const std::size_t end = buffer_.find("\r\n\r\n");
    if (end == std::string::npos) return buffer_.size() > max_head ? fail(state::too_large) : state_;
    if (end + 4 > max_head) return fail(state::too_large);
    head_ = buffer_.substr(0, end + 4);
    buffer_.erase(0, end + 4);
    head_done_ = true;
    if (parse_head() != state::reading) return state_;
  }
  return read_body();
}

http_response_reader::state http_response_reader::parse_head() {
  // "HTTP/1.1 200 OK"
  const std::size_t line_end = head_.find("\r\n");
  const std::string_view status_line(head_.data(), line_end);
  if (!status_line.starts_with("HTTP/1.") || status_line.size() < 12 || status_line[8] != ' ' ||
      !parse_number(status_line.substr(9, 3), response_.status) || response_.status < 100) {
    return fail(state::malformed);
  }
  std::size_t at = line_end + 2;
  while (at < head_.size() - 2) {
    const std::size_t next = head_.find("\r\n", at);
    const std::string_view line(head_.data() + at, next - at);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return fail(state::malformed);
    std::string name = lower(line.substr(0, colon));
    std::string value(trimmed(line.substr(colon + 1)));
    auto [it, added] = response_.headers.emplace(name, value);
    if (!added) it->second += ", " + value;
    at = next + 2;
  }
  const bool no_body = head_only_ || response_.status / 100 == 1 || response_.status == 204 || response_.status == 304;
  const auto encoding = response_.header("transfer-encoding");
  const auto length = response_.header("content-length");
  if (no_body) {
    kind_ = body_kind::none;
  } else if (encoding && lower(*encoding).find("chunked") != std::string::npos) {
    kind_ = body_kind::chunked;
  } else if (length) {
    if (!parse_number(*length, remaining_)) return fail(state::malformed);
    if (remaining_ > max_body) return fail(state::too_large);
    kind_ = body_kind::length;
  } else {
    kind_ = body_kind::until_close;
  }
  return state_;
}

http_response_reader::state http_response_reader::read_body() {
  switch (kind_) {
    case body_kind::none: return state_ = state::complete;
    case body_kind::length: {
      const std::size_t take = std::min(remaining_, buffer_.size());
      response_.body.append(buffer_, 0, take);
      buffer_.erase(0, take);
      remaining_ -= take;
      return remaining_ == 0 ? state_ = state::complete : state_;
    }
    case body_kind::until_close:
      if (response_.body.size() + buffer_.size() > max_body) return fail(state::too_large);
      response_.body += buffer_;
      buffer_.clear();
      return state_;
    case body_kind::chunked: return read_chunks();
  }
  return state_;
}

// "<hex size>[;ext]\r\n<data>\r\n" ... "0\r\n[trailers]\r\n"
http_response_reader::state http_response_reader::read_chunks() {
  for (;;) {
    if (in_chunk_) {
      const std::size_t take = std::min(remaining_, buffer_.size());
      response_.body.append(buffer_, 0, take);
      buffer_.erase(0, take);
      remaining_ -= take;
      if (remaining_ > 0 || buffer_.size() < 2) return state_;
      if (buffer_.compare(0, 2, "\r\n") != 0) return fail(state::malformed);
      buffer_.erase(0, 2);
      in_chunk_ = false;
    }
    const std::size_t line_end = buffer_.find("\r\n");
    if (line_end == std::string::npos) return buffer_.size() > 64 ? fail(state::malformed) : state_;
    std::string_view size_text(buffer_.data(), line_end);
    size_text = trimmed(size_text.substr(0, size_text.find(';')));
    std::size_t size = 0;
    if (!parse_number(size_text, size, 16)) return fail(state::malformed);
    if (size == 0) {
      // The trailers end at an empty line; nothing of them is kept.
      const std::size_t end = buffer_.find("\r\n\r\n", line_end);
      if (buffer_.compare(line_end, 4, "\r\n\r\n") == 0 || end != std::string::npos) return state_ = state::complete;
      return buffer_.size() > max_head ? fail(state::too_large) : state_;
    }
    if (response_.body.size() + size > max_body) return fail(state::too_large);
    buffer_.erase(0, line_end + 2);
    remaining_ = size;
    in_chunk_ = true;
  }
}

http_response_reader::state http_response_reader::end_of_stream() {
  if (state_ != state::reading) return state_;
  if (head_done_ && kind_ == body_kind::until_close) return state_ = state::complete;
  return fail(state::malformed);
}

}  // namespace agent
