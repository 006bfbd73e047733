// Bad input from the host: every case leaves the daemon running, AT -> OK, and the stored config intact.
#include <catch2/catch.hpp>
#include <random>

#include "harness/harness.hpp"

using namespace e2e;

namespace {

constexpr const char* marker_set = "AT+ADA=\"cs\",\"oem/template_version\",\"keep-me\"";
constexpr const char* marker_get =
    "AT+ADA=\"cg\",\"oem/template_version\"\r\r\n+ADA: \"cg\",\"oem/template_version\",\"keep-me\"\r\n\r\nOK\r\n";

// A started module holding one config value that no bad input may change.
struct module_with_config : booted_module {
  module_with_config() {
    start_service(port);
    if (port.command(marker_set) != std::string(marker_set) + "\r\r\nOK\r\n") throw std::runtime_error("cs failed");
  }
  void check_still_fine() {
    CHECK(module.running());
    CHECK(port.command("AT") == "AT\r\r\nOK\r\n");
    CHECK(port.command("AT+ADA=\"cg\",\"oem/template_version\"") == marker_get);
  }
};

std::string echoed_error(const std::string& line, const std::string& ada_line = {}) {
  return line + "\r\r\n" + (ada_line.empty() ? "" : ada_line + "\r\n\r\n") + "ERROR\r\n";
}

}  // namespace

TEST_CASE("a 3000-character line is discarded whole and answered ERROR", "[e2e][bad]") {
  module_with_config m;
  const std::string line = "AT+ADA=\"cs\",\"oem/template_version\",\"" + std::string(2960, 'x') + "\"";
  const std::string answer = m.port.command(line);
  CHECK(answer.ends_with("\r\nERROR\r\n"));
  CHECK(answer.find("OK") == std::string::npos);
  m.check_still_fine();
}

TEST_CASE("NUL and bytes >= 0x80 in a line", "[e2e][bad]") {
  module_with_config m;
  static constexpr char with_nul[] = "AT+ADA=\"cs\",\"oem/model\",\"a\0b\x80\xff\"";
  const std::string line(with_nul, sizeof with_nul - 1);
  const std::string answer = m.port.command(line);
  CHECK((answer.find("\r\nERROR\r\n") != std::string::npos || answer.find("\r\nOK\r\n") != std::string::npos));
  static constexpr char high_and_nul[] = "\x80\x81\xfe\xff\0\0AT\0\r";
  const std::string garbage(high_and_nul, sizeof high_and_nul - 1);
  m.port.send(garbage);
  const std::string garbage_answer = m.port.read_final();  // whatever the answer, the port must stay usable
  CHECK(garbage_answer.ends_with("\r\nERROR\r\n"));
  m.check_still_fine();
}

TEST_CASE("AT+ADA with missing, empty, malformed and unknown sub-commands", "[e2e][bad]") {
  module_with_config m;
  CHECK(m.port.command("AT+ADA") == echoed_error("AT+ADA"));
  CHECK(m.port.command("AT+ADA=") == echoed_error("AT+ADA=", "+ADA: \"\",\"err\",1,\"missing: command\""));
  CHECK(m.port.command("AT+ADA=\"\"") == echoed_error("AT+ADA=\"\"", "+ADA: \"\",\"err\",1,\"missing: command\""));
  CHECK(m.port.command("AT+ADA=\"frobnicate\"") ==
        echoed_error("AT+ADA=\"frobnicate\"", "+ADA: \"frobnicate\",\"err\",3,\"unknown: command\""));
  // An unterminated quote.
  const std::string unterminated = m.port.command("AT+ADA=\"cs\",\"oem/template_version\",\"oops");
  CHECK(unterminated.ends_with("\r\nERROR\r\n"));
  // "s" with missing and extra arguments: wrong argument count is a usage error (4) or a missing one (1).
  for (const char* line : {"AT+ADA=\"s\"", "AT+ADA=\"s\",\"Blue_LED\"", "AT+ADA=\"s\",\"Blue_LED\",\"b\"",
                           "AT+ADA=\"s\",\"Blue_LED\",\"b\",\"1\",\"x\",\"y\",\"z\""}) {
    const std::string answer = m.port.command(line);
    CAPTURE(line, answer);
    CHECK(answer.rfind(std::string(line) + "\r\r\n+ADA: \"s\",\"err\",", 0) == 0);
    CHECK(answer.ends_with("\r\nERROR\r\n"));
  }
  CHECK(m.port.command("AT+ADA=\"cs\"").find("\r\n+ADA: \"cs\",\"err\",") != std::string::npos);
  CHECK(m.port.command("AT+ADA=\"cs\",\"oem/template_version\",\"a\",\"b\",\"c\"").find("ERROR\r\n") !=
        std::string::npos);
  m.check_still_fine();
}

