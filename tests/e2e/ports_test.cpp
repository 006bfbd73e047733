// The daemon's ports and command line, as users and CI scripts meet them.
#include <catch2/catch.hpp>
#include <fcntl.h>
#include <stdlib.h>

#include <algorithm>
#include <csignal>
#include <sstream>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>

#include "harness/harness.hpp"

using namespace e2e;

TEST_CASE("the ready line names the PTY and its link", "[e2e][ports]") {
  emulator module;
  const std::regex ready(R"(sim7600-emu ready: pty (/dev/pts/\d+) link (\S+))");
  std::smatch words;
  REQUIRE(std::regex_match(module.ready_line(), words, ready));
  CHECK(words[2] == module.link().string());
  CHECK(std::filesystem::read_symlink(module.link()) == words[1].str());
}

TEST_CASE("closing and reopening the PTY keeps the same module", "[e2e][ports]") {
  booted_module m;
  start_service(m.port);
  CHECK(m.port.command("AT+ADA=\"cs\",\"oem/template_version\",\"kept\"") ==
        "AT+ADA=\"cs\",\"oem/template_version\",\"kept\"\r\r\nOK\r\n");
  m.reconnect();
  // Still started (no code 7) and still holding the value; no second boot.
  CHECK(m.port.command("AT+ADA=\"cg\",\"oem/template_version\"") ==
        "AT+ADA=\"cg\",\"oem/template_version\"\r\r\n+ADA: \"cg\",\"oem/template_version\",\"kept\"\r\n\r\nOK\r\n");
  m.reconnect();
  CHECK(m.port.command("AT") == "AT\r\r\nOK\r\n");
}

TEST_CASE("TCP port (--tcp) serves the same module as the PTY", "[e2e][ports]") {
  booted_module m({"--tcp", "127.0.0.1:0"});
  std::smatch where;
  REQUIRE(std::regex_search(m.module.ready_line(), where, std::regex(R"( tcp 127\.0\.0\.1:(\d+)$)")));
  const auto tcp_port_number = static_cast<unsigned short>(std::stoi(where[1]));
  start_service(m.port);
  CHECK(m.port.command("AT+ADA=\"cs\",\"oem/template_version\",\"via-pty\"") ==
        "AT+ADA=\"cs\",\"oem/template_version\",\"via-pty\"\r\r\nOK\r\n");

  host_port tcp = host_port::connect_tcp("127.0.0.1", tcp_port_number);
  CHECK(tcp.command("AT+ADA=\"cg\",\"oem/template_version\"").ends_with(
      "AT+ADA=\"cg\",\"oem/template_version\"\r\r\n+ADA: \"cg\",\"oem/template_version\",\"via-pty\"\r\n\r\nOK\r\n"));
  // One client at a time: a second is told busy and closed.
  host_port second = host_port::connect_tcp("127.0.0.1", tcp_port_number);
  CHECK(second.read_until("busy\r\n") == "busy\r\n");
  tcp.close();
  host_port third = host_port::connect_tcp("127.0.0.1", tcp_port_number);
  CHECK(third.command("AT").ends_with("AT\r\r\nOK\r\n"));
}

TEST_CASE("pacing (--baud 9600) slows the PTY and every byte is still right", "[e2e][ports]") {
  booted_module m({"--baud", "9600"});
  CHECK(m.boot_output == boot_urcs);
  CHECK(m.port.command("ATI").ends_with("\r\nOK\r\n"));
  CHECK(m.port.command("AT+ADA=\"version\",\"fota\"") ==
        "AT+ADA=\"version\",\"fota\"\r\r\n+ADA: LE11B01SIM7600M11_NA_OTA_191012 B01V06 MDM9x07_AP_M_AT_V1.05_180525 "
        "APCA-1.0 ADA-2.4.1 BUILD-a88da1c.132a03a\r\n\r\nOK\r\n");
}

