#include "ads_admin/verbs.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include "ads_client/base64.hpp"

namespace ads_admin {

using nlohmann::json;

namespace {

// A whole decimal integer in [min, max], else nullopt ("12x", "", "1e3" and overflow all fail).
std::optional<std::int64_t> parse_integer(std::string_view text, std::int64_t min, std::int64_t max) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
    return std::nullopt;
  return value;
}

verb_read read_id(std::string_view text, std::string_view what, std::int64_t& into) {
  const auto value = parse_integer(text, 1, std::numeric_limits<std::int64_t>::max());
  if (!value)
    return common::failure{std::string(what) + " must be a positive integer, got '" + std::string(text) + "'"};
  into = *value;
  return common::done{};
}

// TYPE as the AT letter or the service's name → the service's name.
std::optional<std::string> full_base_type(std::string_view type) {
  static constexpr std::pair<std::string_view, std::string_view> names[] = {
      {"b", "boolean"}, {"i", "integer"}, {"d", "decimal"}, {"s", "string"}};
  for (const auto& [letter, name] : names)
    if (type == letter || type == name) return std::string(name);
  return std::nullopt;
}

// VALUE typed as the service wants it in JSON (PROTOCOL.md §0): a boolean is the number 0 or 1.
std::optional<json> typed_value(std::string_view base_type, std::string_view text) {
  if (base_type == "boolean") {
    if (text == "1" || text == "true") return json(1);
    if (text == "0" || text == "false") return json(0);
    return std::nullopt;
  }
  if (base_type == "integer") {
    const auto value =
        parse_integer(text, std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max());
    return value ? std::optional<json>(json(*value)) : std::nullopt;
  }
  if (base_type == "decimal") {
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
      return std::nullopt;
    return json(value);
  }
  return json(std::string(text));
}

// The value of a flag that may be given once (nullopt when not given), or the error that it came twice.
common::outcome<std::optional<std::string>> single_flag(const verb_arguments& arguments, std::string_view flag) {
  std::optional<std::string> found;
  for (const auto& [name, value] : arguments.flags) {
    if (name != flag) continue;
    if (found) return common::failure{std::string(flag) + " given twice"};
    found = value;
  }
  return found;
}

// --app APP_ID, which `verb_name` cannot do without.
verb_read read_app_flag(const verb_arguments& arguments, admin_command& c, std::string_view verb_name) {
  const auto app = single_flag(arguments, "--app");
  if (!app) return app.error();
  if (!app->has_value()) return common::failure{std::string(verb_name) + " wants --app APP_ID"};
  c.app_id = **app;
  return common::done{};
}

std::string devices_path(const std::string& dsn) { return "/devices/" + path_segment(dsn); }
std::string property_path(const admin_command& c) {
  return devices_path(c.dsn) + "/properties/" + path_segment(c.property);
}

using read_function = verb_read (*)(const verb_arguments&, admin_command&);
using plan_function = admin_request (*)(const admin_command&, std::string_view file_bytes);

verb_read no_operands(const verb_arguments&, admin_command&) { return common::done{}; }
verb_read read_dsn(const verb_arguments& a, admin_command& c) {
  c.dsn = a.operands[0];
  return common::done{};
}
verb_read read_dsn_and_property(const verb_arguments& a, admin_command& c) {
  c.dsn = a.operands[0];
  c.property = a.operands[1];
  return common::done{};
}
verb_read read_job_id(const verb_arguments& a, admin_command& c) { return read_id(a.operands[0], "JOB_ID", c.job_id); }

// One entry per verb: adding a verb touches this table only.
struct verb_spec {
  verb which;
  std::string_view name;
  std::string_view synopsis;  // operands and flags, for --help and "wants ..." errors
  std::string_view summary;
  std::vector<std::string_view> flags;  // the verb's own flags; each takes a value
  std::size_t operand_count;
  read_function read;
  plan_function plan;
};

const std::vector<verb_spec>& verb_table() {
  static const std::vector<verb_spec> table = {
      {verb::oems, "oems", "", "list the OEMs", {}, 0, no_operands,
       [](const admin_command&, std::string_view) { return admin_request{"GET", "/oems", std::nullopt}; }},
      {verb::create_oem, "create-oem", "NAME EMAIL [--id ID]",
       "create an OEM (its id is generated unless --id; the answer holds its secret)", {"--id"}, 2,
       [](const verb_arguments& a, admin_command& c) -> verb_read {
         c.name = a.operands[0];
         c.email = a.operands[1];
         const auto id = single_flag(a, "--id");
         if (!id) return id.error();
         c.oem_id = id->value_or("");
         return common::done{};
       },
       [](const admin_command& c, std::string_view) {
         json body{{"name", c.name}, {"email", c.email}};
         if (!c.oem_id.empty()) body["oem_id"] = c.oem_id;
         return admin_request{"POST", "/oems", body};
       }},
      {verb::upload_provision_key, "upload-provision-key", "OEM_ID PEM_FILE",
       "upload an OEM's provisioning public key (PEM) for in-field provisioning", {}, 2,
       [](const verb_arguments& a, admin_command& c) -> verb_read {
         c.oem_id = a.operands[0];
         c.file = a.operands[1];
         return common::done{};
       },
       [](const admin_command& c, std::string_view pem) {
         return admin_request{"POST", "/oems/" + path_segment(c.oem_id) + "/provision_keys",
                              json{{"public_key", std::string(pem)}}};
       }},
      {verb::create_devices, "create-devices", "OEM_ID MODEL COUNT", "create COUNT factory-provisioned devices", {}, 3,
       [](const verb_arguments& a, admin_command& c) -> verb_read {
         c.oem_id = a.operands[0];
         c.model = a.operands[1];
         return read_id(a.operands[2], "COUNT", c.count);
       },
       [](const admin_command& c, std::string_view) {
         return admin_request{"POST", "/oems/" + path_segment(c.oem_id) + "/devices",
                              json{{"model", c.model}, {"count", c.count}}};
       }},
      {verb::devices, "devices", "", "list the devices", {}, 0, no_operands,
       [](const admin_command&, std::string_view) { return admin_request{"GET", "/devices", std::nullopt}; }},
      {verb::device, "device", "DSN", "show one device (connected, listening, firmware version...)", {}, 1, read_dsn,
       [](const admin_command& c, std::string_view) {
         return admin_request{"GET", devices_path(c.dsn), std::nullopt};
       }},
      {verb::properties, "properties", "DSN", "list a device's properties", {}, 1, read_dsn,
       [](const admin_command& c, std::string_view) {
         return admin_request{"GET", devices_path(c.dsn) + "/properties", std::nullopt};
       }},
      {verb::get_property, "get-property", "DSN NAME", "show one property and its current value", {}, 2,
       read_dsn_and_property,
       [](const admin_command& c, std::string_view) { return admin_request{"GET", property_path(c), std::nullopt}; }},
      {verb::set_property, "set-property", "DSN NAME TYPE VALUE",
       "set a to-device property (TYPE b|i|d|s or boolean|integer|decimal|string)", {}, 4,
       [](const verb_arguments& a, admin_command& c) -> verb_read {
         read_dsn_and_property(a, c);
         const auto type = full_base_type(a.operands[2]);
         if (!type) {
           return common::failure{"TYPE must be b, i, d, s, boolean, integer, decimal or string, got '" +
                                  a.operands[2] + "'"};
         }
         const auto value = typed_value(*type, a.operands[3]);
         if (!value) return common::failure{"VALUE '" + a.operands[3] + "' is not a valid " + *type};
         c.base_type = *type;
         c.value = *value;
         return common::done{};
       },
       [](const admin_command& c, std::string_view) {
         return admin_request{"PUT", property_path(c), json{{"value", c.value}, {"base_type", c.base_type}}};
       }},
      {verb::datapoints, "datapoints", "DSN NAME", "list a property's datapoints, oldest first", {}, 2,
       read_dsn_and_property,
       [](const admin_command& c, std::string_view) {
         return admin_request{"GET", property_path(c) + "/datapoints", std::nullopt};
       }},
      {verb::upload_image, "upload-image", "module|host MODEL VERSION FILE", "upload a firmware image for OTA", {}, 4,
       [](const verb_arguments& a, admin_command& c) -> verb_read {
         if (a.operands[0] != "module" && a.operands[0] != "host")
           return common::failure{"the image type must be module or host, got '" + a.operands[0] + "'"};
         c.image_type = a.operands[0];
         c.model = a.operands[1];
         c.version = a.operands[2];
         c.file = a.operands[3];
         return common::done{};
       },
       [](const admin_command& c, std::string_view bytes) {
         return admin_request{"POST", "/images",
                              json{{"type", c.image_type},
                                   {"model", c.model},
                                   {"version", c.version},
                                   {"data_base64", ads_client::base64_encode(bytes)}}};
       }},
      {verb::images, "images", "", "list the firmware images", {}, 0, no_operands,
       [](const admin_command&, std::string_view) { return admin_request{"GET", "/images", std::nullopt}; }},
      {verb::create_job, "create-job", "IMAGE_ID (--model OEM_MODEL | --dsn DSN [--dsn DSN...])",
       "create an OTA job for every device of a model, or for the given devices", {"--model", "--dsn"}, 1,
       [](const verb_arguments& a, admin_command& c) -> verb_read {
         if (auto id = read_id(a.operands[0], "IMAGE_ID", c.image_id); !id) return id;
         const auto model = single_flag(a, "--model");
         if (!model) return model.error();
         c.model = model->value_or("");
         for (const auto& [flag, value] : a.flags)
           if (flag == "--dsn") c.dsns.push_back(value);
         if (c.model.empty() == c.dsns.empty()) return common::failure{"create-job wants either --model or --dsn"};
         return common::done{};
       },
       [](const admin_command& c, std::string_view) {
         json body{{"image_id", c.image_id}};
         if (!c.model.empty()) body["oem_model"] = c.model;
         else body["dsns"] = c.dsns;
         return admin_request{"POST", "/ota_jobs", body};
       }},
      {verb::start_job, "start-job", "JOB_ID", "start an OTA job (offers the image to its devices)", {}, 1, read_job_id,
       [](const admin_command& c, std::string_view) {
         return admin_request{"POST", "/ota_jobs/" + std::to_string(c.job_id) + "/start", std::nullopt};
       }},
      {verb::job, "job", "JOB_ID", "show an OTA job's progress", {}, 1, read_job_id,
       [](const admin_command& c, std::string_view) {
         return admin_request{"GET", "/ota_jobs/" + std::to_string(c.job_id), std::nullopt};
       }},
      {verb::jobs, "jobs", "", "list the OTA jobs", {}, 0, no_operands,
       [](const admin_command&, std::string_view) { return admin_request{"GET", "/ota_jobs", std::nullopt}; }},
      {verb::wait_job, "wait-job", "JOB_ID [--timeout SECS]",
       "poll a job until it completes (default timeout 300 s); exit 0 only if every device succeeded",
       {"--timeout"}, 1,
       [](const verb_arguments& a, admin_command& c) -> verb_read {
         if (auto id = read_job_id(a, c); !id) return id;
         const auto timeout = single_flag(a, "--timeout");
         if (!timeout) return timeout.error();
         if (!timeout.value()) return common::done{};
         const auto seconds = parse_integer(**timeout, 0, 24 * 3600);
         if (!seconds) return common::failure{"--timeout wants seconds (0..86400), got '" + **timeout + "'"};
         c.timeout = std::chrono::seconds(*seconds);
         return common::done{};
       },
       [](const admin_command& c, std::string_view) {
         return admin_request{"GET", "/ota_jobs/" + std::to_string(c.job_id), std::nullopt};
       }},
      {verb::create_app, "create-app", "OEM_ID NAME",
       "register an application of the OEM for its end users' sign-in (the answer holds app_id and app_secret)",
       {}, 2,
       [](const verb_arguments& a, admin_command& c) -> verb_read {
         c.oem_id = a.operands[0];
         c.name = a.operands[1];
         return common::done{};
       },
       [](const admin_command& c, std::string_view) {
         return admin_request{"POST", "/oems/" + path_segment(c.oem_id) + "/applications", json{{"name", c.name}}};
       }},
      {verb::create_user, "create-user", "EMAIL PASSWORD --app APP_ID",
       "create an end user of the application's OEM (signs in to the user service; other users may see PASSWORD "
       "in ps)",
       {"--app"}, 2,
       [](const verb_arguments& a, admin_command& c) -> verb_read {
         c.email = a.operands[0];
         c.password = a.operands[1];
         return read_app_flag(a, c, "create-user");
       },
       [](const admin_command& c, std::string_view) {
         return admin_request{"POST", "/users", json{{"email", c.email}, {"password", c.password}, {"app_id", c.app_id}}};
       }},
      {verb::register_device, "register-device", "DSN EMAIL",
       "register a device to its OEM's end user with that email (the user's app then lists it)", {}, 2,
       [](const verb_arguments& a, admin_command& c) -> verb_read {
         c.dsn = a.operands[0];
         c.email = a.operands[1];
         return common::done{};
       },
       [](const admin_command& c, std::string_view) {
         return admin_request{"PUT", devices_path(c.dsn) + "/owner", json{{"email", c.email}}};
       }},
      {verb::idp_token, "idp-token", "EMAIL --app APP_ID",
       "a short-lived identity token for the end user, as an app's identity provider gives one (the answer's "
       "id_token signs in at /api/v1/token_sign_in)",
       {"--app"}, 1,
       [](const verb_arguments& a, admin_command& c) -> verb_read {
         c.email = a.operands[0];
         return read_app_flag(a, c, "idp-token");
       },
       [](const admin_command& c, std::string_view) {
         return admin_request{"POST", "/identity_tokens", json{{"email", c.email}, {"app_id", c.app_id}}};
       }},
      {verb::registration_token, "registration-token", "DSN",
       "the registration token the device shows while it has no owner (an end user's app registers it by its "
       "regtoken), with its expiry",
       {}, 1,
       [](const verb_arguments& a, admin_command& c) -> verb_read {
         c.dsn = a.operands[0];
         return common::done{};
       },
       [](const admin_command& c, std::string_view) {
         return admin_request{"GET", devices_path(c.dsn) + "/registration_token", std::nullopt};
       }},
  };
  return table;
}

const verb_spec& spec_of(verb which) {
  for (const auto& spec : verb_table())
    if (spec.which == which) return spec;
  return verb_table().front();  // unreachable: every verb has an entry
}

}  // namespace

