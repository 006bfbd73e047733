#pragma once
// fleet_model: what a fleet file says (docs: fleet/README.md), as plain data shared by the parser (fleet_file),
// the seeded plan (fleet_plan), the built-in host (bring_up_host) and the runner. No behaviour here.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fleet {

using std::chrono::milliseconds;

// A from-device property the built-in host sends again and again: AT+ADA="s",NAME,TYPE,VALUE with the next of
// `values` (round robin), every `every` give or take `jitter` (0..1 of `every`, uniform, seeded per module).
struct property_send {
  std::string name;
  std::string type;  // ADA type letter: "b", "i", "s", "d" (as AT+ADA="s" takes it)
  std::vector<std::string> values;
  milliseconds every{30000};
  double jitter = 0;
};

// Taking module firmware offers: on +ADA: "ota","notify","module",ID the host sets the chosen mcu_mode
// (AT+ADA="ota","mcu_mode","module",ID,MODE; SPEC §5: it is a module OTA setting), downloads (`dl` with `chunk`)
// and, once ready, applies; after the reboot it brings the agent back up and waits for "done".
struct module_ota_taking {
  std::uint32_t chunk = 12800;
  std::string mcu_mode;  // "0" (download at once) or "1" (wait for dl); empty: the module's default, left unset
};

// Taking host (MCU) firmware offers: `dl` then reading the image through the AT port in windows of `window` bytes,
// then reporting the result.
struct host_ota_taking {
  std::uint32_t window = 1024;
};

// How a module of a group is expected to end. A fault may expect otherwise for the modules it hits.
enum class ota_expectation { none, succeeded, failed, any };
struct expectation {
  bool listening = true;  // connected and listening ("l","up") at the end
  ota_expectation module_ota = ota_expectation::none;
  ota_expectation host_ota = ota_expectation::none;
};

// What a fault changes of that end for the modules it hits: the fields it gives; the others stay their group's
// (`expect: {module_ota: any}` on a fault must not reset a group's host_ota: succeeded).
struct expectation_change {
  std::optional<bool> listening;
  std::optional<ota_expectation> module_ota;
  std::optional<ota_expectation> host_ota;

  expectation applied_to(expectation base) const {
    if (listening) base.listening = *listening;
    if (module_ota) base.module_ota = *module_ota;
    if (host_ota) base.host_ota = *host_ota;
    return base;
  }
};

// Where a module's host comes from: the built-in behaviour, or a sim7600-scenario file run against the module.
enum class host_kind { bring_up, scenario };

struct group {
  std::string name;
  int line = 0;                   // in the fleet file, for messages
  std::optional<double> share;    // 0..1 of the modules the counted groups leave
  std::optional<std::size_t> count;  // neither: the rest (one group at most)
  host_kind host = host_kind::bring_up;
  std::string scenario_file;      // host_kind::scenario
  std::vector<property_send> sends;
  std::vector<std::string> read_back;  // to-device properties the host reads (AT+ADA="g") when told they changed
  std::optional<module_ota_taking> module_ota;
  std::optional<host_ota_taking> host_ota;
  expectation expect;  // the parser's default: succeeded for each OTA the group takes and the campaign offers
};

// The OTA job the fleet starts through the device service once every module listens (after `after`).
struct ota_campaign {
  std::string version;
  std::size_t size = 307200;  // bytes of the image the fleet uploads
  milliseconds after{0};
};
struct campaign {
  std::optional<ota_campaign> module_ota;
  std::optional<ota_campaign> host_ota;
};

enum class fault_kind { coverage_lost, power_cut, data_call_dropped, sim_removed, clock_skew, host_silent };

// When a fault strikes a module: at a time after the ready line, or when the module's host reaches an OTA phase.
enum class ota_phase { downloading, applying };
struct fault_trigger {
  std::optional<milliseconds> at;
  std::optional<ota_phase> phase;
};

struct fault {
  fault_kind kind = fault_kind::coverage_lost;
  int line = 0;
  std::optional<double> share;       // 0..1 of the modules it may hit (fleet_plan.hpp: may_hit)
  std::optional<std::size_t> count;  // exactly one of share and count
  std::string group;                 // empty: any module
  fault_trigger when;
  // coverage_lost, sim_removed: restored after this (0: never); power_cut: how long the power stays off (1s)
  milliseconds lasting{0};
  long skew_seconds = 0;             // clock_skew
  expectation_change expect;         // for the modules it hits, over their group's
};

struct fleet_file {
  std::string name;
  milliseconds deadline{std::chrono::minutes(10)};
  std::vector<group> groups;
  campaign jobs;
  std::vector<fault> faults;
};

// The file the fleet runs without one: every module brings itself up and stays listening.
inline fleet_file default_fleet_file() {
  fleet_file file;
  file.name = "bring-up";
  group all;  // not group{.name = ...}: -Wextra wants every member of a designated initializer named
  all.name = "all";
  file.groups.push_back(std::move(all));
  return file;
}

}  // namespace fleet
