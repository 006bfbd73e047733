#include "emulator/options.hpp"

#include <charconv>
#include <limits>

#include "cli/command_line.hpp"
#include "pty_bridge/serial_port.hpp"

namespace sim7600_emu {

namespace {

std::optional<unsigned long> parse_number(const std::string& text, unsigned long max) {
  unsigned long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() || value > max) return std::nullopt;
  return value;
}

bool valid_host_port(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  return parse_number(text.substr(colon + 1), 65535).has_value();
}

// A flag's value stored, or the reason it is bad.
using flag_applied = common::outcome<common::done>;
using apply_flag = std::function<flag_applied(emulator_options& options, const std::string& value)>;

// A flag whose value is a non-empty text (a path, a device): stored as given, `why` when empty.
template <typename Field>
apply_flag text_into(Field emulator_options::*field, std::string why) {
  return [field, why](emulator_options& options, const std::string& value) -> flag_applied {
    if (value.empty()) return common::failure{why};
    options.*field = value;
    return common::done{};
  };
}

// One entry per flag: adding a flag touches this table only (its help line is here too).
struct flag_spec {
  const char* name;
  const char* value_name;  // for --help; nullptr: the flag takes no value
  const char* help;
  apply_flag apply;  // stores the value; returns the reason it is bad, or empty
};

const flag_spec flags[] = {
    {"--pty-link", "PATH", "symlink to the pseudo-TTY's slave (default /tmp/ttySIM7600)",
     text_into(&emulator_options::pty_link, "--pty-link wants a path")},
    {"--nmea-link", "PATH",
     "also a second pseudo-TTY, the module's NMEA port (as its USB NMEA interface): symlink\n"
     "PATH to it; GNSS sentences once a second while a session runs (AT+CGPS=1)",
     text_into(&emulator_options::nmea_link, "--nmea-link wants a path")},
    {"--serial", "DEVICE", "be the module on a real serial device instead of a pseudo-TTY",
     text_into(&emulator_options::serial_device, "--serial wants a device")},
    {"--baud", "N", "serial line rate; with the pseudo-TTY, pace output at N baud (10 bits a byte)",
     [](emulator_options& o, const std::string& v) -> flag_applied {
       const auto n = parse_number(v, std::numeric_limits<unsigned>::max());
       if (!n || *n == 0) return common::failure{"--baud wants a positive number of bits per second, got '" + v + "'"};
       o.baud = static_cast<unsigned>(*n);
       return common::done{};
     }},
    {"--rtscts", nullptr, "RTS/CTS flow control on the serial device",
     [](emulator_options& o, const std::string&) -> flag_applied {
       o.rtscts = true;
       return common::done{};
     }},
    {"--tcp", "HOST:PORT", "also serve the AT port on TCP (one client at a time)",
     [](emulator_options& o, const std::string& v) -> flag_applied {
       if (!valid_host_port(v)) return common::failure{"--tcp wants HOST:PORT, got '" + v + "'"};
       o.tcp = v;
       return common::done{};
     }},
    {"--control", "HOST:PORT",
     "also serve the control API on loopback TCP (bearer token in STATE-DIR/control-token;\n"
     "it is always on STATE-DIR/control.sock)",
     [](emulator_options& o, const std::string& v) -> flag_applied {
       if (!valid_host_port(v)) return common::failure{"--control wants HOST:PORT on loopback, got '" + v + "'"};
       o.control = v;
       return common::done{};
     }},
    {"--state-dir", "DIR",
     "non-volatile memory (default $XDG_STATE_HOME/sim7600-emu or\n~/.local/state/sim7600-emu)",
     text_into(&emulator_options::state_dir, "--state-dir wants a directory")},
    {"--ads-url", "URL",
     "the device service to reach (default: an embedded ads-sim on loopback, its data in\n"
     "STATE-DIR/ads-sim, and a module factory-provisioned for it)",
     [](emulator_options& o, const std::string& v) -> flag_applied {
       if (v.rfind("https://", 0) != 0)
         return common::failure{"--ads-url wants an https:// URL, got '" + v + "'"};
       o.ads_url = v;
       return common::done{};
     }},
    {"--ads-ca", "FILE", "the CA that signs the device service's certificate (default: the system's)",
     text_into(&emulator_options::ads_ca, "--ads-ca wants a file")},
    {"--factory-identity", "demo|none",
     "with the embedded service, a new module comes provisioned for it (demo, the\n"
     "default) or blank (none: for in-field provisioning, note sample 4.2)",
     [](emulator_options& o, const std::string& v) -> flag_applied {
       if (v == "demo") o.factory_identity = true;
       else if (v == "none") o.factory_identity = false;
       else return common::failure{"--factory-identity wants demo or none, got '" + v + "'"};
       return common::done{};
     }},
    {"--network", "auto|manual",
     "manual: the host dials (AT+CAPNET) and syncs the clock (AT+CHTTPUPDATE), as in the\n"
     "note; auto: context 1 is dialled and the clock set at boot (default: auto with the\n"
     "embedded service, manual with --ads-url)",
     [](emulator_options& o, const std::string& v) -> flag_applied {
       if (v == "auto") o.network = network_mode::automatic;
       else if (v == "manual") o.network = network_mode::manual;
       else return common::failure{"--network wants auto or manual, got '" + v + "'"};
       return common::done{};
     }},
    {"--console-password-file", "FILE",
     "the embedded service's console (https://.../console/): the module maker's\n"
     "password, first line of FILE (default: generated, printed once)",
     text_into(&emulator_options::console_password_file, "--console-password-file wants a file")},
    {"--transcript", "FILE", "append every byte in and out, timestamped and direction-marked (secrets masked)",
     text_into(&emulator_options::transcript, "--transcript wants a file")},
    {"--boot-ms", "N", "power-on delay before RDY in milliseconds (default 2000)",
     [](emulator_options& o, const std::string& v) -> flag_applied {
       const auto n = parse_number(v, 600000);
       if (!n) return common::failure{"--boot-ms wants milliseconds (0..600000), got '" + v + "'"};
       o.boot_delay = std::chrono::milliseconds(*n);
       return common::done{};
     }},
    {"--ntp-port", "N", "the UDP port AT+CNTP's NTP queries go to (default 123)",
     [](emulator_options& o, const std::string& v) -> flag_applied {
       const auto n = parse_number(v, 65535);
       if (!n || *n == 0) return common::failure{"--ntp-port wants a port (1..65535), got '" + v + "'"};
       o.ntp_port = static_cast<std::uint16_t>(*n);
       return common::done{};
     }},
};

const cli::help_text help = {
    "sim7600-emu [flags]",
    "An emulated SIMCom SIM7600 module running the Ayla agent, on a pseudo-TTY (default), a serial device or TCP.",
    ""};

// The flags table as a CLI11 app: each flag given applies its value to `options`; the first bad value's reason
// goes to `error` (CLI11 runs the flags in table order, after reading the whole line).
void add_flags(CLI::App& app, emulator_options& options, std::string& error, bool& pty_link_given) {
  cli::configure(app, help);
  for (const auto& spec : flags) {
    const auto apply = [&options, &error, &pty_link_given, &spec](const std::string& value) {
      if (std::string(spec.name) == "--pty-link") pty_link_given = true;
      if (auto applied = spec.apply(options, value); !applied && error.empty()) error = applied.error().reason;
    };
    if (spec.value_name)
      app.add_option_function<std::string>(spec.name, apply, spec.help)->type_name(spec.value_name);
    else
      app.add_flag_callback(spec.name, [apply] { apply({}); }, spec.help);
  }
}

}  // namespace

