#include <catch2/catch.hpp>
#include <chrono>
#include <regex>

#include "pty_bridge/transcript.hpp"

using namespace pty_bridge;

namespace {
const auto at = std::chrono::system_clock::time_point{} + std::chrono::seconds(1795000456) +
                std::chrono::microseconds(123456);

// Stands in for agent::mask_ada_secrets: hides the value of a `cs` of oem/secret.
std::string fake_mask(std::string_view line) {
  std::string text(line);
  const std::string key = "\"oem/secret\",\"";
  if (auto at_key = text.find(key); at_key != std::string::npos) {
    const auto start = at_key + key.size();
    const auto end = text.find('"', start);
    text.replace(start, end == std::string::npos ? std::string::npos : end - start, "***");
  }
  return text;
}

// The records' bodies, without timestamps: "> AT\r", "< \r\n".
std::vector<std::string> bodies(const std::string& records) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < records.size()) {
    const auto end = records.find('\n', start);
    const std::string line = records.substr(start, end - start);
    out.push_back(line.substr(line.find(' ') + 1));
    start = end + 1;
  }
  return out;
}
}  // namespace

TEST_CASE("escape_traffic shows control bytes and high bytes readably") {
  CHECK(escape_traffic("AT\r\n") == "AT\\r\\n");
  CHECK(escape_traffic(std::string("a\0b", 3)) == "a\\x00b");
  CHECK(escape_traffic("\x7f\x80\xff") == "\\x7F\\x80\\xFF");
  CHECK(escape_traffic("back\\slash") == "back\\\\slash");
}

TEST_CASE("iso8601_utc_micros is UTC with microseconds") {
  CHECK(iso8601_utc_micros(at) == "2026-11-18T11:14:16.123456Z");
}

TEST_CASE("transcript records one line of traffic per record, direction-marked") {
  transcript_recorder recorder(nullptr);
  std::string out = recorder.add(direction::host_to_module, "AT\r", at);
  out += recorder.add(direction::module_to_host, "AT\r\r\nOK\r\n", at);
  CHECK(out ==
        "2026-11-18T11:14:16.123456Z > AT\\r\n"
        "2026-11-18T11:14:16.123456Z < AT\\r\n"
        "2026-11-18T11:14:16.123456Z < \\r\\n\n"
        "2026-11-18T11:14:16.123456Z < OK\\r\\n\n");
}

TEST_CASE("transcript records are the same however the traffic is split") {
  const std::string host = "AT+CSQ\rAT+ADA=\"cs\",\"oem/secret\",\"hunter2\"\r\nATI\r";
  const std::string module = "AT+CSQ\r\r\n+CSQ: 20,99\r\n\r\nOK\r\nAT+ADA=\"cs\",\"oem/secret\",\"hunter2\"\r\r\nOK\r\n";
  const auto whole = [&](const std::string& text, direction dir) {
    transcript_recorder recorder(fake_mask);
    return bodies(recorder.add(dir, text, at) + recorder.flush_all());
  };
  const auto expected_in = whole(host, direction::host_to_module);
  const auto expected_out = whole(module, direction::module_to_host);
  CHECK(expected_in == std::vector<std::string>{"> AT+CSQ\\r", "> AT+ADA=\"cs\",\"oem/secret\",\"***\"\\r\\n",
                                                "> ATI\\r"});
  CHECK(expected_out.size() == 8);
  for (std::size_t cut = 0; cut <= module.size(); ++cut) {
    transcript_recorder recorder(fake_mask);
    std::string out = recorder.add(direction::module_to_host, module.substr(0, cut), at);
    out += recorder.add(direction::module_to_host, module.substr(cut), at);
    CHECK(bodies(out + recorder.flush_all()) == expected_out);
  }
  for (std::size_t cut = 0; cut <= host.size(); ++cut) {
    // The host's CR ends its line at once, so only a cut between CR and LF may move the LF (never a secret).
    transcript_recorder recorder(fake_mask);
    std::string out = recorder.add(direction::host_to_module, host.substr(0, cut), at);
    out += recorder.add(direction::host_to_module, host.substr(cut), at);
    const std::string all = out + recorder.flush_all();
    CHECK(all.find("hunter2") == std::string::npos);
    const auto got = bodies(all);
    if (cut == 0 || host[cut - 1] != '\r') {
      CHECK(got == expected_in);
    }
  }
}

TEST_CASE("transcript never writes a secret, in either direction") {
  transcript_recorder recorder(fake_mask);
  std::string out = recorder.add(direction::host_to_module, "AT+ADA=\"cs\",\"oem/sec", at);
  out += recorder.add(direction::module_to_host, "AT+ADA=\"cs\",\"oem/sec", at);
  out += recorder.add(direction::host_to_module, "ret\",\"s3cr3t\"\r", at);
  out += recorder.add(direction::module_to_host, "ret\",\"s3cr3t\"\r\r\nOK\r\n", at);
  CHECK(out.find("s3cr3t") == std::string::npos);
  CHECK(out.find("> AT+ADA=\"cs\",\"oem/secret\",\"***\"\\r") != std::string::npos);
  CHECK(out.find("< AT+ADA=\"cs\",\"oem/secret\",\"***\"\\r") != std::string::npos);
}

TEST_CASE("transcript cuts an endless line and flushes a half-typed one on close") {
  transcript_recorder recorder(nullptr);
  const std::string flood(transcript_recorder::max_record * 2 + 10, 'x');
  const auto records = bodies(recorder.add(direction::host_to_module, flood, at));
  CHECK(records.size() == 2);
  CHECK(bodies(recorder.flush(direction::host_to_module)) == std::vector<std::string>{"> " + std::string(10, 'x')});
  CHECK(recorder.flush_all().empty());
}
