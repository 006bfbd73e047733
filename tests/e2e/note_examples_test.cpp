// The application note's examples (3.1-3.10, the bring-up of sample 4.1) as byte-exact transcripts: echo on, as a
// host sees them on the PTY of the real daemon.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "harness/harness.hpp"

using namespace e2e;

namespace {
// `line` echoed with its CR, then the answer.
std::string echoed(const std::string& line, const std::string& answer) { return line + "\r" + answer; }
}  // namespace

TEST_CASE("boot URCs after start and after AT+CFUN=1,1", "[e2e][note]") {
  booted_module m;
  CHECK(m.boot_output == boot_urcs);
  CHECK(m.port.command("AT") == "AT\r\r\nOK\r\n");
  CHECK(m.port.command("AT+CFUN=1,1") == "AT+CFUN=1,1\r\r\nOK\r\n");
  const std::string reboot = m.port.read_until("PB DONE\r\n");
  CHECK(reboot.size() >= boot_urcs.size());
  CHECK(reboot.substr(reboot.size() - boot_urcs.size()) == boot_urcs);
  CHECK(m.port.command("AT") == "AT\r\r\nOK\r\n");
}

TEST_CASE("3.1 start and stop the APCA service", "[e2e][note]") {
  booted_module m;
  CHECK(m.port.command("at+ada=\"start\"") == echoed("at+ada=\"start\"", "\r\nOK\r\n"));
  CHECK(m.port.expect("\r\n+ADA: \"start\",\"done\"\r\n") == "\r\n+ADA: \"start\",\"done\"\r\n");
  CHECK(m.port.command("at+ada=\"stop\"") == echoed("at+ada=\"stop\"", "\r\nOK\r\n"));
  // Stopped: config commands are refused by state (code 7).
  CHECK(m.port.command("AT+ADA=\"cg\",\"oem/id\"") ==
        echoed("AT+ADA=\"cg\",\"oem/id\"", "\r\n+ADA: \"cg\",\"err\",7,\"err: service not started\"\r\n\r\nERROR\r\n"));
}

TEST_CASE("3.3 status before any data call is not connected, net error", "[e2e][note]") {
  booted_module m;
  CHECK(m.port.command("AT+ADA=\"status\"") ==
        echoed("AT+ADA=\"status\"", "\r\n+ADA: \"status\",15,3\r\n\r\nOK\r\n"));
  start_service(m.port);
  CHECK(m.port.command("AT+ADA=\"status\"") ==
        echoed("AT+ADA=\"status\"", "\r\n+ADA: \"status\",15,3\r\n\r\nOK\r\n"));
}

TEST_CASE("3.6 cs and cg of local config", "[e2e][note]") {
  booted_module m;
  start_service(m.port);
  CHECK(m.port.command("AT+ADA=\"cs\", \"oem/template_version\",\"1.0-pwb\"") ==
        echoed("AT+ADA=\"cs\", \"oem/template_version\",\"1.0-pwb\"", "\r\nOK\r\n"));
  CHECK(m.port.command("AT+ADA=\"cg\", \"oem/template_version\"") ==
        echoed("AT+ADA=\"cg\", \"oem/template_version\"",
               "\r\n+ADA: \"cg\",\"oem/template_version\",\"1.0-pwb\"\r\n\r\nOK\r\n"));
  CHECK(m.port.command("AT+ADA=\"cs\",\"oem/template_version\",\"1.0-pwb\"") ==
        echoed("AT+ADA=\"cs\",\"oem/template_version\",\"1.0-pwb\"",
               "\r\n+ADA: \"cs\",\"oem/template_version\",\"no change\"\r\n\r\nOK\r\n"));
  CHECK(m.port.command("AT+ADA=\"cg\",\"abc\"") ==
        echoed("AT+ADA=\"cg\",\"abc\"", "\r\n+ADA: \"cg\",\"err\",8,\"not supported: config name\"\r\n\r\nERROR\r\n"));
  // Secrets are write-only: the factory-provisioned module has one, and never shows it.
  CHECK(m.port.command("AT+ADA=\"cg\",\"oem/secret\"") ==
        echoed("AT+ADA=\"cg\",\"oem/secret\"", "\r\n+ADA: \"cg\",\"oem/secret\",\"set\"\r\n\r\nOK\r\n"));
  CHECK(m.port.command("AT+ADA=\"cs\",\"oem/secret\",\"hunter2\"") ==
        echoed("AT+ADA=\"cs\",\"oem/secret\",\"hunter2\"", "\r\nOK\r\n"));
  CHECK(m.port.command("AT+ADA=\"cg\",\"oem/secret\"") ==
        echoed("AT+ADA=\"cg\",\"oem/secret\"", "\r\n+ADA: \"cg\",\"oem/secret\",\"set\"\r\n\r\nOK\r\n"));
}

