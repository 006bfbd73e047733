#include "agent/command_table.hpp"

#include <algorithm>

#include "agent/at_args.hpp"

namespace agent {
namespace {

std::string upper_ascii(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return text;
}

// The value an argument stands for when it fits `spec` (a word upper-cased), else nullopt.
std::optional<std::string> checked_value(const arg_spec& spec, const at_arg& arg) {
  switch (spec.kind) {
    case arg_spec::type::integer: {
      if (arg.quoted) return std::nullopt;
      auto value = parse_at_number(arg.value);
      if (!value || *value < spec.low || *value > spec.high) return std::nullopt;
      if (!spec.only.empty() && std::find(spec.only.begin(), spec.only.end(), *value) == spec.only.end()) {
        return std::nullopt;
      }
      return arg.value;
    }
    case arg_spec::type::word: {
      std::string word = upper_ascii(arg.value);
      if (std::find(spec.words.begin(), spec.words.end(), word) == spec.words.end()) return std::nullopt;
      return word;
    }
    case arg_spec::type::text:
      if (spec.max_length != 0 && arg.value.size() > spec.max_length) return std::nullopt;
      return arg.value;
  }
  return std::nullopt;
}

}  // namespace

arg_spec integer(long low, long high) { return {.kind = arg_spec::type::integer, .low = low, .high = high}; }

arg_spec integer_of(std::vector<long> values) {
  auto [low, high] = std::minmax_element(values.begin(), values.end());
  return {.kind = arg_spec::type::integer, .low = *low, .high = *high, .only = std::move(values)};
}

arg_spec word(std::vector<std::string> upper_case_words) {
  return {.kind = arg_spec::type::word, .words = std::move(upper_case_words)};
}

arg_spec text(std::size_t max_length) { return {.kind = arg_spec::type::text, .max_length = max_length}; }

arg_spec optional(arg_spec spec) {
  spec.optional = true;
  return spec;
}

std::string quoted_word_list(const std::vector<std::string>& words) {
  std::string list;
  for (const auto& word : words) list += (list.empty() ? "\"" : ",\"") + word + "\"";
  return "(" + list + ")";
}

int at_params::integer(std::size_t index, int fallback) const {
  if (!has(index)) return fallback;
  return static_cast<int>(parse_at_number(*values_[index]).value_or(fallback));
}

const std::string& at_params::text(std::size_t index) const {
  static const std::string absent;
  return has(index) ? *values_[index] : absent;
}

std::optional<at_params> check_args(const std::vector<arg_spec>& specs, std::string_view text) {
  auto args = parse_at_args(text);
  if (!args || args->size() > specs.size()) return std::nullopt;
  std::vector<std::optional<std::string>> values;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const bool absent = i >= args->size() || ((*args)[i].value.empty() && !(*args)[i].quoted);
    if (absent) {
      if (!specs[i].optional) return std::nullopt;
      if (i < args->size()) values.emplace_back();
      continue;
    }
    auto value = checked_value(specs[i], (*args)[i]);
    if (!value) return std::nullopt;
    values.push_back(std::move(value));
  }
  return at_params(std::move(values));
}

form_answer form_answer::lines(std::vector<std::string> fixed_lines) {
  form_answer answer;
  answer.fixed_ = std::move(fixed_lines);
  return answer;
}

command_result form_answer::run(const at_params& params) const {
  if (fixed_) return command_result::ok(*fixed_);
  if (handler_) return handler_(params);
  return command_result::error();
}

command_result run_row(const command_row& row, const at_command& command) {
  using form = at_command::form;
  switch (command.kind) {
    case form::test: return row.test.run({});
    case form::read: return row.read.run({});
    case form::set: {
      if (!row.set.exists()) return command_result::error();
      // Invalid parameters answer ERROR whatever AT+CMEE says (27.007 §9.1).
      auto params = check_args(row.set_args, command.args);
      return params ? row.set.run(*params) : command_result::error();
    }
    case form::action: {
      if (!row.action.exists()) return command_result::error();
      auto params = check_args(row.action_args, command.args);
      return params ? row.action.run(*params) : command_result::error();
    }
  }
  return command_result::error();
}

void command_table::add(command_row row) {
  std::string name = row.name;
  handlers_[std::move(name)] = [row = std::move(row)](const at_command& command) { return run_row(row, command); };
}

}  // namespace agent
