// The cloud's steps: the device service's admin API (SPEC §6), as the FOTA console or a cloud test would use it.
//   - cloud: factory_device                       a new OEM and device: sets {dsn} {oem_id} {oem_secret} {model} {public_key}
//   - cloud: {set: Blue_LED, value: 1, type: boolean}
//   - cloud: {expect_datapoint: Blue_LED, value: 1}     (or values: [1, 2, 3]: the whole list, oldest first)
//   - cloud: {upload_image: host, version: "2.0", data: "...", capture: image}   sets {image} {image_sha256} {image_size}
//   - cloud: {start_ota: "{image}", capture: job}
//   - cloud: {expect_job: "{job}", status: completed, succeeded: 1}
//   - cloud: {fault: {corrupt_image: "{image}"}}
//   - cloud: {request: GET /devices/{dsn}, body: {...}, expect: {connected: true}, capture: {fw: /fw_version}}
//   - cloud: kill  /  cloud: restart              (cloud: separate)
#include <charconv>
#include <cstdio>
#include <functional>
#include <map>
#include <random>

#include "ads_client/base64.hpp"
#include "harness/cloud_fixtures.hpp"
#include "scenario/case_context.hpp"

namespace scenario {

namespace {

using nlohmann::json;

// Strings get their {name}s replaced; a string that is one placeholder whose value is a whole number becomes that
// number, so `image_id: "{image}"` sends the id the API wants.
outcome<json> substituted(const json& value, const variables& known) {
  if (value.is_string()) {
    auto text = substitute(value.get<std::string>(), known);
    if (!text.ok()) return text.error();
    const auto pieces = split_placeholders(value.get<std::string>());
    std::int64_t number = 0;
    const std::string& out = text.value();
    const auto [end, error] = std::from_chars(out.data(), out.data() + out.size(), number);
    if (pieces.size() == 1 && pieces[0].is_placeholder && error == std::errc() && end == out.data() + out.size() &&
        !out.empty())
      return json(number);
    return json(out);
  }
  if (!value.is_structured()) return value;
  json out = value;
  for (auto& [key, item] : out.items()) {
    auto inner = substituted(item, known);
    if (!inner.ok()) return inner;
    item = inner.value();
  }
  return out;
}

std::string text_of(const json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

// One cloud verb: the step's (substituted) arguments, the admin API, the case.
using cloud_verb = std::function<step_result(case_context&, const step&, const json&, const e2e::admin_client&)>;

step_result check_reply(case_context& context, const step& step, const e2e::admin_reply& reply, int wanted,
                        const std::string& what) {
  if (reply.status == wanted) return done{};
  return context.fail(step, what + " answered " + std::to_string(reply.status) + ": " + reply.raw);
}

std::string dsn_of(const case_context& context, const json& args) {
  if (args.contains("dsn")) return text_of(args["dsn"]);
  const auto found = context.vars.find("dsn");
  return found == context.vars.end() ? "" : found->second;
}

step_result factory_device(case_context& context, const step& step, const json& args, const e2e::admin_client& admin) {
  // A fresh OEM id unless the step names one: cases sharing a running service do not collide.
  std::random_device entropy;
  char fresh[9];
  std::snprintf(fresh, sizeof fresh, "%08x", entropy());
  const std::string oem = args.contains("oem_id") ? text_of(args["oem_id"]) : std::string(fresh);
  const auto devices = e2e::make_factory_devices(admin, oem, 1);
  if (devices.empty()) return context.fail(step, "the service made no device");
  const auto& device = devices.front();
  context.vars.insert_or_assign("dsn", device.dsn);
  context.vars.insert_or_assign("oem_id", device.oem_id);
  context.vars.insert_or_assign("oem_secret", device.oem_secret);
  context.vars.insert_or_assign("model", device.model);
  context.vars.insert_or_assign("public_key", device.public_key);
  return done{};
}

std::string base_type_of(const json& args) {
  if (args.contains("type")) return text_of(args["type"]);
  const json& value = args["value"];
  return value.is_boolean() ? "boolean" : value.is_number_integer() ? "integer" : value.is_number() ? "decimal" : "string";
}

step_result set_property(case_context& context, const step& step, const json& args, const e2e::admin_client& admin) {
  if (!args.contains("value")) return context.fail(step, "set needs a value");
  json value = args["value"];
  if (value.is_boolean()) value = value.get<bool>() ? 1 : 0;
  const auto reply = admin.put("/devices/" + dsn_of(context, args) + "/properties/" + text_of(args["set"]),
                               {{"value", value}, {"base_type", base_type_of(args)}});
  return check_reply(context, step, reply, 200, "set " + text_of(args["set"]));
}

// The values of a datapoint list, oldest first; a value repeated back to back counts once, since a send cut by a
// lost link is sent again and may then arrive twice (at-least-once, as Ayla's agents deliver).
std::vector<std::string> distinct_values_in_order(const json& list) {
  std::vector<std::string> values;
  for (const auto& datapoint : list) {
    std::string value = text_of(datapoint.value("value", json()));
    if (values.empty() || values.back() != value) values.push_back(std::move(value));
  }
  return values;
}

step_result expect_datapoint(case_context& context, const step& step, const json& args, const e2e::admin_client& admin) {
  const std::string name = text_of(args["expect_datapoint"]);
  const std::string path = "/devices/" + dsn_of(context, args) + "/properties/" + name + "/datapoints";
  const json wanted = args.contains("value") ? args["value"] : json();
  std::optional<std::vector<std::string>> wanted_all;
  if (args.contains("values")) wanted_all = distinct_values_in_order(json::array());
  for (const auto& value : args.value("values", json::array())) wanted_all->push_back(text_of(value));
  return until_holds(context, step, [&]() -> std::optional<std::string> {
    const auto reply = admin.get(path);
    const json list = reply.body.is_object() ? reply.body.value("datapoints", json()) : json();
    if (reply.status == 200 && list.is_array() && !list.empty()) {
      if (wanted_all) {
        if (distinct_values_in_order(list) == *wanted_all) return std::nullopt;
      } else if (wanted.is_null() || text_of(list.back().value("value", json())) == text_of(wanted)) {
        return std::nullopt;
      }
    }
    const std::string what = wanted_all ? " = " + args["values"].dump() + " in that order"
                             : wanted.is_null() ? std::string() : " = " + text_of(wanted);
    return "expected datapoints of " + name + what + " in the cloud; it has " + reply.raw;
  });
}

// Deterministic bytes for `size:` images: the same scenario uploads the same image every run.
std::string image_bytes(const json& args) {
  if (args.contains("data")) return text_of(args["data"]);
  std::mt19937 random(static_cast<unsigned>(args.value("seed", 7)));
  std::string bytes(static_cast<std::size_t>(args.value("size", 1024)), '\0');
  for (auto& byte : bytes) byte = static_cast<char>(random() & 0xFF);
  return bytes;
}

step_result upload_image(case_context& context, const step& step, const json& args, const e2e::admin_client& admin) {
  const auto reply = admin.post("/images", {{"type", text_of(args["upload_image"])},
                                            {"model", args.contains("model") ? text_of(args["model"]) : "SIMCOM_SIM7600E-L1C"},
                                            {"version", text_of(args.value("version", json("1.0")))},
                                            {"data_base64", ads_client::base64_encode(image_bytes(args))}});
  if (reply.status != 201) return check_reply(context, step, reply, 201, "upload_image");
  const std::string name = args.contains("capture") ? text_of(args["capture"]) : "image";
  context.vars.insert_or_assign(name, text_of(reply.body.value("image_id", json())));
  context.vars.insert_or_assign(name + "_sha256", text_of(reply.body.value("sha256", json())));
  context.vars.insert_or_assign(name + "_size", text_of(reply.body.value("size", json())));
  return done{};
}

step_result start_ota(case_context& context, const step& step, const json& args, const e2e::admin_client& admin) {
  const auto created = admin.post("/ota_jobs", {{"image_id", args["start_ota"]}, {"dsns", {dsn_of(context, args)}}});
  if (created.status != 201) return check_reply(context, step, created, 201, "create OTA job");
  const std::string job = text_of(created.body.value("job_id", json()));
  const auto started = admin.post("/ota_jobs/" + job + "/start", json::object());
  if (started.status != 200) return check_reply(context, step, started, 200, "start OTA job " + job);
  context.vars.insert_or_assign(args.contains("capture") ? text_of(args["capture"]) : "job", job);
  return done{};
}

// Every field the step names (other than the job) has the given value.
step_result expect_job(case_context& context, const step& step, const json& args, const e2e::admin_client& admin) {
  const std::string path = "/ota_jobs/" + text_of(args["expect_job"]);
  return until_holds(context, step, [&]() -> std::optional<std::string> {
    const auto reply = admin.get(path);
    for (const auto& [field, wanted] : args.items()) {
      if (field == "expect_job") continue;
      if (reply.status != 200 || !reply.body.contains(field) || reply.body[field] != wanted)
        return "expected job " + field + " = " + text_of(wanted) + "; the job is " + reply.raw;
    }
    return std::nullopt;
  });
}

step_result inject_fault(case_context& context, const step& step, const json& args, const e2e::admin_client& admin) {
  return check_reply(context, step, admin.post("/faults", args["fault"]), 200, "fault");
}

// `expect` is a subset of the reply's JSON; `capture` maps names to JSON pointers into it.
step_result generic_request(case_context& context, const step& step, const json& args, const e2e::admin_client& admin) {
  const std::string line = text_of(args["request"]);
  const auto space = line.find(' ');
  if (space == std::string::npos) return context.fail(step, "request is 'METHOD /path'");
  const std::string method = line.substr(0, space), path = line.substr(space + 1);
  const json body = args.contains("body") ? args["body"] : json::object();
  using call = std::function<e2e::admin_reply()>;
  const std::map<std::string, call> methods = {{"GET", [&] { return admin.get(path); }},
                                                {"POST", [&] { return admin.post(path, body); }},
                                                {"PUT", [&] { return admin.put(path, body); }}};
  const auto method_call = methods.find(method);
  if (method_call == methods.end()) return context.fail(step, "request method is GET, POST or PUT");
  const int status = args.value("status", 0);
  e2e::admin_reply reply;
  auto held = until_holds(context, step, [&]() -> std::optional<std::string> {
    reply = method_call->second();
    if (status && reply.status != status)
      return line + " answered " + std::to_string(reply.status) + ", expected " + std::to_string(status) + ": " + reply.raw;
    if (!status && (reply.status < 200 || reply.status >= 300))
      return line + " answered " + std::to_string(reply.status) + ": " + reply.raw;
    if (args.contains("expect") && !holds_subset(reply.body, args["expect"]))
      return line + ": expected " + args["expect"].dump() + ", got " + reply.raw;
    return std::nullopt;
  });
  if (!held.ok()) return held;
  if (args.contains("capture")) {
    for (const auto& [name, pointer] : args["capture"].items()) {
      const json::json_pointer at(text_of(pointer));
      if (!reply.body.contains(at)) return context.fail(step, line + " has no " + text_of(pointer) + ": " + reply.raw);
      context.vars.insert_or_assign(name, text_of(reply.body[at]));
    }
  }
  return done{};
}

step_result service_process(case_context& context, const step& step, const std::string& verb) {
  if (!context.service) return context.fail(step, "cloud " + verb + " needs `cloud: separate` (its own ads-sim)");
  context.service->kill_hard();
  if (verb == "restart") context.service->start();
  return done{};
}

const std::map<std::string, cloud_verb>& cloud_verbs() {
  static const std::map<std::string, cloud_verb> verbs = {
      {"factory_device", factory_device}, {"set", set_property},       {"expect_datapoint", expect_datapoint},
      {"upload_image", upload_image},     {"start_ota", start_ota},    {"expect_job", expect_job},
      {"fault", inject_fault},            {"request", generic_request},
  };
  return verbs;
}

}  // namespace

step_result run_cloud_step(case_context& context, const step& step) {
  if (step.args.is_string() && (step.args == "kill" || step.args == "restart"))
    return service_process(context, step, step.args.get<std::string>());
  // `cloud: factory_device` is `cloud: {factory_device: true}`.
  const json written = step.args.is_string() ? json{{step.args.get<std::string>(), true}} : step.args;
  if (!written.is_object()) return context.fail(step, "a cloud step is a verb or {verb: ..., ...}");
  auto args = substituted(written, context.vars);
  if (!args.ok()) return context.fail(step, args.error().reason);
  for (const auto& [name, verb] : cloud_verbs()) {
    if (!args.value().contains(name)) continue;
    auto admin = context.admin(step);
    if (!admin.ok()) return admin.error();
    return verb(context, step, args.value(), admin.value());
  }
  std::string known;
  for (const auto& [name, verb] : cloud_verbs()) known += " " + name;
  return context.fail(step, "no cloud verb in " + written.dump() + " (known: kill restart" + known + ")");
}

}  // namespace scenario
