#include "ads_admin/command_line.hpp"

#include <algorithm>
#include <charconv>
#include <map>

namespace ads_admin {

namespace {

// The connection flags, accepted before or after the verb; each takes a value.
struct connection_flags {
  std::optional<std::string> url, ca, token, token_file, service_dir, state_dir;
};

// What CLI11 reads: the connection flags, and per verb its operands and its own flags' values.
struct given_arguments {
  connection_flags connection;
  std::map<verb, std::vector<std::string>> operands;
  std::map<std::pair<verb, std::string_view>, std::vector<std::string>> verb_flags;
};

void add_arguments(CLI::App& app, given_arguments& given) {
  cli::configure(app, {"ads-admin [connection] VERB [OPERANDS...] [FLAGS]",
                       "Acts as the cloud on ads-sim's admin API: sets to-device properties, reads what a module sent, "
                       "uploads\nfirmware and runs OTA jobs. Prints the service's JSON answer on stdout; exit 0 on "
                       "success, 1 when the\nservice refuses (its error on stderr) or cannot be reached, 2 on bad "
                       "usage.\nThe connection defaults to the emulator's state dir, $XDG_STATE_HOME/sim7600-emu/ads-sim "
                       "or\n~/.local/state/sim7600-emu/ads-sim.",
                       "verbs:\n" + verbs_usage() +
                           "\nA flag's value may also be given as --flag=VALUE; after \"--\" every argument is an "
                           "operand (a string\nVALUE starting with \"--\").\n"});
  const auto connection = [&app](const char* name, std::optional<std::string>& value, const char* type,
                                 const char* help) {
    app.add_option(name, value, help)->type_name(type)->group("connection");
  };
  connection_flags& c = given.connection;
  connection("--url", c.url, "https://HOST:PORT", "the service; needs --ca and --token or --token-file");
  connection("--ca", c.ca, "FILE", "the CA that signs the service's certificate (ca.pem)");
  connection("--token", c.token, "TOKEN",
             "the admin API's bearer token (other users may see it in ps: prefer\n--token-file)");
  connection("--token-file", c.token_file, "FILE", "a file holding the token (admin-token)");
  connection("--service-dir", c.service_dir, "DIR", "read DIR/url, DIR/ca.pem and DIR/admin-token");
  connection("--state-dir", c.state_dir, "DIR", "the emulator's --state-dir: same as --service-dir DIR/ads-sim");
  // Each verb a subcommand: its operands in order, its own flags (each may be given again), the connection flags
  // after it too (fallthrough); one verb a line.
  app.fallthrough();
  app.require_subcommand(0, 1);
  for (const verb which : all_verbs()) {
    CLI::App* sub = app.add_subcommand(std::string(verb_name(which)));
    sub->add_option("operands", given.operands[which])->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    for (const std::string_view flag : verb_flags(which))
      sub->add_option(std::string(flag), given.verb_flags[{which, flag}])
          ->allow_extra_args(false)
          ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  }
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
  given_arguments given;
  CLI::App app("", "ads-admin");
  add_arguments(app, given);
  cli::wording words;
  words.unknown = nullptr;  // read below: an unknown word before the verb is an unknown verb
  const std::vector<std::string> line(args.begin(), args.end());
  const auto parsed = cli::parse(app, line, words);
  if (!parsed) return parsed.error();
  result.what = *parsed;
  if (result.what != cli::request::run) return result;

  const std::vector<CLI::App*> verbs = app.get_subcommands();
  const std::optional<verb> which =
      verbs.empty() ? std::nullopt : find_verb(verbs.front()->get_name());
  const auto position = [&line](const std::string& argument) {
    return std::find(line.begin(), line.end(), argument) - line.begin();
  };
  std::vector<std::string> extras = app.remaining(false);
  for (const CLI::App* sub : verbs)
    for (std::string& extra : sub->remaining(false)) extras.push_back(std::move(extra));
  for (const std::string& extra : extras) {
    if (extra == "--") continue;
    if (!extra.starts_with("-")) return common::failure{"unknown verb '" + extra + "' (see --help)"};
    const std::string name = extra.substr(0, extra.find('='));
    const bool after_verb = which && position(extra) > position(std::string(verb_name(*which)));
    return common::failure{"unknown flag '" + name + "'" +
                           (after_verb ? " for " + std::string(verb_name(*which)) : std::string()) + " (see --help)"};
  }
  for (const char* name : {"--url", "--ca", "--token", "--token-file", "--service-dir", "--state-dir"}) {
    const CLI::Option* option = app.get_option(name);
    if (option->count() > 1) return common::failure{std::string(name) + " given twice"};
    if (option->count() == 1 && option->as<std::string>().empty())
      return common::failure{std::string(name) + " must not be empty"};
  }
  if (!which) return common::failure{"no verb given (see --help)"};
  verb_arguments arguments;
  arguments.operands = given.operands[*which];
  for (const std::string_view flag : verb_flags(*which))
    for (const std::string& value : given.verb_flags[{*which, flag}]) arguments.flags.emplace_back(flag, value);
  if (auto read = read_verb_arguments(*which, arguments, result.args.command); !read) return read.error();
  auto service = choose_service(given.connection, xdg_state_home, home);
  if (!service) return service.error();
  result.args.service = std::move(service).value();
  return result;
}

std::string usage_text() {
  given_arguments given;
  CLI::App app("", "ads-admin");
  add_arguments(app, given);
  return app.help();
}

cli::command_words completion_words() {
  given_arguments given;
  CLI::App app("", "ads-admin");
  add_arguments(app, given);
  return cli::describe(app);
}

}  // namespace ads_admin