std::string default_state_dir(
    const std::function<std::optional<std::string>(const std::string&)>& environment) {
  if (auto xdg = environment("XDG_STATE_HOME"); xdg && !xdg->empty()) return *xdg + "/sim7600-emu";
  if (auto home = environment("HOME"); home && !home->empty()) return *home + "/.local/state/sim7600-emu";
  return {};
}

common::outcome<command_line> parse_command_line(
    const std::vector<std::string>& args,
    const std::function<std::optional<std::string>(const std::string&)>& environment) {
  command_line out;
  std::string error;
  bool pty_link_given = false;
  CLI::App app("", "sim7600-emu");
  add_flags(app, out.args, error, pty_link_given);
  const auto parsed = cli::parse(app, args);
  if (!parsed) return parsed.error();
  out.what = *parsed;
  if (out.what != cli::request::run) return out;
  if (!error.empty()) return common::failure{error};
  emulator_options& o = out.args;
  if (o.serial_device && pty_link_given)
    return common::failure{"--serial and --pty-link exclude each other (the module is on one UART)"};
  if (o.nmea_link && !o.serial_device && *o.nmea_link == o.pty_link)
    return common::failure{"--nmea-link and --pty-link name the same path"};
  if (o.rtscts && !o.serial_device) return common::failure{"--rtscts needs --serial"};
  if (o.serial_device && o.baud && !pty_bridge::baud_to_speed(*o.baud))
    return common::failure{"--baud " + std::to_string(*o.baud) + " is not a rate the serial device can be set to"};
  if (!o.factory_identity && o.ads_url)
    return common::failure{"--factory-identity is for the embedded service (no --ads-url)"};
  if (o.console_password_file && o.ads_url)
    return common::failure{"--console-password-file is for the embedded service (no --ads-url)"};
  if (o.ads_ca && !o.ads_url) return common::failure{"--ads-ca needs --ads-url"};
  if (o.state_dir.empty()) {
    o.state_dir = default_state_dir(environment);
    if (o.state_dir.empty()) return common::failure{"no --state-dir given and neither XDG_STATE_HOME nor HOME is set"};
  }
  return out;
}

std::string usage_text() {
  emulator_options options;
  std::string error;
  bool pty_link_given = false;
  CLI::App app("", "sim7600-emu");
  add_flags(app, options, error, pty_link_given);
  return app.help();
}

}  // namespace sim7600_emu