TEST_CASE("the transcript (--transcript) records both directions and never a secret", "[e2e][ports]") {
  temp_dir dir;
  const auto transcript = dir.path() / "traffic.log";
  {
    booted_module m({"--transcript", transcript.string()});
    start_service(m.port);
    CHECK(m.port.command("AT+ADA=\"cs\",\"oem/secret\",\"Sup3rS3cretValue\"") ==
          "AT+ADA=\"cs\",\"oem/secret\",\"Sup3rS3cretValue\"\r\r\nOK\r\n");
    CHECK(m.port.command("AT+ADA=\"setup_mode\",\"enable\",\"PassPhrase42\"") ==
          "AT+ADA=\"setup_mode\",\"enable\",\"PassPhrase42\"\r\r\nOK\r\n");
    CHECK(m.port.command("AT+ADA=\"sign\",\"st\",\"TUlJRXZRSUJBREFOQmdrcWhraUc5dzBCQVFFRkFBU0NCS2N3\"") ==
          "AT+ADA=\"sign\",\"st\",\"TUlJRXZRSUJBREFOQmdrcWhraUc5dzBCQVFFRkFBU0NCS2N3\"\r\r\nOK\r\n");
    CHECK(m.module.terminate() == 0);
  }
  const std::string text = file_contents(transcript);
  const std::regex record(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z [<>] .*)");
  std::istringstream lines(text);
  int records = 0;
  for (std::string line; std::getline(lines, line); ++records) CHECK(std::regex_match(line, record));
  CHECK(records > 10);
  CHECK(text.find(" > AT+ADA=\"start\"\\r\n") != std::string::npos);
  CHECK(text.find(" < \\r\\n\n") != std::string::npos);
  CHECK(text.find(" < RDY\\r\\n\n") != std::string::npos);
  CHECK(text.find(" < +ADA: \"start\",\"done\"\\r\\n\n") != std::string::npos);
  CHECK(text.find("Sup3rS3cretValue") == std::string::npos);
  CHECK(text.find("PassPhrase42") == std::string::npos);
  CHECK(text.find("TUlJRXZRSUJBREFOQmdrcWhraUc5dzBCQVFFRkFBU0NCS2N3") == std::string::npos);
  CHECK(text.find("oem/secret") != std::string::npos);  // the command is there, masked
}

TEST_CASE("bad flags exit 2 with a one-line reason", "[e2e][ports]") {
  temp_dir dir;
  const std::vector<std::vector<std::string>> bad = {
      {"--no-such-flag"},
      {"--baud"},
      {"--baud", "fast"},
      {"--boot-ms", "-5"},
      {"--tcp", "nohostport"},
      {"--serial", "/dev/null", "--baud", "12345"},
      {"--rtscts"},
      {"--pty-link", (dir.path() / "a").string(), "--serial", "/dev/ttyS0"},
      {"--ads-url", "ftp://ads.example"},
      {"--state-dir", (dir.path() / "state").string(), "--pty-link", (dir.path() / "b").string(), "--ads-url",
       "https://"},
  };
  for (const auto& args : bad) {
    const finished_run run = run_to_exit(emulator_binary(), args);
    CAPTURE(args, run.err);
    CHECK(run.exit_code == 2);
    CHECK(run.out.empty());
    CHECK(run.err.rfind("sim7600-emu: ", 0) == 0);
    CHECK(std::count(run.err.begin(), run.err.end(), '\n') == 1);
  }
}

TEST_CASE("help (--help) lists every flag", "[e2e][ports]") {
  const finished_run run = run_to_exit(emulator_binary(), {"--help"});
  CHECK(run.exit_code == 0);
  for (const char* flag : {"--pty-link", "--serial", "--baud", "--rtscts", "--tcp", "--state-dir", "--ads-url",
                           "--ads-ca", "--transcript", "--boot-ms", "--help"})
    CHECK(run.out.find(flag) != std::string::npos);
}

TEST_CASE("SIGTERM stops the daemon with exit 0 and removes its link", "[e2e][ports]") {
  booted_module m;
  start_service(m.port);
  // A write whose OK is in flight when the signal arrives is still made durable.
  m.port.send("AT+ADA=\"cs\",\"oem/template_version\",\"last\"\r");
  CHECK(m.module.terminate() == 0);
  CHECK_FALSE(std::filesystem::exists(std::filesystem::symlink_status(m.module.link())));
}

TEST_CASE("a serial device (--serial) is the module UART", "[e2e][ports]") {
  // A PTY pair stands in for a USB-UART: the emulator owns the slave as its serial device, the test is the MCU
  // on the master side.
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK);
  REQUIRE(master >= 0);
  REQUIRE(::grantpt(master) == 0);
  REQUIRE(::unlockpt(master) == 0);
  const std::string device = ::ptsname(master);
  host_port mcu = host_port::adopt(master);
  emulator module({"--serial", device, "--baud", "115200"});
  CHECK(module.ready_line() == "sim7600-emu ready: serial " + device);
  CHECK(mcu.read_until("PB DONE\r\n") == boot_urcs);
  CHECK(mcu.command("AT") == "AT\r\r\nOK\r\n");
  CHECK(mcu.command("AT+ADA=\"version\"") ==
        "AT+ADA=\"version\"\r\r\n+ADA: APCA-1.0 ADA-2.4.1 BUILD-a88da1c.132a03a\r\n\r\nOK\r\n");
  CHECK(module.terminate() == 0);
}
