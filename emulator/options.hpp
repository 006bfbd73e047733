#pragma once
// The sim7600-emu command line (SPEC §1): its flags table read by CLI11 (cli/) into emulator_options, pure and
// testable.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cli/command_line.hpp"

namespace sim7600_emu {

// How the module gets its data call and clock. `manual`: as the note's samples, the host dials (AT+CAPNET) and
// synchronises the clock (AT+CHTTPUPDATE). `automatic`: an always-on profile — at boot the module dials context 1
// and takes the network's time, so `start`, `enable`, `l` connect at once.
enum class network_mode { automatic, manual };

struct emulator_options {
  std::string pty_link = "/tmp/ttySIM7600";
  std::optional<std::string> serial_device;  // --serial: a real UART instead of the PTY
  std::optional<std::string> nmea_link;      // --nmea-link: the NMEA port's pseudo-TTY, linked here
  std::optional<unsigned> baud;              // serial line rate, or output pacing with the PTY
  bool rtscts = false;
  std::optional<std::string> tcp;            // "HOST:PORT", served besides the PTY / serial device
  std::optional<std::string> control;        // "HOST:PORT": the control API also on loopback TCP
  std::string state_dir;
  std::optional<std::string> ads_url;
  std::optional<std::string> ads_ca;
  std::optional<std::string> transcript;
  // With the embedded service: the FOTA console's module maker password, first line of this file.
  std::optional<std::string> console_password_file;
  std::chrono::milliseconds boot_delay{2000};
  // The UDP port AT+CNTP's queries go to (a test's NTP responder on loopback need not be root).
  std::uint16_t ntp_port = 123;
  // Unset: automatic with the embedded device service, manual with --ads-url.
  std::optional<network_mode> network;
  // With the embedded service: leave the factory with its demo identity (true) or blank (false), e.g. to run the
  // note's sample 4.2 (in-field provisioning needs a module without a DSN).
  bool factory_identity = true;

  network_mode effective_network() const {
    return network.value_or(ads_url ? network_mode::manual : network_mode::automatic);
  }
};

// What the command line asks for: run the module with these options, or print usage_text() or the version.
using command_line = cli::command_line<emulator_options>;

// `args` excludes the program name. `environment` looks up XDG_STATE_HOME / HOME (for the state dir default).
// The error is the one-line reason the flags are refused (exit 2).
common::outcome<command_line> parse_command_line(
    const std::vector<std::string>& args,
    const std::function<std::optional<std::string>(const std::string&)>& environment);

std::string usage_text();

// $XDG_STATE_HOME/sim7600-emu, else ~/.local/state/sim7600-emu; empty when neither variable is set.
std::string default_state_dir(const std::function<std::optional<std::string>(const std::string&)>& environment);

}  // namespace sim7600_emu
