#include "fleet/fleet_options.hpp"

#include <charconv>

namespace fleet {

namespace {

// The flags as given, before they are checked.
struct given_flags {
  std::optional<std::string> count;
  std::optional<std::string> seed;
  std::optional<std::string> shard;
  std::vector<std::string> ports;
  merge_options merge;
};

const char* const merge_synopsis = "sim7600-fleet merge SUMMARY... [--junit OUT] [--json]";

void add_flags(CLI::App& app, fleet_options& out, given_flags& given) {
  cli::configure(app, {"sim7600-fleet --state-dir DIR --count N [flags] [FLEET-FILE]\n       " +
                           std::string(merge_synopsis),
                       "Runs N emulated SIM7600 modules in one process, each with a built-in host (or the one the "
                       "fleet file\ngives it), against the embedded ads-sim or --ads-url. Prints 'sim7600-fleet ready: "
                       "N modules\nlistening' once all are; with a fleet file (format: fleet/README.md) runs it to "
                       "the end and\nprints a JSON summary; exits 0 only when every module ended as the file "
                       "expects, 1 when one\ndid not, 2 on bad usage.",
                       "merge: joins the JSON summaries (--summary FILE) of every shard of one fleet (--shard I/N)\n"
                       "into one: prints the total (the merged summary with --json), writes one JUnit XML with\n"
                       "--junit OUT, and exits 0 only when every shard's run passed, 2 when the summaries are not\n"
                       "the shards of one run.\n"});
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
  app.add_option("--modules", out.modules_file,
                 "also write one JSON line per module to FILE (its DSN, group, faults,\nOTA ends and traffic)")
      ->type_name("FILE");
  app.add_flag("--json", out.json, "stdout carries the JSON summary only (progress goes to stderr)");
  app.add_option("--shard", given.shard,
                 "run shard I of N (from 0) of the --count modules; /N takes I from\n" +
                     std::string(shard_index_variable) + " (a Kubernetes Indexed Job's pod)")
      ->type_name("I/N");
  CLI::App* merge = app.add_subcommand("merge", "join shards' JSON summaries");
  merge->add_option("summary", given.merge.summaries, "a shard's JSON summary")
      ->type_name("SUMMARY-FILE")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->group("");
  merge->add_option("--junit", given.merge.junit, "write the merged JUnit XML to OUT")->type_name("FILE");
  merge->add_flag("--json", given.merge.json, "print the merged summary as JSON");
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

common::outcome<shard_position> parse_shard(const std::string& text, const environment& env, std::size_t count) {
  const auto slash = text.find('/');
  const std::string usage = "--shard wants I/N (shard I of N, from 0) or /N (I from " +
                            std::string(shard_index_variable) + "), got '" + text + "'";
  if (slash == std::string::npos) return common::failure{usage};
  const auto shards = whole_number<std::size_t>(text.substr(slash + 1));
  if (!shards) return common::failure{usage};
  if (*shards < 1) return common::failure{"--shard " + text + ": a fleet is split into at least 1 shard"};
  if (*shards > count)
    return common::failure{"--shard " + text + " with --count " + std::to_string(count) + ": " +
                           std::to_string(*shards) + " shards of " + std::to_string(count) +
                           " modules would leave a shard with none"};
  std::optional<std::size_t> index;
  if (slash > 0) {
    index = whole_number<std::size_t>(text.substr(0, slash));
    if (!index) return common::failure{usage};
  } else {
    const std::string from = std::string(shard_index_variable);
    if (!env.job_completion_index)
      return common::failure{"--shard " + text + " takes the shard index from " + from + ", which is not set (give I" +
                             text + ")"};
    index = whole_number<std::size_t>(*env.job_completion_index);
    if (!index)
      return common::failure{from + " is '" + *env.job_completion_index + "', not a shard index (0, 1, ...)"};
  }
  if (*index >= *shards)
    return common::failure{"--shard " + text + ": " + (slash == 0 ? std::string(shard_index_variable) + " " : "shard ") +
                           std::to_string(*index) + " is not one of the " + std::to_string(*shards) + " shards (0 to " +
                           std::to_string(*shards - 1) + ")"};
  return shard_position{*index, *shards};
}

common::outcome<command_line> parse_command_line(const std::vector<std::string>& args, const environment& env) {
  command_line result;
  given_flags given;
  CLI::App app("", "sim7600-fleet");
  add_flags(app, result.args, given);
  const auto parsed = cli::parse(app, args);
  if (!parsed) return parsed.error();
  result.what = *parsed;
  if (result.what != cli::request::run) return result;
  fleet_options& out = result.args;
  if (app.got_subcommand("merge")) {
    if (given.merge.summaries.empty())
      return common::failure{std::string("merge wants the shards' summaries: ") + merge_synopsis};
    out.merge = std::move(given.merge);
    return result;
  }
  if (out.state_dir.empty()) return common::failure{"--state-dir DIR is required (see --help)"};
  if (!given.count) return common::failure{"--count N is required (see --help)"};
  const auto count = whole_number<std::size_t>(*given.count);
  if (!count || *count < 1 || *count > max_count)
    return common::failure{"--count wants a number of modules from 1 to " + std::to_string(max_count) + ", got '" +
                           *given.count + "'"};
  out.count = *count;
  if (given.shard) {
    auto shard = parse_shard(*given.shard, env, out.count);
    if (!shard) return shard.error();
    out.shard = *shard;
  }
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
