#include "control/command_line.hpp"

#include "emulator/options.hpp"

namespace sim7600_ctl {

namespace {

// "http://HOST:PORT[/]" → host and port; false for anything else.
bool parse_url(const std::string& url, control_endpoint& endpoint) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) return false;
  std::string authority = url.substr(scheme.size());
  if (!authority.empty() && authority.back() == '/') authority.pop_back();
  const auto colon = authority.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == authority.size()) return false;
  endpoint.host = authority.substr(0, colon);
  endpoint.port = authority.substr(colon + 1);
  return endpoint.port.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

common::outcome<ctl_command_line> parse_ctl_command_line(
    const std::vector<std::string>& args,
    const std::function<std::optional<std::string>(const std::string&)>& environment) {
  std::optional<std::string> state_dir, socket, url, token_file;
  bool json = false;
  std::vector<std::string> words;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") return ctl_command_line{ctl_command_line::action::show_help, {}};
    std::optional<std::string>* flag = arg == "--state-dir"    ? &state_dir
                                       : arg == "--socket"     ? &socket
                                       : arg == "--url"        ? &url
                                       : arg == "--token-file" ? &token_file
                                                               : nullptr;
    if (flag != nullptr && words.empty()) {
      if (++i == args.size() || args[i].empty()) return common::failure{arg + " wants a value"};
      *flag = args[i];
    } else if (arg == "--json") {
      json = true;
    } else {
      words.push_back(arg);
    }
  }
  const int sources = (state_dir ? 1 : 0) + (socket ? 1 : 0) + (url ? 1 : 0);
  if (sources > 1) return common::failure{"give one of --state-dir, --socket, --url"};
  if (token_file && !url) return common::failure{"--token-file goes with --url"};
  ctl_command command;
  command.json = json;
  if (url) {
    if (!parse_url(*url, command.endpoint)) return common::failure{"--url wants http://HOST:PORT, got '" + *url + "'"};
    if (!token_file) return common::failure{"--url needs --token-file"};
    command.endpoint.token_file = *token_file;
  } else if (socket) {
    command.endpoint.socket_path = *socket;
  } else {
    const std::string dir = state_dir ? *state_dir : sim7600_emu::default_state_dir(environment);
    if (dir.empty()) return common::failure{"no --state-dir given and neither XDG_STATE_HOME nor HOME is set"};
    command.endpoint.socket_path = dir + "/control.sock";
  }
  auto request = sim7600_control::parse_command(words);
  if (!request) return request.error();
  command.request = std::move(request).value();
  return ctl_command_line{ctl_command_line::action::run, std::move(command)};
}

std::string ctl_usage() {
  return "usage: sim7600-ctl [--state-dir DIR | --socket PATH | --url http://HOST:PORT --token-file FILE] VERB "
         "[ARGS...] [--json]\n"
         "Drives a running sim7600-emu's world through its control API (default: the default state dir's socket).\n"
         "Exit 0 done, 1 refused or unreachable (the reason on stderr), 2 usage.\n" +
         sim7600_control::verbs_usage();
}

}  // namespace sim7600_ctl