TEST_CASE("a 1025-character value is too long", "[e2e][bad]") {
  module_with_config m;
  const std::string line = "AT+ADA=\"cs\",\"oem/template_version\",\"" + std::string(1025, 'v') + "\"";
  const std::string answer = m.port.command(line);
  CHECK(answer.find("\r\n+ADA: \"cs\",\"err\",5,\"len err: ") != std::string::npos);
  CHECK(answer.ends_with("\r\nERROR\r\n"));
  m.check_still_fine();
}

TEST_CASE("sn without st, and invalid base64 in sign", "[e2e][bad]") {
  module_with_config m;
  const std::string sn_first = m.port.command("AT+ADA=\"cs\",\"id/key\",\"sn\",\"QUJD\"");
  CHECK(sn_first.find("\r\n+ADA: \"cs\",\"err\",6,") != std::string::npos);
  CHECK(sn_first.ends_with("\r\nERROR\r\n"));
  const std::string sign_sn_first = m.port.command("AT+ADA=\"sign\",\"sn\",\"QUJD\"");
  CHECK(sign_sn_first.find("\r\n+ADA: \"sign\",\"err\",") != std::string::npos);
  CHECK(m.port.command("AT+ADA=\"sign\",\"st\",\"!!!not base64***\"") == "AT+ADA=\"sign\",\"st\",\"!!!not base64***\"\r\r\nOK\r\n");
  CHECK(m.port.command("AT+ADA=\"sign\",\"sn\",\"%%%\"") ==
        echoed_error("AT+ADA=\"sign\",\"sn\",\"%%%\"", "+ADA: \"sign\",\"err\",6,\"invalid: key\""));
  m.check_still_fine();
}

TEST_CASE("10 MB of random bytes, then a CR and AT", "[e2e][bad]") {
  module_with_config m;
  std::mt19937 random(7600);  // fixed seed: the same bytes every run
  std::uniform_int_distribution<int> byte(0, 255);
  std::string chunk(64 * 1024, '\0');
  for (int round = 0; round < 160; ++round) {
    for (auto& c : chunk) c = static_cast<char>(byte(random));
    m.port.send(chunk);
    m.port.read_available();  // keep the echo flowing; a host that never reads is tested in the pty unit tests
  }
  // Random lines may hold valid commands (an "ATE0" among 10 MB is likely), so the flood may leave any V.250
  // setting changed, as on a real module: factory settings first, then a fresh AT must come back OK.
  m.port.send("\rAT&F\rAT+ADA=\"cg\",\"oem/template_version\"\r");
  CHECK(m.port.read_until(marker_get, 60s).ends_with(marker_get));
  m.check_still_fine();
}

TEST_CASE("a client closing mid-line: the next client's AT is OK", "[e2e][bad]") {
  module_with_config m;
  m.port.send("AT+ADA=\"cs\",\"oem/templ");
  m.port.read_until("oem/templ");
  m.reconnect();
  CHECK(m.port.command("AT") == "AT\r\r\nOK\r\n");  // nothing of the old line: not its echo, not an ERROR
  m.check_still_fine();
}
