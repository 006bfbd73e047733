#include "emulator/options.hpp"

#include <charconv>
#include <limits>

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

// One entry per flag: adding a flag touches this table (and usage_text).
struct flag_spec {
  const char* name;
  bool takes_value;
  apply_flag apply;  // stores the value, or says why it is bad
};

const flag_spec flags[] = {
    {"--pty-link", true, text_into(&emulator_options::pty_link, "--pty-link wants a path")},
    {"--serial", true, text_into(&emulator_options::serial_device, "--serial wants a device")},
    {"--baud", true,
     [](emulator_options& o, const std::string& v) -> flag_applied {
       const auto n = parse_number(v, std::numeric_limits<unsigned>::max());
       if (!n || *n == 0) return common::failure{"--baud wants a positive number of bits per second, got '" + v + "'"};
       o.baud = static_cast<unsigned>(*n);
       return common::done{};
     }},
    {"--rtscts", false,
     [](emulator_options& o, const std::string&) -> flag_applied {
       o.rtscts = true;
       return common::done{};
     }},
    {"--tcp", true,
     [](emulator_options& o, const std::string& v) -> flag_applied {
       if (!valid_host_port(v)) return common::failure{"--tcp wants HOST:PORT, got '" + v + "'"};
       o.tcp = v;
       return common::done{};
     }},
    {"--control", true,
     [](emulator_options& o, const std::string& v) -> flag_applied {
       if (!valid_host_port(v)) return common::failure{"--control wants HOST:PORT on loopback, got '" + v + "'"};
       o.control = v;
       return common::done{};
     }},
    {"--state-dir", true, text_into(&emulator_options::state_dir, "--state-dir wants a directory")},
    {"--ads-url", true,
     [](emulator_options& o, const std::string& v) -> flag_applied {
       if (v.rfind("https://", 0) != 0)
         return common::failure{"--ads-url wants an https:// URL, got '" + v + "'"};
       o.ads_url = v;
       return common::done{};
     }},
    {"--ads-ca", true, text_into(&emulator_options::ads_ca, "--ads-ca wants a file")},
    {"--transcript", true, text_into(&emulator_options::transcript, "--transcript wants a file")},
    {"--console-password-file", true,
     text_into(&emulator_options::console_password_file, "--console-password-file wants a file")},
    {"--network", true,
     [](emulator_options& o, const std::string& v) -> flag_applied {
       if (v == "auto") o.network = network_mode::automatic;
       else if (v == "manual") o.network = network_mode::manual;
       else return common::failure{"--network wants auto or manual, got '" + v + "'"};
       return common::done{};
     }},
    {"--factory-identity", true,
     [](emulator_options& o, const std::string& v) -> flag_applied {
       if (v == "demo") o.factory_identity = true;
       else if (v == "none") o.factory_identity = false;
       else return common::failure{"--factory-identity wants demo or none, got '" + v + "'"};
       return common::done{};
     }},
    {"--boot-ms", true,
     [](emulator_options& o, const std::string& v) -> flag_applied {
       const auto n = parse_number(v, 600000);
       if (!n) return common::failure{"--boot-ms wants milliseconds (0..600000), got '" + v + "'"};
       o.boot_delay = std::chrono::milliseconds(*n);
       return common::done{};
     }},
};

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
  bool pty_link_given = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i];
    std::optional<std::string> inline_value;
    if (const auto eq = name.find('='); name.rfind("--", 0) == 0 && eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (name == "--help" || name == "-h") {
      out.what = command_line::action::show_help;
      return out;
    }
    const flag_spec* spec = nullptr;
    for (const auto& candidate : flags)
      if (name == candidate.name) spec = &candidate;
    if (!spec) return common::failure{"unknown flag '" + args[i] + "' (see --help)"};
    std::string value;
    if (spec->takes_value) {
      if (inline_value) {
        value = *inline_value;
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return common::failure{name + " wants a value"};
      }
    } else if (inline_value) {
      return common::failure{name + " takes no value"};
    }
    if (name == "--pty-link") pty_link_given = true;
    if (auto applied = spec->apply(out.args, value); !applied) return applied.error();
  }
  emulator_options& o = out.args;
  if (o.serial_device && pty_link_given)
    return common::failure{"--serial and --pty-link exclude each other (the module is on one UART)"};
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
  return "usage: sim7600-emu [flags]\n"
         "An emulated SIMCom SIM7600 module running the Ayla agent, on a pseudo-TTY (default), a serial device or "
         "TCP.\n"
         "  --pty-link PATH     symlink to the pseudo-TTY's slave (default /tmp/ttySIM7600)\n"
         "  --serial DEVICE     be the module on a real serial device instead of a pseudo-TTY\n"
         "  --baud N            serial line rate; with the pseudo-TTY, pace output at N baud (10 bits a byte)\n"
         "  --rtscts            RTS/CTS flow control on the serial device\n"
         "  --tcp HOST:PORT     also serve the AT port on TCP (one client at a time)\n"
         "  --control HOST:PORT also serve the control API on loopback TCP (bearer token in STATE-DIR/control-token;\n"
         "                      it is always on STATE-DIR/control.sock)\n"
         "  --state-dir DIR     non-volatile memory (default $XDG_STATE_HOME/sim7600-emu or "
         "~/.local/state/sim7600-emu)\n"
         "  --ads-url URL       the device service to reach (default: an embedded ads-sim on loopback, its data in\n"
         "                      STATE-DIR/ads-sim, and a module factory-provisioned for it)\n"
         "  --ads-ca FILE       the CA that signs the device service's certificate (default: the system's)\n"
         "  --factory-identity demo|none  with the embedded service, a new module comes provisioned for it (demo,\n"
         "                      the default) or blank (none: for in-field provisioning, note sample 4.2)\n"
         "  --network MODE      manual: the host dials (AT+CAPNET) and syncs the clock (AT+CHTTPUPDATE), as in the\n"
         "                      note; auto: context 1 is dialled and the clock set at boot (default: auto with the\n"
         "                      embedded service, manual with --ads-url)\n"
         "  --console-password-file FILE  the embedded service's console (https://.../console/): the module\n"
         "                      maker's password, first line of FILE (default: generated, printed once)\n"
         "  --transcript FILE   append every byte in and out, timestamped and direction-marked (secrets masked)\n"
         "  --boot-ms N         power-on delay before RDY in milliseconds (default 2000)\n"
         "  --help              this text\n";
}

}  // namespace sim7600_emu
