#include "cli/command_line.hpp"

#include <algorithm>
#include <memory>

namespace cli {

namespace {

// The one --help layout: "usage: ...", what the program is, its flags by group, then the program's footer.
class layout : public CLI::Formatter {
 public:
  explicit layout(help_text help) : help_(std::move(help)) { column_width(30); }

  std::string make_help(const CLI::App* app, std::string, CLI::AppFormatMode) const override {
    std::string text = "usage: " + help_.synopsis + "\n";
    if (!help_.description.empty()) text += help_.description + "\n";
    text += groups(app);
    if (!help_.footer.empty()) text += "\n" + help_.footer;
    return text;
  }
  // A group is "\n<name>:\n" and one line per flag; the group's name is set where the flags are added. Operands
  // and hidden flags (group "") are named in the synopsis instead.
  std::string groups(const CLI::App* app) const {
    std::string text;
    for (const std::string& group : app->get_groups()) {
      const auto flags = app->get_options(
          [&group](const CLI::Option* option) { return option->get_group() == group && option->nonpositional(); });
      if (!group.empty() && !flags.empty()) text += make_group(group, false, flags);
    }
    return text;
  }
  std::string make_option_name(const CLI::Option* option, bool positional) const override {
    return positional ? option->get_name(true) : option->get_name(false, true);
  }

 private:
  help_text help_;
};

std::string replace_placeholder(std::string text, const std::string& with) {
  if (const auto at = text.find("{}"); at != std::string::npos) text.replace(at, 2, with);
  return text;
}

// The first argument nothing took, and the subcommand it came after: the main program's own first.
std::optional<std::pair<std::string, std::string>> first_extra(const CLI::App& app) {
  if (const auto extra = app.remaining(false); !extra.empty()) return std::pair{extra.front(), app.get_name()};
  for (const CLI::App* sub : app.get_subcommands())
    if (auto extra = first_extra(*sub)) return extra;
  return std::nullopt;
}

}  // namespace

void configure(CLI::App& app, const help_text& help) {
  app.formatter(std::make_shared<layout>(help));
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)->group("flags");
  app.set_help_flag("-h,--help", "this text");
  app.set_version_flag("--version", version_line(app.get_name()), "the program's name and version");
  app.allow_extras();  // reported by parse() in the program's words, not CLI11's
}

common::result<request, common::failure> parse(CLI::App& app, std::vector<std::string> args, const wording& words) {
  // CLI11 reads "--flag=" as "--flag" and takes the next argument as its value: the value given is empty.
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i].starts_with("--") && args[i].size() > 3 && args[i].ends_with("=")) {
      args[i].pop_back();
      args.insert(args.begin() + static_cast<std::ptrdiff_t>(++i), std::string());
    }
  }
  const std::string last = args.empty() ? std::string() : args.back();
  std::reverse(args.begin(), args.end());  // CLI11 takes the arguments last first
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp&) {
    return request::help;
  } catch (const CLI::CallForVersion&) {
    return request::version;
  } catch (const CLI::ArgumentMismatch&) {
    // A flag's value is whatever follows it, so only the last argument can be a flag left without one.
    return common::failure{replace_placeholder(words.missing_value, last)};
  } catch (const CLI::ParseError& error) {
    return common::failure{error.what()};
  }
  if (words.unknown)
    if (const auto extra = first_extra(app))
      return common::failure{words.unknown(extra->first, extra->second == app.get_name() ? "" : extra->second)};
  return request::run;
}

std::string version_line(std::string_view program) { return std::string(program) + " " + SIM7600_VERSION; }

std::optional<common::exit_code> answer(std::string_view program, request asked, const std::string* reason,
                                        const std::function<std::string()>& usage, std::ostream& out,
                                        std::ostream& err) {
  if (reason) {
    err << program << ": " << *reason << "\n";
    return common::exit_code::usage;
  }
  if (asked == request::help) {
    out << usage();
    return common::exit_code::ok;
  }
  if (asked == request::version) {
    out << version_line(program) << "\n";
    return common::exit_code::ok;
  }
  return std::nullopt;
}

}  // namespace cli
