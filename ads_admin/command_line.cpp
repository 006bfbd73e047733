#include "ads_admin/command_line.hpp"

#include <charconv>

namespace ads_admin {

namespace {

// The connection flags, accepted before or after the verb; each takes a value.
struct connection_flags {
  std::optional<std::string> url, ca, token, token_file, service_dir, state_dir;
};

std::optional<std::string>* connection_flag(connection_flags& flags, std::string_view name) {
  if (name == "--url") return &flags.url;
  if (name == "--ca") return &flags.ca;
  if (name == "--token") return &flags.token;
  if (name == "--token-file") return &flags.token_file;
  if (name == "--service-dir") return &flags.service_dir;
  if (name == "--state-dir") return &flags.state_dir;
  return nullptr;
}

// Like sim7600-emu's --state-dir default, plus the embedded service's sub-directory.
std::optional<std::filesystem::path> default_service_dir(const char* xdg_state_home, const char* home) {
  if (xdg_state_home && *xdg_state_home) return std::filesystem::path(xdg_state_home) / "sim7600-emu" / "ads-sim";
  if (home && *home) return std::filesystem::path(home) / ".local" / "state" / "sim7600-emu" / "ads-sim";
  return std::nullopt;
}

// The connection flags checked for consistency and turned into where the service is, or why the mix is bad.
common::outcome<service_source> choose_service(const connection_flags& f, const char* xdg_state_home,
                                               const char* home) {
  const bool explicit_given = f.url || f.ca || f.token || f.token_file;
  const int directory_flags = (f.service_dir ? 1 : 0) + (f.state_dir ? 1 : 0);
  if (directory_flags > 1 || (directory_flags == 1 && explicit_given))
    return common::failure{"give one of --url (with --ca and --token/--token-file), --service-dir or --state-dir"};
  if (f.service_dir) return service_source{service_directory{*f.service_dir}};
  if (f.state_dir) return service_source{service_directory{std::filesystem::path(*f.state_dir) / "ads-sim"}};
  if (!explicit_given) {
    const auto dir = default_service_dir(xdg_state_home, home);
    if (!dir) return common::failure{"no connection flag given and neither XDG_STATE_HOME nor HOME is set"};
    return service_source{service_directory{*dir}};
  }
  if (!f.url || !f.ca || (!f.token && !f.token_file))
    return common::failure{"--url needs --ca and one of --token or --token-file"};
  if (f.token && f.token_file) return common::failure{"--token and --token-file exclude each other"};
  const auto url = parse_https_url(*f.url);
  if (!url) return common::failure{"--url wants https://HOST:PORT, got '" + *f.url + "'"};
  explicit_service service{*url, *f.ca, f.token, std::nullopt};
  if (f.token_file) service.token_file = *f.token_file;
  return service_source{std::move(service)};
}

}  // namespace

std::optional<https_url> parse_https_url(std::string_view text) {
  constexpr std::string_view scheme = "https://";
  if (text.substr(0, scheme.size()) != scheme) return std::nullopt;
  text.remove_prefix(scheme.size());
  if (!text.empty() && text.back() == '/') text.remove_suffix(1);
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::string_view host = text.substr(0, colon);
  const std::string_view port = text.substr(colon + 1);
  unsigned number = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || number == 0 || number > 65535)
    return std::nullopt;
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return std::nullopt;
    host = host.substr(1, host.size() - 2);
  } else if (host.find_first_of(":/[]") != std::string_view::npos) {
    return std::nullopt;
  }
  return https_url{std::string(host), std::string(port)};
}

common::outcome<command_line> parse_command_line(const std::vector<std::string_view>& args,
                                                 const char* xdg_state_home, const char* home) {
  command_line result;
  // --help wins over any mistake elsewhere on the line (up to "--", after which all are operands).
  for (const std::string_view arg : args) {
    if (arg == "--") break;
    if (arg == "--help" || arg == "-h") {
      result.what = command_line::action::show_help;
      return result;
    }
  }
  connection_flags connection;
  std::optional<verb> which;
  verb_arguments arguments;
  bool only_operands = false;  // after "--", so a string VALUE may start with "--"
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (only_operands || arg.substr(0, 2) != "--" || arg == "--") {
      if (arg == "--" && !only_operands) {
        only_operands = true;
      } else if (!which) {
        which = find_verb(arg);
        if (!which) return common::failure{"unknown verb '" + std::string(arg) + "' (see --help)"};
      } else {
        arguments.operands.emplace_back(arg);
      }
      continue;
    }
    std::string name(arg);
    std::optional<std::string> value;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    auto* connection_value = connection_flag(connection, name);
    if (!connection_value && !(which && verb_takes_flag(*which, name))) {
      return common::failure{"unknown flag '" + name + "'" +
                             (which ? " for " + std::string(verb_name(*which)) : std::string()) + " (see --help)"};
    }
    if (!value) {
      if (i + 1 >= args.size()) return common::failure{name + " wants a value"};
      value = std::string(args[++i]);
    }
    if (connection_value) {
      if (*connection_value) return common::failure{name + " given twice"};
      if (value->empty()) return common::failure{name + " must not be empty"};
      *connection_value = *value;
    } else {
      arguments.flags.emplace_back(name, *value);
    }
  }
  if (!which) return common::failure{"no verb given (see --help)"};
  if (auto read = read_verb_arguments(*which, arguments, result.args.command); !read) return read.error();
  auto service = choose_service(connection, xdg_state_home, home);
  if (!service) return service.error();
  result.args.service = std::move(service).value();
  return result;
}

std::string usage_text() {
  return "usage: ads-admin [connection] VERB [OPERANDS...] [FLAGS]\n"
         "Acts as the cloud on ads-sim's admin API: sets to-device properties, reads what a module sent, uploads\n"
         "firmware and runs OTA jobs. Prints the service's JSON answer on stdout; exit 0 on success, 1 when the\n"
         "service refuses (its error on stderr) or cannot be reached, 2 on bad usage.\n"
         "\n"
         "connection (default: the emulator's state dir, $XDG_STATE_HOME/sim7600-emu/ads-sim or\n"
         "~/.local/state/sim7600-emu/ads-sim):\n"
         "  --url https://HOST:PORT   the service; needs --ca and --token or --token-file\n"
         "  --ca FILE                 the CA that signs the service's certificate (ca.pem)\n"
         "  --token TOKEN             the admin API's bearer token (other users may see it in ps: prefer\n"
         "                            --token-file)\n"
         "  --token-file FILE         a file holding the token (admin-token)\n"
         "  --service-dir DIR         read DIR/url, DIR/ca.pem and DIR/admin-token\n"
         "  --state-dir DIR           the emulator's --state-dir: same as --service-dir DIR/ads-sim\n"
         "  --help, -h                this text\n"
         "\n"
         "verbs:\n" +
         verbs_usage() +
         "\n"
         "A flag's value may also be given as --flag=VALUE; after \"--\" every argument is an operand (a string\n"
         "VALUE starting with \"--\").\n";
}

}  // namespace ads_admin
