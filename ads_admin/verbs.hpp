#pragma once
// verbs: what ads-admin can ask the service (PROTOCOL.md §3), one table entry per verb — its operands, its flags,
// how they are read from the command line and which admin-API request carries it. Pure: no I/O.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace ads_admin {

enum class verb {
  oems,
  create_oem,
  upload_provision_key,
  create_devices,
  devices,
  device,
  properties,
  get_property,
  set_property,
  datapoints,
  upload_image,
  images,
  create_job,
  start_job,
  job,
  jobs,
  wait_job,
  create_app,
  create_user,
  register_device,
  idp_token,
  registration_token,
};

inline constexpr std::chrono::seconds default_wait_timeout{300};

// One verb with its operands, already checked and converted (numbers parsed, a property value typed).
struct admin_command {
  verb which = verb::oems;
  std::string oem_id;          // create-oem --id, upload-provision-key, create-devices, create-app
  std::string name;            // create-oem NAME, create-app NAME
  std::string email;           // create-oem EMAIL, create-user EMAIL, register-device EMAIL, idp-token EMAIL
  std::string password;        // create-user PASSWORD
  std::string app_id;          // create-user --app, idp-token --app
  std::string dsn;             // device, properties, get-/set-property, datapoints, register-device, registration-token
  std::string property;        // get-property, set-property, datapoints
  std::string base_type;       // set-property: "boolean", "integer", "decimal" or "string"
  nlohmann::json value;        // set-property: VALUE as the JSON type of base_type
  std::string model;           // create-devices, upload-image, create-job --model
  std::int64_t count = 0;      // create-devices
  std::string image_type;      // upload-image: "module" or "host"
  std::string version;         // upload-image
  std::filesystem::path file;  // upload-provision-key PEM_FILE, upload-image FILE (read by the runner)
  std::int64_t image_id = 0;   // create-job
  std::vector<std::string> dsns;  // create-job --dsn (repeatable)
  std::int64_t job_id = 0;     // start-job, job, wait-job
  std::chrono::seconds timeout = default_wait_timeout;  // wait-job --timeout

  bool operator==(const admin_command&) const = default;
};

// The admin-API request a command becomes (path below /api/v1).
struct admin_request {
  std::string method;
  std::string path;
  std::optional<nlohmann::json> body;
};

// The verb's name on the command line ("set-property").
std::string_view verb_name(verb which);

// What the command line gave a verb: its operands in order and its own flags as (name, value) pairs.
struct verb_arguments {
  std::vector<std::string> operands;
  std::vector<std::pair<std::string, std::string>> flags;
};

// Every verb, in the order --help lists them.
std::vector<verb> all_verbs();
// The verb called `name` ("set-property"), or nullopt.
std::optional<verb> find_verb(std::string_view name);
// The verb's own flags ("--dsn"); each takes a value.
const std::vector<std::string_view>& verb_flags(verb which);
// Checks and converts the verb's operands and flags into `command` (and sets command.which): done, or a one-line
// reason ("COUNT must be a positive integer, got 'x'").
using verb_read = common::outcome<common::done>;
verb_read read_verb_arguments(verb which, const verb_arguments& arguments, admin_command& command);

// The request for `command`; `file_bytes` is the content of command.file when the verb uploads one.
admin_request plan_request(const admin_command& command, std::string_view file_bytes = {});

// The "verbs" part of --help: one line per verb with its operands and flags.
std::string verbs_usage();

// "AC000W000000001" stays as is; anything outside [A-Za-z0-9_.~-] is percent-encoded, so an odd name can never
// escape its path segment.
std::string path_segment(std::string_view text);

}  // namespace ads_admin
