// NV memory through the real daemon: config survives a clean restart and a kill -9 in the middle of writes.
#include <catch2/catch.hpp>
#include <map>
#include <regex>

#include "harness/harness.hpp"

using namespace e2e;

TEST_CASE("cs values survive a clean restart", "[e2e][nv]") {
  booted_module m;
  start_service(m.port);
  CHECK(m.port.command("AT+ADA=\"cs\",\"oem/template_version\",\"1.0-pwb\"") ==
        "AT+ADA=\"cs\",\"oem/template_version\",\"1.0-pwb\"\r\r\nOK\r\n");
  CHECK(m.port.command("AT+ADA=\"cs\",\"server/region\",\"CN\"") == "AT+ADA=\"cs\",\"server/region\",\"CN\"\r\r\nOK\r\n");
  m.port.close();
  CHECK(m.module.terminate() == 0);

  m.module.start();
  m.port = host_port::open_tty(m.module.link());
  CHECK(m.port.read_until("PB DONE\r\n") == boot_urcs);
  start_service(m.port);
  CHECK(m.port.command("AT+ADA=\"cg\",\"oem/template_version\"") ==
        "AT+ADA=\"cg\",\"oem/template_version\"\r\r\n+ADA: \"cg\",\"oem/template_version\",\"1.0-pwb\"\r\n\r\nOK\r\n");
  CHECK(m.port.command("AT+ADA=\"cg\",\"server/region\"") ==
        "AT+ADA=\"cg\",\"server/region\"\r\r\n+ADA: \"cg\",\"server/region\",\"CN\"\r\n\r\nOK\r\n");
}

TEST_CASE("kill -9 during a burst of cs writes loses no acknowledged value and tears no file", "[e2e][nv]") {
  booted_module m;
  start_service(m.port);
  // 200 writes spread over six keys, sent back to back (pipelined, as a host's firmware would), killed mid-burst:
  // for every key, the value after the restart is the last one answered OK or a later one (a write may become
  // durable before its OK reaches the host, never after).
  const std::vector<std::string> keys = {"oem/id", "oem/model", "oem/keyid", "oem/hwid", "oem/template_version",
                                         "id/dev_id"};
  const auto key_of = [&](int i) { return keys[static_cast<std::size_t>(i) % keys.size()]; };
  std::string burst;
  for (int i = 0; i < 200; ++i) burst += "AT+ADA=\"cs\",\"" + key_of(i) + "\",\"v" + std::to_string(i) + "\"\r";
  m.port.send(burst);
  std::string seen = m.port.read_until("\"v60\"\r\r\nOK\r\n");  // well into the burst
  m.module.kill_hard();
  seen += m.port.read_available();

  // Acknowledged: the echo of a cs line directly followed by its OK.
  std::map<std::string, int> last_ok;
  const std::regex acknowledged(R"re("v(\d+)"\r\r\nOK\r\n)re");
  for (std::sregex_iterator it(seen.begin(), seen.end(), acknowledged), end; it != end; ++it) {
    const int i = std::stoi((*it)[1]);
    last_ok[key_of(i)] = std::max(last_ok[key_of(i)], i);
  }
  REQUIRE(last_ok.size() == keys.size());

  m.port.close();
  m.module.start();
  CHECK(m.module.stderr_text().find("NV") == std::string::npos);  // the store loaded cleanly: nothing recovered
  m.port = host_port::open_tty(m.module.link());
  m.port.read_until("PB DONE\r\n");
  start_service(m.port);
  for (const auto& key : keys) {
    const std::string answer = m.port.command("AT+ADA=\"cg\",\"" + key + "\"");
    CAPTURE(key, answer, last_ok[key]);
    std::smatch value;
    REQUIRE(std::regex_search(answer, value, std::regex("\\+ADA: \"cg\",\"" + key + "\",\"v(\\d+)\"")));
    CHECK(std::stoi(value[1]) >= last_ok[key]);
    CHECK(key_of(std::stoi(value[1])) == key);
  }
}
