#include "agent/ada_commands.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <vector>

#include "agent/at_args.hpp"
#include "apca/ada_text.hpp"
#include "apca/service.hpp"

namespace agent {
namespace {

using apca::ada_code;
using apca::ada_error;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

// A keyword argument ("start ", "ST", "Fota") as the table compares it: trimmed, lower-case.
std::string keyword(const at_arg& arg) { return lower(trim(arg.value)); }

// One AT+ADA command after its sub-command keyword has been looked up.
struct ada_request {
  std::string shown;         // the sub-command as answers print it
  std::vector<at_arg> args;  // the arguments after the keyword
  std::size_t count() const { return args.size(); }
  // An argument the host gave with some text (an absent or empty position is "missing").
  bool has(std::size_t index) const { return index < args.size() && !args[index].value.empty(); }
  const std::string& text(std::size_t index) const { return args[index].value; }
};

// What every handler reaches: the service, and the way to end a held command.
struct ada_context {
  apca::service& service;
  std::function<void(command_result)> complete_held;
};

ada_error too_many_arguments() { return {ada_code::usage, "too many arguments"}; }

command_result fail(const ada_request& request, const ada_error& error) {
  return command_result::error({apca::ada_error_line(request.shown, error)});
}

command_result answer_accepted(const ada_request& request, const apca::result<apca::accepted>& outcome) {
  return outcome.ok() ? command_result::ok() : fail(request, outcome.error());
}

// A change that may need NV: OK at once, the "no change" line, or held until the save ends.
command_result answer_write(const ada_request& request, const apca::result<apca::write_state>& outcome,
                            std::vector<std::string> no_change = {}) {
  if (!outcome.ok()) return fail(request, outcome.error());
  switch (outcome.value()) {
    case apca::write_state::done:
      return command_result::ok();
    case apca::write_state::no_change:
      return command_result::ok(std::move(no_change));
    case apca::write_state::saving:
      return command_result::held();
  }
  return command_result::held();
}

// The callback a saving write ends with: OK once durable, else the error line and ERROR.
apca::saved_callback on_saved(ada_context& context, const ada_request& request) {
  return [complete = context.complete_held, shown = request.shown](std::optional<ada_error> error) {
    complete(error ? command_result::error({apca::ada_error_line(shown, *error)}) : command_result::ok());
  };
}

std::optional<std::int64_t> parse_count(const at_arg& arg) {
  auto text = trim(arg.value);
  if (text.empty() || text.size() > 12 ||
      !std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return std::nullopt;
  }
  return std::stoll(std::string(text));
}

std::string at_quoted(std::string_view text) { return apca::quote_at_string(text); }

// ---- handlers: each validates the argument values, then calls the service (the action) ----

command_result do_start(ada_context& context, const ada_request&) {
  context.service.start();
  return command_result::ok();
}

command_result do_stop(ada_context& context, const ada_request&) {
  context.service.stop();
  return command_result::ok();
}

command_result do_status(ada_context& context, const ada_request&) {
  return command_result::ok({apca::status_line(context.service.status())});
}

// The config name as typed, without surrounding spaces (answers echo it).
std::string config_name_arg(const ada_request& request) { return std::string(trim(request.text(0))); }

command_result do_config_set(ada_context& context, const ada_request& request) {
  const std::string name = config_name_arg(request);
  std::vector<std::string> no_change{"+ADA: \"cs\"," + at_quoted(name) + ",\"no change\""};
  if (request.count() == 3) {
    // "cs","id/key","st"|"ss"|"sn","<part>"
    auto kind = apca::parse_chunk_kind(trim(request.text(1)));
    if (!kind) return fail(request, {ada_code::invalid, "part type"});
    if (!request.has(2)) return fail(request, {ada_code::missing, "value"});
    return answer_write(request,
                        context.service.config_set_part(name, *kind, request.text(2), on_saved(context, request)),
                        std::move(no_change));
  }
  return answer_write(request, context.service.config_set(name, request.text(1), on_saved(context, request)),
                      std::move(no_change));
}

command_result do_config_get(ada_context& context, const ada_request& request) {
  const std::string name = config_name_arg(request);
  auto value = context.service.config_get(name);
  if (!value.ok()) return fail(request, value.error());
  return command_result::ok({"+ADA: \"cg\"," + at_quoted(name) + "," + at_quoted(value.value())});
}

command_result do_sign(ada_context& context, const ada_request& request) {
  auto kind = apca::parse_chunk_kind(trim(request.text(0)));
  if (!kind) return fail(request, {ada_code::invalid, "part type"});
  return answer_accepted(request, context.service.sign_part(*kind, request.text(1)));
}

command_result do_setup_mode(ada_context& context, const ada_request& request) {
  auto mode = keyword(request.args[0]);
  if (mode == "show") {
    if (request.count() > 1) return fail(request, too_many_arguments());
    return command_result::ok(
        {std::string("+ADA: \"setup_mode\",") + (context.service.setup_mode_enabled() ? "\"enable\"" : "\"disable\"")});
  }
  if (mode == "disable") {
    if (request.count() > 1) return fail(request, too_many_arguments());
    return answer_write(request, context.service.setup_mode_disable(on_saved(context, request)));
  }
  if (mode == "enable") {
    std::optional<std::string> passphrase;
    if (request.has(1)) passphrase = request.text(1);
    return answer_write(request, context.service.setup_mode_enable(std::move(passphrase), on_saved(context, request)));
  }
  return fail(request, {ada_code::invalid, "mode"});
}

command_result do_version(ada_context& context, const ada_request& request) {
  if (request.count() == 0) return command_result::ok({"+ADA: " + context.service.agent_version()});
  if (keyword(request.args[0]) != "fota") return fail(request, {ada_code::invalid, "version type"});
  return command_result::ok({"+ADA: " + context.service.firmware_version()});
}

command_result do_reset(ada_context& context, const ada_request& request) {
  return answer_write(request, context.service.reset(on_saved(context, request)));
}

command_result do_enable(ada_context& context, const ada_request& request) {
  return answer_accepted(request, context.service.enable());
}

command_result do_disable(ada_context& context, const ada_request& request) {
  apca::disable_request disable;
  if (request.count() == 1) {
    disable.rewake_seconds = parse_count(request.args[0]);
    if (!disable.rewake_seconds) return fail(request, {ada_code::invalid, "seconds"});
  }
  return answer_accepted(request, context.service.disable(disable));
}

command_result do_listen(ada_context& context, const ada_request& request) {
  return answer_accepted(request, context.service.listen({request.shown}));
}

command_result do_send(ada_context& context, const ada_request& request) {
  apca::property_send send;
  send.name = request.text(0);
  auto type = apca::parse_property_type(trim(request.text(1)));
  if (!type) return fail(request, {ada_code::invalid, "type"});
  send.type = *type;
  if (type->metadata) {
    // "s","<name>","m","<key>","<value>"
    if (request.count() < 4) return fail(request, {ada_code::missing, "value"});
    send.metadata_key = request.text(2);
    send.value = request.text(3);
    if (send.value.size() > apca::max_property_value) return fail(request, {ada_code::len_err, "value too long"});
  } else {
    if (request.count() > 3) return fail(request, too_many_arguments());
    // A quoted "" is an empty string value; an absent value is missing.
    if (request.count() < 3 || (!request.args[2].quoted && request.args[2].value.empty())) {
      return fail(request, {ada_code::missing, "value"});
    }
    send.value = request.text(2);
    if (type->chunk) {
      if (send.value.size() > apca::max_property_part) return fail(request, {ada_code::len_err, "part too long"});
    } else if (auto error = apca::check_property_value(*type->type, send.value)) {
      return fail(request, *error);
    }
  }
  return answer_accepted(request, context.service.send_property(send));
}

command_result do_get(ada_context& context, const ada_request& request) {
  return answer_accepted(request, context.service.get_property({request.text(0)}));
}

command_result do_ota(ada_context& context, const ada_request& request) {
  using operation = apca::ota_request::operation;
  using image = apca::ota_request::image;
  struct ota_form {
    std::string_view word;
    operation op;
    bool host, module;  // which images the operation applies to
    bool number_allowed, number_required;
  };
  static constexpr std::array<ota_form, 4> forms = {{
      {"dl", operation::download, true, true, true, false},
      {"apply", operation::apply, false, true, false, false},
      {"mcu_mode", operation::mcu_mode, false, true, true, false},
      {"status", operation::status, true, false, true, true},
  }};
  auto word = keyword(request.args[0]);
  auto form = std::find_if(forms.begin(), forms.end(), [&](const ota_form& f) { return f.word == word; });
  if (form == forms.end()) return fail(request, {ada_code::unknown, "ota command"});
  if (!request.has(1)) return fail(request, {ada_code::missing, "type"});
  if (!request.has(2)) return fail(request, {ada_code::missing, "id"});
  apca::ota_request ota;
  ota.op = form->op;
  auto target = keyword(request.args[1]);
  if (target == "host")
    ota.target = image::host;
  else if (target == "module")
    ota.target = image::module;
  else
    return fail(request, {ada_code::invalid, "type"});
  if ((ota.target == image::host && !form->host) || (ota.target == image::module && !form->module)) {
    return fail(request, {ada_code::not_supported, "type"});
  }
  ota.id = request.text(2);
  if (ota.id.size() > 64) return fail(request, {ada_code::len_err, "id too long"});
  if (request.count() > 3 && !form->number_allowed) return fail(request, too_many_arguments());
  if (request.has(3)) {
    const auto& number = request.args[3];
    if (ota.op == operation::status) {
      // 0 or the host's (possibly negative) error code.
      auto text = trim(number.value);
      bool negative = !text.empty() && text.front() == '-';
      auto magnitude = parse_count(at_arg{std::string(negative ? text.substr(1) : text), false});
      if (!magnitude) return fail(request, {ada_code::invalid, "status"});
      ota.number = negative ? -*magnitude : *magnitude;
    } else {
      ota.number = parse_count(number);
      if (!ota.number || (ota.op == operation::download && *ota.number == 0) ||
          (ota.op == operation::mcu_mode && *ota.number > 1)) {
        return fail(request, {ada_code::invalid, ota.op == operation::download ? "length" : "mode"});
      }
    }
  } else if (form->number_required) {
    return fail(request, {ada_code::missing, "status"});
  }
  auto outcome = context.service.ota(ota);
  if (!outcome.ok()) return fail(request, outcome.error());
  return command_result::ok(std::move(outcome.value()));
}

// ---- the table ----

// Which arguments (after the keyword) carry a secret, for transcripts: all from `first`, but never a chunk kind.
using secret_rule = std::optional<std::size_t> (*)(const std::vector<std::string>& args);

std::optional<std::size_t> no_secret(const std::vector<std::string>&) { return std::nullopt; }
std::optional<std::size_t> after_keyword(const std::vector<std::string>&) { return 1; }
std::optional<std::size_t> secret_config_value(const std::vector<std::string>& args) {
  if (args.empty()) return std::nullopt;
  auto name = lower(trim(args[0]));
  if (name != "oem/secret" && name != "id/key") return std::nullopt;
  // "cs","id/key","st","<part>": the chunk kind stays readable.
  return args.size() >= 3 && apca::parse_chunk_kind(trim(args[1])) ? 2 : 1;
}

struct sub_command {
  std::string_view name;                           // the keyword (lower-case)
  std::string_view alias = {};                     // another keyword for the same entry
  bool echo_as_typed = false;                      // answers print the keyword as the host typed it (l / L / I / i)
  bool needs_start = false;                        // code 7 "err: service not started" before start
  std::size_t min_args = 0;                        // arguments after the keyword; fewer: 1 "missing: <arg name>"
  std::size_t max_args = 0;                        // more: 4 "usage: too many arguments"
  std::array<std::string_view, 3> arg_names = {};  // for "missing: <name>"
  secret_rule secret_from = no_secret;             // which arguments transcripts hide
  command_result (*handler)(ada_context&, const ada_request&);
};

constexpr std::array<sub_command, 15> sub_commands = {{
    {.name = "start", .handler = do_start},
    {.name = "stop", .handler = do_stop},
    {.name = "enable", .needs_start = true, .handler = do_enable},
    {.name = "disable", .max_args = 1, .handler = do_disable},
    {.name = "status", .handler = do_status},
    {.name = "l", .alias = "i", .echo_as_typed = true, .needs_start = true, .handler = do_listen},
    // The value may be a quoted "" (an empty string), so do_send checks it.
    {.name = "s", .needs_start = true, .min_args = 2, .max_args = 4, .arg_names = {"name", "type"}, .handler = do_send},
    {.name = "g", .needs_start = true, .min_args = 1, .max_args = 1, .arg_names = {"name"}, .handler = do_get},
    {.name = "cs",
     .needs_start = true,
     .min_args = 2,
     .max_args = 3,
     .arg_names = {"config name", "value"},
     .secret_from = secret_config_value,
     .handler = do_config_set},
    {.name = "cg",
     .needs_start = true,
     .min_args = 1,
     .max_args = 1,
     .arg_names = {"config name"},
     .handler = do_config_get},
    {.name = "sign",
     .needs_start = true,
     .min_args = 2,
     .max_args = 2,
     .arg_names = {"part type", "key"},
     .secret_from = after_keyword,
     .handler = do_sign},
    {.name = "setup_mode",
     .min_args = 1,
     .max_args = 2,
     .arg_names = {"mode"},
     .secret_from = after_keyword,
     .handler = do_setup_mode},
    {.name = "version", .max_args = 1, .handler = do_version},
    {.name = "reset", .handler = do_reset},
    {.name = "ota", .min_args = 3, .max_args = 4, .arg_names = {"ota command", "type", "id"}, .handler = do_ota},
}};

const sub_command* find_sub_command(std::string_view typed) {
  auto word = lower(trim(typed));
  for (const auto& entry : sub_commands) {
    if (entry.name == word || (!entry.alias.empty() && entry.alias == word)) return &entry;
  }
  return nullptr;
}

// `+ADA: ("start","stop",...)`: the keywords the test form lists.
std::string sub_command_list() {
  std::string line = "+ADA: (";
  for (const auto& entry : sub_commands) {
    if (line.back() != '(') line += ",";
    line += at_quoted(entry.name);
  }
  return line + ")";
}

command_result run_ada(ada_context& context, const at_command& command) {
  if (command.kind == at_command::form::test) return command_result::ok({sub_command_list()});
  if (command.kind != at_command::form::set) return command_result::error();
  auto args = parse_at_args(command.args);
  if (!args) return command_result::error({apca::ada_error_line("", {ada_code::usage, "syntax"})});
  ada_request request;
  if (args->empty() || trim(args->front().value).empty()) {
    return fail(request, {ada_code::missing, "command"});
  }
  const std::string typed(trim(args->front().value));
  const sub_command* entry = find_sub_command(typed);
  request.shown = entry && !entry->echo_as_typed ? std::string(entry->name) : typed;
  if (!entry) return fail(request, {ada_code::unknown, "command"});
  request.args.assign(args->begin() + 1, args->end());
  if (entry->needs_start && !context.service.started()) return fail(request, {ada_code::err, "service not started"});
  for (std::size_t i = 0; i < entry->min_args; ++i) {
    if (!request.has(i)) return fail(request, {ada_code::missing, std::string(entry->arg_names[i])});
  }
  if (request.count() > entry->max_args) return fail(request, too_many_arguments());
  return entry->handler(context, request);
}

// ---- masking for transcripts ----

// The raw argument texts of an AT+ADA=... command (split at commas outside quotes), from `begin` to the end of the
// command (a ';' outside quotes, CR, LF or the end of the line).
struct raw_args {
  std::vector<std::pair<std::size_t, std::size_t>> spans;  // [begin, end) of each argument in the line
  std::size_t end = 0;
};

raw_args split_raw_args(std::string_view line, std::size_t begin) {
  raw_args out;
  bool in_quote = false;
  std::size_t start = begin;
  std::size_t i = begin;
  for (; i < line.size(); ++i) {
    char c = line[i];
    if (c == '"') in_quote = !in_quote;
    if (in_quote) continue;
    if (c == ';' || c == '\r' || c == '\n') break;
    if (c == ',') {
      out.spans.emplace_back(start, i);
      start = i + 1;
    }
  }
  out.spans.emplace_back(start, i);
  out.end = i;
  return out;
}

// The text of one raw argument as a keyword: unquoted, trimmed (escapes are irrelevant for keywords).
std::string raw_value(std::string_view raw) {
  raw = trim(raw);
  if (!raw.empty() && raw.front() == '"') raw.remove_prefix(1);
  if (!raw.empty() && raw.back() == '"') raw.remove_suffix(1);
  return std::string(raw);
}

// Where the "+ADA" of a set command starts its arguments (just past '='), searching from `from` outside quotes.
std::optional<std::size_t> next_ada_arguments(std::string_view line, std::size_t& from) {
  bool in_quote = false;
  for (std::size_t i = from; i < line.size(); ++i) {
    if (line[i] == '"') in_quote = !in_quote;
    if (in_quote || i + 4 > line.size() || lower(line.substr(i, 4)) != "+ada") continue;
    std::size_t j = i + 4;
    while (j < line.size() && line[j] == ' ') ++j;
    from = j;
    if (j < line.size() && line[j] == '=' && !(j + 1 < line.size() && line[j + 1] == '?')) return j + 1;
  }
  from = line.size();
  return std::nullopt;
}

}  // namespace

void add_ada_commands(command_table& table, apca::service& service, std::function<void(command_result)> complete_held) {
  auto context = std::make_shared<ada_context>(ada_context{service, std::move(complete_held)});
  table.add("+ADA", [context](const at_command& command) { return run_ada(*context, command); });
}

std::string mask_ada_secrets(std::string_view line) {
  std::string out;
  std::size_t copied = 0;
  std::size_t from = 0;
  while (auto begin = next_ada_arguments(line, from)) {
    auto args = split_raw_args(line, *begin);
    from = args.end;
    std::vector<std::string> values;
    for (std::size_t i = 1; i < args.spans.size(); ++i) {
      values.push_back(raw_value(line.substr(args.spans[i].first, args.spans[i].second - args.spans[i].first)));
    }
    const sub_command* entry =
        find_sub_command(raw_value(line.substr(args.spans[0].first, args.spans[0].second - args.spans[0].first)));
    auto first_secret = entry ? entry->secret_from(values) : std::nullopt;
    if (!first_secret) continue;
    for (std::size_t i = *first_secret + 1; i < args.spans.size(); ++i) {
      auto [span_begin, span_end] = args.spans[i];
      out.append(line.substr(copied, span_begin - copied));
      out += "\"***\"";
      copied = span_end;
    }
  }
  out.append(line.substr(copied));
  return out;
}

}  // namespace agent
