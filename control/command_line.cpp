#include "control/command_line.hpp"

#include <filesystem>

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

// The flags that come before the verb, as given.
struct given_flags {
  std::optional<std::string> state_dir, socket, url, token_file;
  bool json = false;
};

void add_flags(CLI::App& app, given_flags& flags) {
  cli::configure(app, {"sim7600-ctl [--state-dir DIR | --socket PATH | --url http://HOST:PORT --token-file FILE] VERB "
                       "[ARGS...] [--json]",
                       "Drives a running sim7600-emu's world through its control API (default: the default state "
                       "dir's socket).\nExit 0 done, 1 refused or unreachable (the reason on stderr), 2 usage.",
                       sim7600_control::verbs_usage()});
  app.add_option("--state-dir", flags.state_dir, "the emulator's --state-dir: its control.sock")->type_name("DIR");
  app.add_option("--socket", flags.socket, "the control API's Unix socket")->type_name("PATH");
  app.add_option("--url", flags.url, "the control API on loopback TCP (the emulator's --control)")
      ->type_name("http://HOST:PORT");
  app.add_option("--token-file", flags.token_file, "with --url: the bearer token's file (STATE-DIR/control-token)")
      ->type_name("FILE");
  app.add_flag("--json", flags.json, "print the answer's JSON (also after the verb)");
  // The first word that is no flag is the verb: it and every argument after it are the verb's words.
  app.prefix_command();
}

}  // namespace

common::outcome<ctl_command_line> parse_ctl_command_line(
    const std::vector<std::string>& args,
    const std::function<std::optional<std::string>(const std::string&)>& environment) {
  given_flags flags;
  CLI::App app("", "sim7600-ctl");
  add_flags(app, flags);
  cli::wording words;
  words.unknown = nullptr;  // the verb's words, read by the control verbs' table
  const auto parsed = cli::parse(app, args, words);
  if (!parsed) return parsed.error();
  if (*parsed != cli::request::run) return ctl_command_line{*parsed, {}};
  std::vector<std::string> verb_words;
  for (std::string& word : app.remaining()) {
    if (word == "--help" || word == "-h") return ctl_command_line{cli::request::help, {}};
    if (word == "--json") flags.json = true;
    else verb_words.push_back(std::move(word));
  }
  for (const auto& [name, value] : {std::pair{"--state-dir", &flags.state_dir}, std::pair{"--socket", &flags.socket},
                                    std::pair{"--url", &flags.url}, std::pair{"--token-file", &flags.token_file}})
    if (*value && (*value)->empty()) return common::failure{std::string(name) + " wants a value"};
  const auto& [state_dir, socket, url, token_file, json] = flags;
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
  // A file the daemon reads (`gnss route FILE`) is named from here, whatever the daemon's working directory is.
  auto request = sim7600_control::parse_command(verb_words, [](const std::string& path) {
    std::error_code ec;
    const auto absolute = std::filesystem::absolute(path, ec);
    return ec ? path : absolute.lexically_normal().string();
  });
  if (!request) return request.error();
  command.request = std::move(request).value();
  return ctl_command_line{cli::request::run, std::move(command)};
}

std::string ctl_usage() {
  given_flags flags;
  CLI::App app("", "sim7600-ctl");
  add_flags(app, flags);
  return app.help();
}

cli::command_words ctl_words() {
  given_flags flags;
  CLI::App app("", "sim7600-ctl");
  add_flags(app, flags);
  cli::command_words words = cli::describe(app);
  for (const auto& [name, forms] : sim7600_control::verb_forms()) {
    cli::verb_word verb{name, {}, {{"--json"}, {"--help"}}};
    for (const sim7600_control::verb_form& form : forms) {
      if (!form.action.empty()) verb.actions.push_back(form.action);
      for (const sim7600_control::verb_arg& arg : form.args)
        if (!arg.flag.empty()) verb.flags.push_back({arg.flag, cli::value_kind::text});
    }
    words.verbs.push_back(std::move(verb));
  }
  return words;
}

}  // namespace sim7600_ctl
