#include "scenario/command_line.hpp"

#include <charconv>

namespace scenario {

std::string usage_text() {
  return "usage: sim7600-scenario [--junit FILE] [--keep-going] [-j N] [--var NAME=VALUE]... SCENARIO.yaml...\n"
         "       sim7600-scenario --from-transcript TRANSCRIPT > SCENARIO.yaml\n"
         "Runs scenario files (format: scenarios/README.md), each case against a fresh sim7600-emu (and ads-sim),\n"
         "prints one line per case and 'N passed, M failed'; exits 0 only when every case passed.\n"
         "  --junit FILE         also write the results as JUnit XML (GitLab, GitHub and Jenkins read it)\n"
         "  --keep-going         run every case even after one failed (default: stop starting new ones)\n"
         "  -j N                 run N cases at once (1..64), one emulator each\n"
         "  --var NAME=VALUE     {NAME} is VALUE in every case (a firmware's path, a server's address)\n"
         "  --from-transcript F  turn a `sim7600-emu --transcript` capture into a scenario replaying it (stdout)\n";
}

outcome<common::command_line<options>> parse_command_line(const std::vector<std::string>& args) {
  options out;
  bool help = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const auto value = [&]() -> outcome<std::string> {
      if (i + 1 >= args.size()) return failure{arg + " wants a value"};
      return args[++i];
    };
    if (arg == "--help" || arg == "-h") {
      help = true;
    } else if (arg == "--keep-going") {
      out.keep_going = true;
    } else if (arg == "--junit" || arg == "--from-transcript") {
      auto text = value();
      if (!text.ok()) return text.error();
      (arg == "--junit" ? out.junit_file : out.from_transcript) = text.value();
    } else if (arg == "--var") {
      auto text = value();
      if (!text.ok()) return text.error();
      const auto equals = text.value().find('=');
      if (equals == std::string::npos || equals == 0) return failure{"--var wants NAME=VALUE, got '" + text.value() + "'"};
      out.variables[text.value().substr(0, equals)] = text.value().substr(equals + 1);
    } else if (arg == "-j" || arg.rfind("-j", 0) == 0) {
      std::string text = arg.size() > 2 ? arg.substr(2) : "";
      if (text.empty()) {
        auto next = value();
        if (!next.ok()) return next.error();
        text = next.value();
      }
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out.jobs);
      if (error != std::errc() || end != text.data() + text.size() || out.jobs < 1 || out.jobs > 64)
        return failure{"-j wants a number of cases from 1 to 64, got '" + text + "'"};
    } else if (arg.rfind("-", 0) == 0) {
      return failure{"unknown flag " + arg + " (see --help)"};
    } else {
      out.files.push_back(arg);
    }
  }
  if (!help && out.from_transcript.empty() && out.files.empty()) return failure{"no scenario file given (see --help)"};
  if (!out.from_transcript.empty() && !out.files.empty()) return failure{"--from-transcript takes no scenario files"};
  using command_line = common::command_line<options>;
  return command_line{help ? command_line::action::show_help : command_line::action::run, std::move(out)};
}

}  // namespace scenario
