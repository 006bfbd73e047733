#include "control/control_verbs.hpp"

#include <charconv>
#include <functional>

namespace sim7600_control {
namespace {

using arg_type = verb_arg::type;

verb_arg integer(std::string key, long low, long high, bool optional = false) {
  return {std::move(key), arg_type::integer, low, high, optional};
}
verb_arg text(std::string key, bool optional = false) { return {std::move(key), arg_type::text, 0, 0, optional}; }
verb_arg number(std::string key, long low, long high, bool optional = false) {
  return {std::move(key), arg_type::number, low, high, optional};
}
verb_arg file(std::string key) { return {std::move(key), arg_type::text, 0, 0, false, {}, true}; }

// A checked request: the form's action and the arguments by key.
struct verb_call {
  std::string action;
  json args = json::object();
  long integer(const std::string& key, long fallback = 0) const { return args.value(key, fallback); }
  double number(const std::string& key) const { return args.value(key, 0.0); }
  std::optional<double> maybe_number(const std::string& key) const {
    return args.contains(key) ? std::optional(number(key)) : std::nullopt;
  }
  std::string text(const std::string& key) const { return args.value(key, std::string()); }
  std::optional<std::string> maybe_text(const std::string& key) const {
    return args.contains(key) ? std::optional(text(key)) : std::nullopt;
  }
};

struct control_verb {
  std::string name;
  std::vector<verb_form> forms;
  std::function<verb_outcome(control_world&, const verb_call&)> run;
  bool read_only = false;  // GET
};

constexpr long max_ms = 3'600'000;

const std::vector<control_verb>& verbs() {
  static const std::vector<control_verb> table = {
      {"state", {{"", {}}}, [](control_world& w, const verb_call&) { return verb_outcome::done(w.state()); }, true},
      {"reboot", {{"", {}}}, [](control_world& w, const verb_call&) { return w.reboot(); }},
      {"power-cut",
       {{"", {{"off_ms", arg_type::integer, 0, max_ms, true, "--off-ms"}}}},
       [](control_world& w, const verb_call& c) { return w.power_cut(std::chrono::milliseconds(c.integer("off_ms", 1000))); }},
      {"cloud",
       {{"cut", {}}, {"blackhole", {}}, {"latency", {integer("ms", 0, max_ms)}}, {"restore", {}}},
       [](control_world& w, const verb_call& c) {
         const cloud_fault fault = c.action == "cut"         ? cloud_fault::cut
                                   : c.action == "blackhole" ? cloud_fault::blackhole
                                   : c.action == "latency"   ? cloud_fault::latency
                                                             : cloud_fault::restore;
         return w.cloud(fault, std::chrono::milliseconds(c.integer("ms")));
       }},
      {"busy", {{"on", {}}, {"off", {}}}, [](control_world& w, const verb_call& c) { return w.busy(c.action == "on"); }},
      {"data-call",
       {{"drop", {integer("cid", 1, 24, true)}}},
       [](control_world& w, const verb_call& c) {
         return w.drop_data_call(c.args.contains("cid") ? std::optional<int>(c.integer("cid")) : std::nullopt);
       }},
      {"signal",
       {{"", {integer("rssi", 0, 99), integer("ber", 0, 99, true)}}},
       [](control_world& w, const verb_call& c) { return w.signal(c.integer("rssi"), c.integer("ber", 99)); }},
      {"coverage", {{"lost", {}}, {"restored", {}}},
       [](control_world& w, const verb_call& c) { return w.coverage(c.action == "lost"); }},
      {"registration",
       {{"", {text("domain"), integer("stat", 0, 11)}}},
       [](control_world& w, const verb_call& c) { return w.registration(c.text("domain"), c.integer("stat")); }},
      {"operator",
       {{"", {text("name"), text("mccmnc"), integer("act", 0, 13, true)}}},
       [](control_world& w, const verb_call& c) {
         return w.network_operator(c.text("name"), c.text("mccmnc"),
                                   c.args.contains("act") ? std::optional<int>(c.integer("act")) : std::nullopt);
       }},
      {"sim", {{"remove", {}}, {"insert", {}}, {"pin", {text("pin")}}},
       [](control_world& w, const verb_call& c) { return w.sim(c.action, c.maybe_text("pin")); }},
      {"clock", {{"skew", {integer("seconds", -315'360'000, 315'360'000)}}},
       [](control_world& w, const verb_call& c) { return w.clock_skew(c.integer("seconds")); }},
      {"network-time", {{"", {text("time"), text("tz", true)}}},
       [](control_world& w, const verb_call& c) { return w.network_time(c.text("time"), c.maybe_text("tz")); }},
      {"sms", {{"deliver", {text("from"), text("text")}}, {"sent", {}, true}},
       [](control_world& w, const verb_call& c) {
         return c.action == "sent" ? w.sms_sent() : w.sms_deliver(c.text("from"), c.text("text"));
       }},
      {"battery", {{"", {integer("millivolts", 0, 10000)}}},
       [](control_world& w, const verb_call& c) { return w.battery(c.integer("millivolts")); }},
      {"temperature", {{"", {integer("celsius", -60, 150)}}},
       [](control_world& w, const verb_call& c) { return w.temperature(c.integer("celsius")); }},
      {"ussd", {{"reply", {text("code"), text("text")}}, {"menu", {text("code"), text("text")}}},
       [](control_world& w, const verb_call& c) { return w.ussd(c.action, c.text("code"), c.text("text")); }},
      {"call",
       {{"incoming", {text("from")}}, {"answer", {}}, {"reject", {}}, {"busy", {}}, {"hangup", {}}},
       [](control_world& w, const verb_call& c) { return w.call(c.action, c.maybe_text("from")); }},
      {"gnss",
       {{"fix", {number("lat", -90, 90), number("lon", -180, 180), number("alt", -1000, 100'000, true)}},
        {"route", {file("file")}},
        {"lost", {}}},
       [](control_world& w, const verb_call& c) {
         if (c.action == "fix") return w.gnss_fix(c.number("lat"), c.number("lon"), c.maybe_number("alt"));
         return c.action == "route" ? w.gnss_route(c.text("file")) : w.gnss_lost();
       }},
      {"cell", {{"position", {text("lat"), text("lon"), integer("acc", 1, 100'000, true)}}},
       [](control_world& w, const verb_call& c) {
         return w.cell_position(c.text("lat"), c.text("lon"),
                                c.args.contains("acc") ? std::optional<int>(c.integer("acc")) : std::nullopt);
       }},
  };
  return table;
}

const control_verb* find_verb(std::string_view name) {
  for (const auto& verb : verbs())
    if (verb.name == name) return &verb;
  return nullptr;
}

const verb_form* find_form(const control_verb& verb, std::string_view action) {
  for (const auto& form : verb.forms)
    if (form.action == action) return &form;
  return nullptr;
}

std::string form_usage(const control_verb& verb, const verb_form& form) {
  std::string usage = verb.name;
  if (!form.action.empty()) usage += " " + form.action;
  for (const auto& arg : form.args) {
    std::string word = arg.flag.empty() ? arg.key : arg.flag + " " + arg.key;
    for (char& c : word)
      if (c != '-') c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    usage += arg.optional ? " [" + word + "]" : " " + word;
  }
  return usage;
}

std::string verb_usage(const control_verb& verb) {
  std::string usage;
  for (const auto& form : verb.forms) usage += (usage.empty() ? "" : " | ") + form_usage(verb, form);
  return usage;
}

// A command-line word as the argument's JSON value; nullopt when it is not of the argument's type or range.
std::optional<json> typed_value(const verb_arg& arg, const std::string& word) {
  if (arg.kind == arg_type::text) return json(word);
  if (arg.kind == arg_type::number) {
    double value = 0;
    auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), value);
    if (ec != std::errc{} || end != word.data() + word.size()) return std::nullopt;
    return json(value);
  }
  long value = 0;
  auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), value);
  if (ec != std::errc{} || end != word.data() + word.size()) return std::nullopt;
  return json(value);
}

// Checks one JSON argument against its spec.
bool valid_value(const verb_arg& arg, const json& value) {
  if (arg.kind == arg_type::text) return value.is_string() && !value.get<std::string>().empty();
  if (arg.kind == arg_type::number) {
    if (!value.is_number()) return false;
    const double number = value.get<double>();
    return number >= static_cast<double>(arg.low) && number <= static_cast<double>(arg.high);
  }
  if (!value.is_number_integer()) return false;
  const long number = value.get<long>();
  return number >= arg.low && number <= arg.high;
}

}  // namespace

// ---- the radio world: refused until the world model provides it ----
namespace {
verb_outcome not_available(const char* what) {
  return verb_outcome::refused(std::string("not available: ") + what + " needs the radio world model");
}
}  // namespace
verb_outcome control_world::signal(int, int) { return not_available("signal"); }
verb_outcome control_world::coverage(bool) { return not_available("coverage"); }
verb_outcome control_world::registration(const std::string&, int) { return not_available("registration"); }
verb_outcome control_world::network_operator(const std::string&, const std::string&, std::optional<int>) {
  return not_available("operator");
}
verb_outcome control_world::sim(const std::string&, const std::optional<std::string>&) { return not_available("sim"); }
verb_outcome control_world::clock_skew(long) { return not_available("clock"); }
verb_outcome control_world::network_time(const std::string&, const std::optional<std::string>&) {
  return not_available("network-time");
}
verb_outcome control_world::sms_deliver(const std::string&, const std::string&) { return not_available("sms"); }
verb_outcome control_world::sms_sent() { return not_available("sms"); }
verb_outcome control_world::battery(int) { return not_available("battery"); }
verb_outcome control_world::temperature(int) { return not_available("temperature"); }
verb_outcome control_world::ussd(const std::string&, const std::string&, const std::string&) {
  return not_available("ussd");
}
verb_outcome control_world::call(const std::string&, const std::optional<std::string>&) {
  return not_available("call");
}
verb_outcome control_world::gnss_fix(double, double, std::optional<double>) { return not_available("gnss"); }
verb_outcome control_world::gnss_route(const std::string&) { return not_available("gnss"); }
verb_outcome control_world::gnss_lost() { return not_available("gnss"); }
verb_outcome control_world::cell_position(const std::string&, const std::string&, std::optional<int>) {
  return not_available("cell");
}

common::outcome<control_request> parse_command(const std::vector<std::string>& words,
                                               const std::function<std::string(const std::string&)>& file_path) {
  if (words.empty()) return common::failure{"no verb given"};
  const control_verb* verb = find_verb(words[0]);
  if (verb == nullptr) return common::failure{"unknown verb '" + words[0] + "'"};
  std::size_t next = 1;
  const verb_form* form = find_form(*verb, "");
  if (form == nullptr) {
    form = next < words.size() ? find_form(*verb, words[next]) : nullptr;
    if (form == nullptr) return common::failure{"usage: " + verb_usage(*verb)};
    ++next;
  }
  control_request request{verb->read_only ? "GET" : "POST", "/v1/" + verb->name, json::object()};
  if (!form->action.empty()) request.body["action"] = form->action;
  std::vector<const verb_arg*> positional;
  for (const auto& arg : form->args)
    if (arg.flag.empty()) positional.push_back(&arg);
  std::size_t position = 0;
  for (; next < words.size(); ++next) {
    const verb_arg* arg = nullptr;
    std::string word = words[next];
    if (word.rfind("--", 0) == 0) {
      for (const auto& named : form->args)
        if (named.flag == word) arg = &named;
      if (arg == nullptr || ++next == words.size()) return common::failure{"usage: " + form_usage(*verb, *form)};
      word = words[next];
    } else {
      if (position == positional.size()) return common::failure{"usage: " + form_usage(*verb, *form)};
      arg = positional[position++];
    }
    if (arg->file && file_path && !word.empty()) word = file_path(word);
    auto value = typed_value(*arg, word);
    if (!value || !valid_value(*arg, *value)) {
      const std::string range = std::to_string(arg->low) + ".." + std::to_string(arg->high);
      return common::failure{arg->key + " must be " +
                             (arg->kind == arg_type::integer  ? "an integer in " + range
                              : arg->kind == arg_type::number ? "a number in " + range
                                                              : std::string("a non-empty text"))};
    }
    request.body[arg->key] = *value;
  }
  for (std::size_t i = position; i < positional.size(); ++i)
    if (!positional[i]->optional) return common::failure{"usage: " + form_usage(*verb, *form)};
  return request;
}

verb_outcome handle_request(control_world& world, const std::string& method, std::string_view target,
                            std::string_view body) {
  constexpr std::string_view prefix = "/v1/";
  if (target.substr(0, prefix.size()) != prefix) return verb_outcome::refused("no such endpoint", 404);
  const control_verb* verb = find_verb(target.substr(prefix.size()));
  if (verb == nullptr) return verb_outcome::refused("unknown verb '" + std::string(target.substr(prefix.size())) + "'", 404);
  if (method != (verb->read_only ? "GET" : "POST")) return verb_outcome::refused("method not allowed", 405);
  json request = body.empty() ? json::object() : json::parse(body, nullptr, false);
  if (request.is_discarded() || !request.is_object()) return verb_outcome::refused("the body is not a JSON object", 400);
  // {"args":["latency","200"]}: the command line's words, read as sim7600-ctl reads them (for scripts that hold a line).
  if (request.contains("args")) {
    std::vector<std::string> words{verb->name};
    if (request.size() != 1 || !request["args"].is_array()) return verb_outcome::refused("bad value for 'args'", 400);
    for (const auto& word : request["args"]) {
      if (!word.is_string()) return verb_outcome::refused("bad value for 'args'", 400);
      words.push_back(word.get<std::string>());
    }
    auto parsed = parse_command(words);
    if (!parsed) return verb_outcome::refused(parsed.error().reason, 400);
    request = std::move(parsed.value().body);
  }
  verb_call call;
  if (request.contains("action") && !request["action"].is_string()) return verb_outcome::refused("bad value for 'action'", 400);
  call.action = request.value("action", std::string());
  const verb_form* form = find_form(*verb, call.action);
  if (form == nullptr) return verb_outcome::refused("usage: " + verb_usage(*verb), 400);
  for (const auto& [key, value] : request.items()) {
    if (key == "action") continue;
    auto arg = std::find_if(form->args.begin(), form->args.end(), [&](const verb_arg& a) { return a.key == key; });
    if (arg == form->args.end()) return verb_outcome::refused("unknown argument '" + key + "'", 400);
    if (!valid_value(*arg, value)) return verb_outcome::refused("bad value for '" + key + "'", 400);
    call.args[key] = value;
  }
  for (const auto& arg : form->args)
    if (!arg.optional && !call.args.contains(arg.key)) return verb_outcome::refused("missing '" + arg.key + "'", 400);
  return verb->run(world, call);
}

bool asks_something(const control_request& request) {
  constexpr std::string_view prefix = "/v1/";
  if (request.target.rfind(prefix, 0) != 0) return false;
  const control_verb* verb = find_verb(std::string_view(request.target).substr(prefix.size()));
  if (verb == nullptr) return false;
  if (verb->read_only) return true;
  const verb_form* form = find_form(*verb, request.body.value("action", ""));
  return form != nullptr && form->asks;
}

std::string verbs_usage() {
  std::string text = "Verbs:\n";
  for (const auto& verb : verbs()) text += "  " + verb_usage(verb) + "\n";
  return text;
}

std::vector<std::pair<std::string, std::vector<verb_form>>> verb_forms() {
  std::vector<std::pair<std::string, std::vector<verb_form>>> forms;
  for (const auto& verb : verbs()) forms.emplace_back(verb.name, verb.forms);
  return forms;
}

}  // namespace sim7600_control