std::string_view verb_name(verb which) { return spec_of(which).name; }

std::optional<verb> find_verb(std::string_view name) {
  for (const auto& spec : verb_table())
    if (spec.name == name) return spec.which;
  return std::nullopt;
}

std::vector<verb> all_verbs() {
  std::vector<verb> verbs;
  for (const auto& spec : verb_table()) verbs.push_back(spec.which);
  return verbs;
}

const std::vector<std::string_view>& verb_flags(verb which) { return spec_of(which).flags; }

verb_read read_verb_arguments(verb which, const verb_arguments& arguments, admin_command& command) {
  const verb_spec& spec = spec_of(which);
  command.which = which;
  if (arguments.operands.size() != spec.operand_count) {
    if (spec.synopsis.empty()) return common::failure{std::string(spec.name) + " takes no operands"};
    return common::failure{std::string(spec.name) + " wants " + std::string(spec.synopsis)};
  }
  return spec.read(arguments, command);
}

admin_request plan_request(const admin_command& command, std::string_view file_bytes) {
  return spec_of(command.which).plan(command, file_bytes);
}

std::string verbs_usage() {
  std::string text;
  for (const auto& spec : verb_table()) {
    std::string line = "  " + std::string(spec.name);
    if (!spec.synopsis.empty()) line += " " + std::string(spec.synopsis);
    text += line + "\n      " + std::string(spec.summary) + "\n";
  }
  return text;
}

std::string path_segment(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string encoded;
  for (unsigned char ch : text) {
    const bool unreserved = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                            ch == '-' || ch == '_' || ch == '.' || ch == '~';
    if (unreserved) {
      encoded += static_cast<char>(ch);
    } else {
      encoded += '%';
      encoded += hex[ch >> 4];
      encoded += hex[ch & 0xF];
    }
  }
  return encoded;
}

}  // namespace ads_admin
