#pragma once
// http_wire: HTTP/1.1 on the wire for the module's HTTP(S) service — a request as bytes, and a response read from
// bytes as they arrive (status line, headers, then a body by Content-Length, chunks, or up to the end of the
// stream), with bounds on the head and the body. Pure.
#include <cstddef>
#include <string>
#include <string_view>

#include "ads_client/http_message.hpp"

namespace agent {

// The request's bytes: "<METHOD> <target> HTTP/1.1", Host, the request's own headers, Content-Length when it has
// a body (or is a POST), Connection: close (one request per connection, as the module's service makes them).
std::string http_request_bytes(const ads_client::http_request& request, std::string_view host_header);

class http_response_reader {
 public:
  static constexpr std::size_t max_head = 16 * 1024;
  static constexpr std::size_t max_body = 512 * 1024;

  enum class state { reading, complete, malformed, too_large };

  // `head_only`: the answer to a HEAD request, which has no body whatever its headers say.
  explicit http_response_reader(bool head_only = false) : head_only_(head_only) {}

  // Takes the next bytes of the stream; returns the state after them (bytes past a complete response are ignored).
  state feed(std::string_view bytes);
  // The peer closed the stream: completes a body that runs to the end, anything else cut short is malformed.
  state end_of_stream();

  state current() const { return state_; }
  const ads_client::http_response& response() const { return response_; }
  const std::string& head() const { return head_; }  // the status line and headers as received, blank line included

 private:
  enum class body_kind { none, length, chunked, until_close };
  state parse_head();
  state read_body();
  state read_chunks();
  state fail(state why) { return state_ = why; }

  bool head_only_;
  state state_ = state::reading;
  std::string buffer_;  // bytes not yet parsed
  std::string head_;
  bool head_done_ = false;
  body_kind kind_ = body_kind::none;
  std::size_t remaining_ = 0;  // of the body (length) or of the current chunk
  bool in_chunk_ = false;
  ads_client::http_response response_;
};

}  // namespace agent
