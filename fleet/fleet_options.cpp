#include "fleet/fleet_options.hpp"

#include <charconv>

namespace fleet {

namespace {

// The flags as given, before they are checked.
struct given_flags {
  std::optional<std::string> count;
  std::optional<std::string> seed;
  std::vector<std::string> ports;
};

void add_flags(CLI::App& app, fleet_options& out, given_flags& given) {
  cli::configure(app, {"sim7600-fleet --state-dir DIR --count N [flags] [FLEET-FILE]",
                       "Runs N emulated SIM7600 modules in one process, each with a built-in host (or the one the "
                       "fleet file\ngives it), against the embedded ads-sim or --ads-url. Prints 'sim7600-fleet ready: "
                       "N modules\nlistening' once all are; with a fleet file (format: fleet/README.md) runs it to "
                       "the end and\nprints a JSON summary; exits 0 only when every module ended as the file "
                       "expects, 1 when one\ndid not, 2 on bad usage.",
                       ""});
  app.add_option("--state-dir", out.state_dir, "one folder per module, DIR/<dsn>/ (sim7600-emu --state-dir takes it)")
      ->type_name("DIR");
  app.add_option("--count", given.count, "how many modules (made on first start, taken from DIR afterwards)")
      ->type_name("N");
  app.add_option("--ads-url", out.ads_url, "the device service (default: an embedded ads-sim, data in DIR/ads-sim)")
      ->type_name("URL");
  app.add_option("--ads-ca", out.ads_ca, "CA certificate the service's certificate is checked against")
      ->type_name("FILE");
  app.add_option("--admin-token-file", out.admin_token_file, "the service's admin token, to make devices and jobs")
      ->type_name("FILE");
  app.add_option("--oem", out.oem, "the OEM new modules are made for (default: the service's demo OEM)")
      ->type_name("ID");
  app.add_option("--model", out.model, "the OEM model new modules are made as (default sim7600-fleet)")
      ->type_name("NAME");
  app.add_option("--seed", given.seed, "makes fault choices and host timings reproducible (default 1)")->type_name("S");
  app.add_option("--port", given.ports, "drive module DSN yourself on a PTY link PATH or on TCP HOST:PORT")
      ->type_name("DSN=PATH")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("--junit", out.junit, "also write JUnit XML (a case per group and per fault class)")
      ->type_name("FILE");
  app.add_option("--summary", out.summary, "also write the JSON summary to FILE")->type_name("FILE");
  app.add_flag("--json", out.json, "stdout carries the JSON summary only (progress goes to stderr)");
  app.add_option("fleet-file", out.fleet_file, "the fleet file")->type_name("FLEET-FILE")->group("");
}

template <class Number>
std::optional<Number> whole_number(const std::string& text) {
  Number value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

// The most modules one process is asked to run: beyond it, shards (SPEC §10).
constexpr std::size_t max_count = 100000;

}  // namespace

bool is_tcp_endpoint(const std::string& where) {
  const auto colon = where.rfind(':');
  return where.find('/') == std::string::npos && colon != std::string::npos && colon > 0 &&
         whole_number<unsigned>(where.substr(colon + 1)).value_or(70000) <= 65535;
}

std::string usage_text() {
  fleet_options out;
  given_flags given;
  CLI::App app("", "sim7600-fleet");
  add_flags(app, out, given);
  return app.help();
}

cli::command_words completion_words() {
  fleet_options out;
  given_flags given;
  CLI::App app("", "sim7600-fleet");
  add_flags(app, out, given);
  return cli::describe(app);
}

common::outcome<command_line> parse_command_line(const std::vector<std::string>& args) {
  command_line result;
  given_flags given;
  CLI::App app("", "sim7600-fleet");
  add_flags(app, result.args, given);
  const auto parsed = cli::parse(app, args);
  if (!parsed) return parsed.error();
  result.what = *parsed;
  if (result.what != cli::request::run) return result;
  fleet_options& out = result.args;
  if (out.state_dir.empty()) return common::failure{"--state-dir DIR is required (see --help)"};
  if (!given.count) return common::failure{"--count N is required (see --help)"};
  const auto count = whole_number<std::size_t>(*given.count);
  if (!count || *count < 1 || *count > max_count)
    return common::failure{"--count wants a number of modules from 1 to " + std::to_string(max_count) + ", got '" +
                           *given.count + "'"};
  out.count = *count;
  if (given.seed) {
    const auto seed = whole_number<std::uint64_t>(*given.seed);
    if (!seed) return common::failure{"--seed wants a whole number, got '" + *given.seed + "'"};
    out.seed = *seed;
  }
  for (const std::string& port : given.ports) {
    const auto equals = port.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == port.size())
      return common::failure{"--port wants DSN=PATH or DSN=HOST:PORT, got '" + port + "'"};
    out.ports[port.substr(0, equals)] = port.substr(equals + 1);
  }
  if (out.ads_url && !out.admin_token_file)
    return common::failure{"--ads-url needs --admin-token-file (the fleet makes its devices and jobs)"};
  if (!out.ads_url && (out.ads_ca || out.admin_token_file))
    return common::failure{"--ads-ca and --admin-token-file go with --ads-url"};
  if (out.model.empty()) return common::failure{"--model wants a name"};
  return result;
}

}  // namespace fleet