TEST_CASE("3.6 id/key set in parts", "[e2e][note]") {
  booted_module m;
  start_service(m.port);
  const finished_run key = run_to_exit("/usr/bin/openssl", {"genrsa", "2048"});
  REQUIRE(key.exit_code == 0);
  temp_dir dir;
  const auto key_file = (dir.path() / "key.pem").string();
  { std::ofstream(key_file) << key.out; }
  const finished_run pub = run_to_exit("/usr/bin/openssl", {"rsa", "-in", key_file, "-pubout"});
  REQUIRE(pub.exit_code == 0);
  const std::string body = pem_body(pub.out);
  const std::string parts[] = {body.substr(0, 90), body.substr(90, 90), body.substr(180, 90), body.substr(270)};
  const char* kinds[] = {"st", "ss", "ss", "sn"};
  for (int i = 0; i < 4; ++i) {
    const std::string line = std::string("AT+ADA=\"cs\",\"id/key\",\"") + kinds[i] + "\",\"" + parts[i] + "\"";
    CHECK(m.port.command(line) == echoed(line, "\r\nOK\r\n"));
  }
  CHECK(m.port.command("AT+ADA=\"cg\",\"id/key\"") ==
        echoed("AT+ADA=\"cg\",\"id/key\"", "\r\n+ADA: \"cg\",\"id/key\",\"set\"\r\n\r\nOK\r\n"));
}

TEST_CASE("3.7 sign with an OEM private key sent in parts (note 5.1.5)", "[e2e][note]") {
  booted_module m;
  start_service(m.port);
  temp_dir dir;
  const auto rsa_file = (dir.path() / "rsa_private_key_2048.pem").string();
  const auto pkcs8_file = (dir.path() / "rsa_private_key_2048_pkcs8.pem").string();
  REQUIRE(run_to_exit("/usr/bin/openssl", {"genrsa", "-out", rsa_file, "2048"}).exit_code == 0);
  REQUIRE(run_to_exit("/usr/bin/openssl",
                      {"pkcs8", "-in", rsa_file, "-out", pkcs8_file, "-nocrypt", "-topk8"})
              .exit_code == 0);
  const std::string body = pem_body(file_contents(pkcs8_file));
  REQUIRE(body.size() > 1000);
  std::vector<std::string> parts;
  for (std::size_t at = 0; at < body.size(); at += 64) parts.push_back(body.substr(at, 64));
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const char* kind = i == 0 ? "st" : i + 1 == parts.size() ? "sn" : "ss";
    const std::string line = std::string("AT+ADA=\"sign\",\"") + kind + "\",\"" + parts[i] + "\"";
    CHECK(m.port.command(line) == echoed(line, "\r\nOK\r\n"));
  }
  // The key is never stored: no piece of it is in the module's NV memory.
  m.module.terminate();
  for (const auto& file : std::filesystem::recursive_directory_iterator(m.module.state_dir())) {
    if (file.is_regular_file()) CHECK(file_contents(file.path()).find(parts[1]) == std::string::npos);
  }
}

