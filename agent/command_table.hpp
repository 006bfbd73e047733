#pragma once
// command_table: name -> command. A command is either one declarative command_row (a fixed answer or a handler
// per form, typed argument specs the table checks before any handler runs) or, for a command with its own
// grammar (AT+ADA), one raw handler.
#include <array>
#include <concepts>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <type_traits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/at_command.hpp"

namespace agent {

// What one argument of a set form (or the digits of a basic command) may be.
struct arg_spec {
  enum class type {
    integer,  // bare decimal, in [low, high] (and in `only` when that is not empty)
    word,     // one of `words`, bare or quoted, compared case-insensitively
    text,     // a quoted (or bare) string of at most max_length bytes
  };
  type kind = type::integer;
  long low = 0;
  long high = 0;
  std::vector<long> only = {};
  std::vector<std::string> words = {};  // upper-case
  std::size_t max_length = 0;      // 0: no limit
  bool optional = false;           // may be absent or an empty position ("1,,3")
};

arg_spec integer(long low, long high);
arg_spec integer_of(std::vector<long> values);
arg_spec word(std::vector<std::string> upper_case_words);
arg_spec text(std::size_t max_length = 0);
arg_spec optional(arg_spec spec);

// The arguments of a command after the table checked them against its specs.
class at_params {
 public:
  at_params() = default;
  explicit at_params(std::vector<std::optional<std::string>> values) : values_(std::move(values)) {}

  // Positions the host wrote, counting absent ones before the last given one ("1,,3" is 3).
  std::size_t count() const { return values_.size(); }
  bool has(std::size_t index) const { return index < values_.size() && values_[index].has_value(); }
  // An integer argument; `fallback` when absent.
  int integer(std::size_t index, int fallback = 0) const;
  // A text argument (a word upper-cased); empty when absent.
  const std::string& text(std::size_t index) const;

 private:
  std::vector<std::optional<std::string>> values_;
};

// Checks an argument text against `specs`: nullopt when malformed, too many, a required one absent, or a value
// of the wrong type or out of range.
std::optional<at_params> check_args(const std::vector<arg_spec>& specs, std::string_view text);

using form_handler = std::function<command_result(const at_params&)>;

// How a command answers one of its forms: not at all (the form does not exist: ERROR), with fixed lines and
// OK, or through a handler.
class form_answer {
 public:
  form_answer() = default;
  template <class F>
    requires std::invocable<const F&, const at_params&>
  form_answer(F handler) : handler_(std::move(handler)) {}
  template <class F>
    requires std::invocable<const F&>
  form_answer(F handler) : handler_([handler = std::move(handler)](const at_params&) { return handler(); }) {}
  static form_answer lines(std::vector<std::string> fixed_lines);

  bool exists() const { return fixed_.has_value() || handler_ != nullptr; }
  command_result run(const at_params& params) const;

 private:
  std::optional<std::vector<std::string>> fixed_;
  form_handler handler_;
};

namespace detail {
// `holder` points at the object (a plain pointer, or a shared_ptr that keeps it alive).
template <class Holder, class Function>
form_answer bind_handler(Holder holder, Function function) {
  if constexpr (std::is_invocable_v<const Function&, decltype(*holder), const at_params&>) {
    return [holder, function](const at_params& params) -> command_result {
      return std::invoke(function, *holder, params);
    };
  } else {
    return [holder, function]() -> command_result { return std::invoke(function, *holder); };
  }
}
}  // namespace detail

// A row names its handler and what the handler acts on: `handler(modem, set_cmgs)` answers with
// set_cmgs(modem, params), `handler(modem, read_cmgf)` with read_cmgf(modem); a member function works alike
// (`handler(*this, &socket_service::open_link)`). `object` must outlive the table.
template <class Object, class Function>
form_answer handler(Object& object, Function function) {
  return detail::bind_handler(&object, std::move(function));
}
// The same for an object the rows share and keep alive (a builder's own context).
template <class Object, class Function>
form_answer handler(std::shared_ptr<Object> object, Function function) {
  return detail::bind_handler(std::move(object), std::move(function));
}

// A fixed answer: these lines, then OK.
inline form_answer answer(std::vector<std::string> lines) { return form_answer::lines(std::move(lines)); }
// A form that only says OK.
inline form_answer answer_ok() { return form_answer::lines({}); }

// The read and set forms of a settings array (AT+CNMI, AT+CIPCCFG): "<name>: <a>,<b>,...", and storing the
// positions the host gave (absent ones keep theirs). `values` must outlive the table.
template <std::size_t N>
form_answer show_settings(std::string name, const std::array<int, N>& values) {
  return [prefix = std::move(name) + ": ", &values] {
    std::string line = prefix;
    for (std::size_t i = 0; i < N; ++i) line += (i ? "," : "") + std::to_string(values[i]);
    return command_result::ok({line});
  };
}
template <std::size_t N>
form_answer store_settings(std::array<int, N>& values) {
  return [&values](const at_params& params) {
    for (std::size_t i = 0; i < N; ++i) values[i] = params.integer(i, values[i]);
    return command_result::ok();
  };
}

// '("IRA","GSM","UCS2")': a list of words as test forms print them.
std::string quoted_word_list(const std::vector<std::string>& words);

// One command: its name and an answer per form. A form left empty answers ERROR.
struct command_row {
  std::string name = {};  // upper-case: "+CSQ", "E", "&F", "S3"
  form_answer test = {};  // AT+X=?
  form_answer read = {};  // AT+X?
  form_answer set = {};   // AT+X=<args>, checked against set_args
  std::vector<arg_spec> set_args = {};
  form_answer action = {};  // AT+X, or a basic command with its digits (ATE1) checked against action_args
  std::vector<arg_spec> action_args = {};
};

class command_table {
 public:
  void add(command_row row);
  // A command that parses its own arguments (AT+ADA and its sub-command grammar).
  void add(std::string upper_name, command_handler handler) { handlers_[std::move(upper_name)] = std::move(handler); }
  const command_handler* find(std::string_view upper_name) const {
    auto it = handlers_.find(upper_name);
    return it == handlers_.end() ? nullptr : &it->second;
  }

 private:
  std::map<std::string, command_handler, std::less<>> handlers_;
};

// What a row answers to `command` (exposed for tests of rows that are not in a table).
command_result run_row(const command_row& row, const at_command& command);

}  // namespace agent
