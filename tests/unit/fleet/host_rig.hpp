#pragma once
// A bring_up_host driven by hand: the test plays the module, in its own text (echo on, CR LF lines, URCs after the
// final result), and moves the time.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fleet/bring_up_host.hpp"

namespace Catch {
template <>
struct StringMaker<fleet::host_phase> {
  static std::string convert(fleet::host_phase phase) { return std::string(fleet::host_phase_name(phase)); }
};
template <>
struct StringMaker<fleet::ota_state> {
  static std::string convert(fleet::ota_state state) {
    static constexpr const char* names[] = {"none", "in_progress", "succeeded", "failed"};
    return names[static_cast<int>(state)];
  }
};
}  // namespace Catch

namespace fleet_test {

using fleet::host_phase;
using fleet::milliseconds;
using namespace std::chrono_literals;

inline constexpr std::string_view boot_urcs = "\r\nRDY\r\n\r\n+CPIN: READY\r\n\r\nSMS DONE\r\n\r\nPB DONE\r\n";

// A line as the module frames a result or a URC.
inline std::string line(std::string_view text) { return "\r\n" + std::string(text) + "\r\n"; }

// The module's answer to `command` with echo on: the echo, OK, then the URCs the command caused.
inline std::string ok_then(std::string_view command, const std::vector<std::string_view>& urcs = {}) {
  std::string text = std::string(command) + "\r" + line("OK");
  for (auto urc : urcs) text += line(urc);
  return text;
}

// The same for a command refused: the echo, its error line, ERROR.
inline std::string refused(std::string_view command, std::string_view error_line) {
  return std::string(command) + "\r" + line(error_line) + line("ERROR");
}

// A command line as the host writes it.
inline std::string wrote(std::string_view command) { return std::string(command) + "\r"; }

struct host_rig {
  fleet::group behaviour;
  fleet::bring_up_host host;
  milliseconds now{0};

  explicit host_rig(fleet::group group = {}, std::uint64_t seed = 1)
      : behaviour(std::move(group)), host(behaviour, seed) {}

  // The module prints `text`; what the host writes back.
  std::string say(std::string_view text) {
    host.on_output(text, now);
    return host.take_input();
  }
  // Time moves to the host's next wake; what it writes then.
  std::string wake() {
    REQUIRE(host.next_wake());
    now = *host.next_wake();
    host.on_time(now);
    return host.take_input();
  }

  // Boot URCs to "l","up", each answer as the module gives it.
  void bring_up() {
    REQUIRE(say(boot_urcs) == wrote(R"(AT+ADA="start")"));
    REQUIRE(say(ok_then(R"(AT+ADA="start")", {R"(+ADA: "start","done")"})) == wrote(R"(AT+ADA="enable")"));
    REQUIRE(say(ok_then(R"(AT+ADA="enable")", {R"(+ADA: "enable","RDY")"})) == wrote(R"(AT+ADA="l")"));
    say(ok_then(R"(AT+ADA="l")", {R"(+ADA: "l","up")"}));
    REQUIRE(host.phase() == host_phase::listening);
  }

  std::vector<host_phase> phases() {
    std::vector<host_phase> to;
    for (const auto& change : host.take_events()) to.push_back(change.to);
    return to;
  }
};

}  // namespace fleet_test