TEST_CASE("3.8 setup_mode enable, disable, show", "[e2e][note]") {
  booted_module m;
  CHECK(m.port.command("AT+ADA=\"setup_mode\",\"show\"") ==
        echoed("AT+ADA=\"setup_mode\",\"show\"", "\r\n+ADA: \"setup_mode\",\"enable\"\r\n\r\nOK\r\n"));
  CHECK(m.port.command("AT+ADA=\"setup_mode\",\"enable\",\"secretkey\"") ==
        echoed("AT+ADA=\"setup_mode\",\"enable\",\"secretkey\"", "\r\nOK\r\n"));
  CHECK(m.port.command("AT+ADA=\"setup_mode\",\"disable\"") ==
        echoed("AT+ADA=\"setup_mode\",\"disable\"", "\r\nOK\r\n"));
  CHECK(m.port.command("AT+ADA=\"setup_mode\",\"show\"") ==
        echoed("AT+ADA=\"setup_mode\",\"show\"", "\r\n+ADA: \"setup_mode\",\"disable\"\r\n\r\nOK\r\n"));
  start_service(m.port);
  CHECK(m.port.command("AT+ADA=\"cs\",\"oem/id\",\"71866f33\"") ==
        echoed("AT+ADA=\"cs\",\"oem/id\",\"71866f33\"",
               "\r\n+ADA: \"cs\",\"err\",7,\"err: setup mode disabled\"\r\n\r\nERROR\r\n"));
  CHECK(m.port.command("AT+ADA=\"setup_mode\",\"enable\",\"wrong\"") ==
        echoed("AT+ADA=\"setup_mode\",\"enable\",\"wrong\"",
               "\r\n+ADA: \"setup_mode\",\"err\",6,\"invalid: passphrase\"\r\n\r\nERROR\r\n"));
  CHECK(m.port.command("AT+ADA=\"setup_mode\",\"enable\",\"secretkey\"") ==
        echoed("AT+ADA=\"setup_mode\",\"enable\",\"secretkey\"", "\r\nOK\r\n"));
  CHECK(m.port.command("AT+ADA=\"cs\",\"oem/id\",\"71866f33\"") ==
        echoed("AT+ADA=\"cs\",\"oem/id\",\"71866f33\"", "\r\nOK\r\n"));
}

TEST_CASE("3.9 version, with and without the module firmware", "[e2e][note]") {
  booted_module m;
  CHECK(m.port.command("AT+ADA=\"version\"") ==
        echoed("AT+ADA=\"version\"", "\r\n+ADA: APCA-1.0 ADA-2.4.1 BUILD-a88da1c.132a03a\r\n\r\nOK\r\n"));
  CHECK(m.port.command("AT+ADA=\"version\",\"fota\"") ==
        echoed("AT+ADA=\"version\",\"fota\"",
               "\r\n+ADA: LE11B01SIM7600M11_NA_OTA_191012 B01V06 MDM9x07_AP_M_AT_V1.05_180525 APCA-1.0 ADA-2.4.1 "
               "BUILD-a88da1c.132a03a\r\n\r\nOK\r\n"));
}

TEST_CASE("3.10 reset returns config to the factory image and stops the service", "[e2e][note]") {
  booted_module m;
  start_service(m.port);
  CHECK(m.port.command("AT+ADA=\"cs\",\"oem/template_version\",\"2.0\"") ==
        echoed("AT+ADA=\"cs\",\"oem/template_version\",\"2.0\"", "\r\nOK\r\n"));
  CHECK(m.port.command("AT+ADA=\"reset\"") == echoed("AT+ADA=\"reset\"", "\r\nOK\r\n"));
  CHECK(m.port.command("AT+ADA=\"cg\",\"oem/template_version\"") ==
        echoed("AT+ADA=\"cg\",\"oem/template_version\"",
               "\r\n+ADA: \"cg\",\"err\",7,\"err: service not started\"\r\n\r\nERROR\r\n"));
  start_service(m.port);
  const std::string answer = m.port.command("AT+ADA=\"cg\",\"oem/template_version\"");
  CHECK(answer.find("\"2.0\"") == std::string::npos);
  CHECK(answer.substr(answer.size() - 6) == "\r\nOK\r\n");
}

TEST_CASE("4.1 network bring-up: APN, data call, time server, clock sync", "[e2e][note]") {
  booted_module m;
  CHECK(m.port.command("AT+CGDCONT=6, \"IP\", \"3gnet\"") == echoed("AT+CGDCONT=6, \"IP\", \"3gnet\"", "\r\nOK\r\n"));
  CHECK(m.port.command("AT+CAPNET=6,1") == echoed("AT+CAPNET=6,1", "\r\nOK\r\n"));
  CHECK(m.port.read_until("\r\n+CAPNET: 6,1\r\n").find("\r\n+CAPNET: 6,1\r\n") != std::string::npos);
  CHECK(m.port.command("AT+CHTTPSERV=\"ADD\", \"www.baidu.com\", 80,1") ==
        echoed("AT+CHTTPSERV=\"ADD\", \"www.baidu.com\", 80,1", "\r\nOK\r\n"));
  CHECK(m.port.command("AT+CHTTPUPDATE") == echoed("AT+CHTTPUPDATE", "\r\nOK\r\n"));
  CHECK(m.port.read_until("\r\n+CHTTPUPDATE: 0\r\n").find("\r\n+CHTTPUPDATE: 0\r\n") != std::string::npos);
}
