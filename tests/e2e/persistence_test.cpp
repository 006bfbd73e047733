// NV memory through the real daemon: config survives a clean restart and a kill -9 in the middle of writes.
#include <catch2/catch.hpp>
#include <map>
#include <regex>

#include "tests/e2e/support/harness.hpp"

using namespace e2e;

TEST_CASE("cs values survive a clean restart", "[e2e][nv]") {
  booted_module m;
  start_service(m.port);
  CHECK(m.port.command("AT+ADA=\"cs\",\"oem/template_version\",\"1.0-pwb\"") ==
        "AT+ADA=\"cs\",\"oem/template_version\",\"1.0-pwb\"\r\r\nOK\r\n");
  CHECK(m.port.command("AT+ADA=\"cs\",\"server/region\",\"US\"") == "AT+ADA=\"cs\",\"server/region\",\"US\"\r\r\nOK\r\n");
  m.port.close();
  CHECK(m.module.terminate() == 0);

  m.module.start();
  m.port = host_port::open_tty(m.module.link());
  CHECK(m.port.read_until("PB DONE\r\n") == boot_urcs);
  start_service(m.port);
  CHECK(m.port.command("AT+ADA=\"cg\",\"oem/template_version\"") ==
        "AT+ADA=\"cg\",\"oem/template_version\"\r\r\n+ADA: \"cg\",\"oem/template_version\",\"1.0-pwb\"\r\n\r\nOK\r\n");
  CHECK(m.port.command("AT+ADA=\"cg\",\"server/region\"") ==
        "AT+ADA=\"cg\",\"server/region\"\r\r\n+ADA: \"cg\",\"server/region\",\"US\"\r\n\r\nOK\r\n");
}

TEST_CASE("kill -9 during a burst of cs writes loses no acknowledged value and tears no file", "[e2e][nv]") {
  booted_module m;
  start_service(m.port);
  // 200 writes sent back to back (pipelined, as a host's firmware would), then killed mid-burst: every value the
  // module answered OK for must be there after the restart, the newest acknowledged one last.
  std::string burst;
  for (int i = 0; i < 200; ++i) burst += "AT+ADA=\"cs\",\"oem/template_version\",\"v" + std::to_string(i) + "\"\r";
  m.port.send(burst);
  std::string seen = m.port.read_until("\"v60\"\r\r\nOK\r\n");  // well into the burst
  m.module.kill_hard();
  seen += m.port.read_available();

  // The last value acknowledged: the echo of a cs line directly followed by its OK.
  const std::regex acknowledged(R"re("v(\d+)"\r\r\nOK\r\n)re");
  int last_ok = -1;
  for (std::sregex_iterator it(seen.begin(), seen.end(), acknowledged), end; it != end; ++it)
    last_ok = std::max(last_ok, std::stoi((*it)[1]));
  REQUIRE(last_ok >= 60);

  m.port.close();
  m.module.start();
  CHECK(m.module.stderr_text().find("NV") == std::string::npos);  // the store loaded cleanly: nothing recovered
  m.port = host_port::open_tty(m.module.link());
  m.port.read_until("PB DONE\r\n");
  start_service(m.port);
  const std::string answer = m.port.command("AT+ADA=\"cg\",\"oem/template_version\"");
  std::smatch value;
  REQUIRE(std::regex_search(answer, value, std::regex(R"re(\+ADA: "cg","oem/template_version","v(\d+)")re")));
  // A write may be durable before its OK reached us, never the other way round.
  CHECK(std::stoi(value[1]) >= last_ok);
  CHECK(std::stoi(value[1]) < 200);
}
