#include <catch2/catch.hpp>

#include "pty_bridge/output_queue.hpp"

using pty_bridge::output_queue;

TEST_CASE("output_queue keeps bytes in order until consumed") {
  output_queue queue(16);
  queue.push("\r\nOK");
  queue.push("\r\n");
  CHECK(queue.front() == "\r\nOK\r\n");
  queue.consume(2);
  CHECK(queue.front() == "OK\r\n");
  queue.consume(100);
  CHECK(queue.empty());
  CHECK(queue.dropped() == 0);
}

TEST_CASE("output_queue drops the oldest bytes when nobody reads, like a UART with no listener") {
  output_queue queue(8);
  queue.push("RDY\r\n");
  queue.push("+CPIN: READY\r\n");
  CHECK(queue.size() == 8);
  CHECK(queue.front() == std::string("+CPIN: READY\r\n").substr(6));
  CHECK(queue.dropped() == 5 + 14 - 8);
}

TEST_CASE("output_queue bound holds at every split of the same traffic") {
  const std::string traffic = "AT+ADA=\"status\"\r\r\n+ADA: \"status\",15,3\r\n\r\nOK\r\n";
  for (std::size_t cut = 0; cut <= traffic.size(); ++cut) {
    output_queue queue(10);
    queue.push(std::string_view(traffic).substr(0, cut));
    queue.push(std::string_view(traffic).substr(cut));
    CHECK(queue.front() == traffic.substr(traffic.size() - 10));
    CHECK(queue.dropped() == traffic.size() - 10);
  }
}

TEST_CASE("output_queue consumed in pieces gives back the stream") {
  output_queue queue(1024);
  std::string sent, got;
  for (int i = 0; i < 100; ++i) {
    const std::string chunk = "line " + std::to_string(i) + "\r\n";
    sent += chunk;
    queue.push(chunk);
    const std::size_t take = std::min<std::size_t>(queue.size(), 3);
    got += queue.front().substr(0, take);
    queue.consume(take);
  }
  got += queue.front();
  CHECK(got == sent);
}
