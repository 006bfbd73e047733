#include "cli/command_words.hpp"

namespace cli {

namespace {

void add_once(std::vector<flag_word>& flags, flag_word flag) {
  for (const flag_word& known : flags)
    if (known.name == flag.name) return;
  flags.push_back(std::move(flag));
}

// Every name of every flag of `app` (positional operands are no flags).
std::vector<flag_word> flags_of(const CLI::App& app) {
  std::vector<flag_word> flags;
  for (const CLI::Option* option : app.get_options()) {
    if (!option->nonpositional()) continue;
    const value_kind value =
        option->get_expected_min() == 0 ? value_kind::none : value_kind_of(option->get_type_name());
    for (const std::string& name : option->get_lnames()) add_once(flags, {"--" + name, value});
    for (const std::string& name : option->get_snames()) add_once(flags, {"-" + name, value});
  }
  return flags;
}

bool takes_file_operands(const CLI::App& app);

}  // namespace

value_kind value_kind_of(const std::string& type_name) {
  if (type_name.find("DIR") != std::string::npos) return value_kind::directory;
  if (type_name.find("FILE") != std::string::npos || type_name.find("PATH") != std::string::npos)
    return value_kind::file;
  return value_kind::text;
}

namespace {

bool takes_file_operands(const CLI::App& app) {
  for (const CLI::Option* option : app.get_options())
    if (option->get_positional() && value_kind_of(option->get_type_name()) == value_kind::file) return true;
  return false;
}

}  // namespace

command_words describe(const CLI::App& app) {
  command_words words{app.get_name(), flags_of(app), {}, takes_file_operands(app)};
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    verb_word verb{sub->get_name(), {}, flags_of(*sub), takes_file_operands(*sub)};
    if (sub->get_fallthrough())
      for (const flag_word& flag : words.flags) add_once(verb.flags, flag);
    words.verbs.push_back(std::move(verb));
  }
  return words;
}

}  // namespace cli
