#include <catch2/catch.hpp>

#include "agent/http_wire.hpp"
#include "agent_test_support.hpp"

using agent::http_response_reader;
using state = http_response_reader::state;

namespace {

// Feeds `input` in the pieces given; the state after the last one.
state feed_all(http_response_reader& reader, const std::vector<std::string_view>& pieces) {
  state last = reader.current();
  for (auto piece : pieces) last = reader.feed(piece);
  return last;
}

}  // namespace

TEST_CASE("http_wire: a request's bytes, with a body and without") {
  ads_client::http_request get{.method = "GET", .target = "/cfg?x=1", .headers = {{"Accept", "*/*"}}, .body = ""};
  CHECK(agent::http_request_bytes(get, "localhost:8080") ==
        "GET /cfg?x=1 HTTP/1.1\r\nHost: localhost:8080\r\nAccept: */*\r\nConnection: close\r\n\r\n");
  ads_client::http_request post{.method = "POST", .target = "/", .headers = {{"Content-Type", "text/plain"}},
                                .body = "a=b"};
  CHECK(agent::http_request_bytes(post, "h") ==
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\na=b");
  ads_client::http_request empty_post{.method = "POST", .target = "/", .headers = {}, .body = ""};
  CHECK(agent::http_request_bytes(empty_post, "h").find("Content-Length: 0\r\n") != std::string::npos);
}

TEST_CASE("http_wire: a Content-Length answer reads the same at every split") {
  const std::string input = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello";
  agent_test::same_output_at_every_split(input, [](std::vector<std::string_view> pieces) {
    http_response_reader reader;
    REQUIRE(feed_all(reader, pieces) == state::complete);
    CHECK(reader.response().status == 200);
    CHECK(reader.response().header("content-type") == "text/plain");
    CHECK(reader.head() == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n");
    return reader.response().body;
  });
}

TEST_CASE("http_wire: a chunked answer reads the same at every split, trailers dropped") {
  const std::string input =
      "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\n"
      "X-Trailer: t\r\n\r\n";
  const std::string body = agent_test::same_output_at_every_split(input, [](std::vector<std::string_view> pieces) {
    http_response_reader reader;
    REQUIRE(feed_all(reader, pieces) == state::complete);
    CHECK(reader.response().status == 201);
    return reader.response().body;
  });
  CHECK(body == "hello world");
}

TEST_CASE("http_wire: a body up to the end of the stream, HEAD and 204 have none") {
  http_response_reader until_close;
  CHECK(until_close.feed("HTTP/1.0 200 OK\r\n\r\nsome") == state::reading);
  CHECK(until_close.feed(" more") == state::reading);
  CHECK(until_close.end_of_stream() == state::complete);
  CHECK(until_close.response().body == "some more");

  http_response_reader head(true);
  CHECK(head.feed("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n") == state::complete);
  http_response_reader no_content;
  CHECK(no_content.feed("HTTP/1.1 204 No Content\r\n\r\n") == state::complete);
}

TEST_CASE("http_wire: malformed, cut short and oversized answers") {
  for (const char* bad : {"HTTX/1.1 200 OK\r\n\r\n", "HTTP/1.1 2x0 OK\r\n\r\n", "HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
                          "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "HTTP/1.1 200 OK\r\n: v\r\n\r\n",
                          "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                          "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY"}) {
    INFO(bad);
    http_response_reader reader;
    CHECK(reader.feed(bad) == state::malformed);
  }
  http_response_reader cut;
  CHECK(cut.feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc") == state::reading);
  CHECK(cut.end_of_stream() == state::malformed);
  http_response_reader no_head;
  CHECK(no_head.end_of_stream() == state::malformed);

  http_response_reader long_head;
  CHECK(long_head.feed("HTTP/1.1 200 OK\r\nX: " + std::string(http_response_reader::max_head, 'a')) ==
        state::too_large);
  http_response_reader long_body;
  CHECK(long_body.feed("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(http_response_reader::max_body + 1) +
                       "\r\n\r\n") == state::too_large);
  http_response_reader long_chunk;
  CHECK(long_chunk.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n80001\r\n") == state::too_large);
  http_response_reader long_stream;
  CHECK(long_stream.feed("HTTP/1.1 200 OK\r\n\r\n") == state::reading);
  CHECK(long_stream.feed(std::string(http_response_reader::max_body, 'b')) == state::reading);
  CHECK(long_stream.feed("b") == state::too_large);
}
