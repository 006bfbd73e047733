#include <catch2/catch.hpp>

#include <vector>

#include "agent/at_line_reader.hpp"

using agent::at_line_reader;
using agent::line_discipline;
using agent::line_event;

namespace {

struct reading {
  std::vector<line_event> events;
  std::string echo;
};

reading read_all(at_line_reader& reader, std::string_view bytes, line_discipline discipline = {}) {
  reading out;
  for (char byte : bytes) {
    if (auto event = reader.push(byte, discipline, out.echo)) out.events.push_back(*event);
  }
  return out;
}

std::vector<std::string> texts(const reading& r) {
  std::vector<std::string> out;
  for (const auto& e : r.events) out.push_back(e.what == line_event::kind::too_long ? "<too long>" : e.text);
  return out;
}

}  // namespace

TEST_CASE("line reader: a line starts at AT in any case and ends at CR, bytes before it are dropped") {
  at_line_reader reader;
  auto r = read_all(reader, "xyz\x01" "AT+CSQ\rat\raT+CREG?\rAt\r");
  REQUIRE(texts(r) == std::vector<std::string>{"+CSQ", "", "+CREG?", ""});
}

TEST_CASE("line reader: echo is every received byte, CR and backspace included, when on") {
  at_line_reader reader;
  auto r = read_all(reader, "xAT+C\bCSQ\r");
  REQUIRE(r.echo == "xAT+C\bCSQ\r");
  at_line_reader quiet;
  REQUIRE(read_all(quiet, "AT\r", {false, '\r', '\b'}).echo.empty());
}

TEST_CASE("line reader: an LF right after CR is ignored and not echoed, other LFs are noise") {
  at_line_reader reader;
  auto r = read_all(reader, "AT\r\nAT+CSQ\r\n\nAT\r");
  REQUIRE(texts(r) == std::vector<std::string>{"", "+CSQ", ""});
  REQUIRE(r.echo == "AT\rAT+CSQ\r\nAT\r");
}

TEST_CASE("line reader: backspace deletes the previous character, back into the AT") {
  at_line_reader reader;
  auto r = read_all(reader, "ATE1\b0\rAT\bT\rAT+X\b\b\bTI\r");
  REQUIRE(texts(r) == std::vector<std::string>{"E0", "", "I"});
}

TEST_CASE("line reader: S3 and S5 can be other characters") {
  at_line_reader reader;
  auto r = read_all(reader, "ATE1#0@", {true, '@', '#'});
  REQUIRE(texts(r) == std::vector<std::string>{"E0"});
}

TEST_CASE("line reader: A/ repeats the last line, in any case, with no CR") {
  at_line_reader reader;
  auto r = read_all(reader, "A/ATI\rA/a/");
  REQUIRE(texts(r) == std::vector<std::string>{"", "I", "I", "I"});
  REQUIRE(r.echo == "A/ATI\rA/a/");
}

TEST_CASE("line reader: 2048 characters are a line, longer lines are discarded whole") {
  for (std::size_t length : {2048u, 2049u, 3000u}) {
    at_line_reader reader;
    std::string line = "AT" + std::string(length - 2, 'x') + "\rAT\r";
    auto r = read_all(reader, line);
    REQUIRE(r.events.size() == 2);
    INFO(length);
    CHECK((r.events[0].what == line_event::kind::too_long) == (length > 2048));
    if (length == 2048) CHECK(r.events[0].text.size() == 2046);
    CHECK(r.events[1].what == line_event::kind::command_line);
    CHECK(r.events[1].text.empty());
  }
}

TEST_CASE("line reader: A/ after an over-long line repeats the last good one") {
  at_line_reader reader;
  auto r = read_all(reader, "ATI\rAT" + std::string(3000, 'y') + "\rA/");
  REQUIRE(texts(r) == std::vector<std::string>{"I", "<too long>", "I"});
}

TEST_CASE("line reader: NUL and high bytes are carried as data") {
  at_line_reader reader;
  std::string input("AT\0\x80\xff\r", 6);
  auto r = read_all(reader, input);
  REQUIRE(r.events.size() == 1);
  REQUIRE(r.events[0].text == std::string("\0\x80\xff", 3));
}

TEST_CASE("line reader: dropping a partial line") {
  at_line_reader reader;
  std::string echo;
  read_all(reader, "AT+CS");
  reader.drop_partial_line();
  auto r = read_all(reader, "Q\rAT\r");
  REQUIRE(texts(r) == std::vector<std::string>{""});
}
