#include "fleet/fleet_file.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include "common/duration.hpp"
#include "common/read_file.hpp"
#include "fleet/fleet_plan.hpp"
#include "fleet/model_names.hpp"
#include "fleet/shares.hpp"

namespace fleet {

namespace {

// An error inside the walk below: carried out to parse_fleet_file, which makes it a value.
struct parse_error {
  int line;
  std::string reason;
};

// yaml-cpp counts lines from 0 and gives -1 where a node has no place (a key that is absent).
int line_of(const YAML::Node& node) { return node.Mark().line >= 0 ? node.Mark().line + 1 : 0; }

std::string listed(std::initializer_list<std::string_view> words) {
  std::string out;
  for (const auto word : words) out += (out.empty() ? "" : ", ") + std::string(word);
  return out;
}

// 950000000 parts: "95%"; 333333333: "33.3333333%".
std::string percent_text(std::uint64_t parts) {
  constexpr std::uint64_t per_percent = share_whole / 100;
  std::string fraction = std::to_string(parts % per_percent);
  fraction = std::string(7 - fraction.size(), '0') + fraction;
  fraction.erase(fraction.find_last_not_of('0') + 1);
  return std::to_string(parts / per_percent) + (fraction.empty() ? "" : "." + fraction) + "%";
}

// The backing array of a namespace-scope initializer_list lives as long as the list: the whole program.
const std::initializer_list<std::string_view> top_keys = {"name", "deadline", "groups", "campaign", "faults"};

class reader {
 public:
  fleet_file file(const YAML::Node& root) {
    if (!root.IsMap()) fail_at(std::max(1, line_of(root)), "a fleet file is a mapping (" + listed(top_keys) + ")");
    check_keys(root, "a fleet file", top_keys);
    fleet_file out;
    out.name = root["name"] ? text(root["name"], "name") : "fleet";
    if (const auto deadline = root["deadline"]) out.deadline = positive_duration(deadline, "deadline");
    // The campaign first, wherever it is written: groups' default expectations and faults' triggers depend on it.
    if (const auto jobs = root["campaign"]) out.jobs = campaign_of(jobs);
    if (const auto groups = root["groups"]) {
      read_groups(root, groups, out);
    } else {
      out.groups = default_fleet_file().groups;
    }
    if (const auto faults = root["faults"]) {
      if (!faults.IsSequence()) fail(faults, "faults is a list: - {fault: coverage_lost, share: 5%, when: {at: 30s}}");
      for (const auto& one : faults) out.faults.push_back(fault_of(one, out));
    }
    return out;
  }

 private:
  [[noreturn]] static void fail_at(int line, std::string why) { throw parse_error{line, std::move(why)}; }
  [[noreturn]] static void fail(const YAML::Node& node, std::string why) { fail_at(line_of(node), std::move(why)); }

  // The key node of `key` in `map`, to point at `properties:` rather than its first item on the next line.
  static YAML::Node key_of(const YAML::Node& map, std::string_view key) {
    for (const auto& entry : map)
      if (entry.first.IsScalar() && entry.first.Scalar() == key) return entry.first;
    return map;
  }

  // Every key is one the format knows, once; the message lists the ones `what` takes.
  static void check_keys(const YAML::Node& map, std::string_view what,
                         std::initializer_list<std::string_view> allowed) {
    std::set<std::string> seen;
    for (const auto& entry : map) {
      const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : "";
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
        fail(entry.first, "unknown key '" + key + "' in " + std::string(what) + " (it takes " + listed(allowed) + ")");
      if (!seen.insert(key).second) fail(entry.first, "'" + key + "' is given twice");
    }
  }

  static void need_map(const YAML::Node& node, const std::string& what_it_is) {
    if (!node.IsMap()) fail(node, what_it_is);
  }

  static std::string text(const YAML::Node& node, std::string_view what) {
    if (!node.IsScalar() || node.Scalar().empty()) fail(node, std::string(what) + " is a word or a line of text");
    return node.Scalar();
  }

  // A whole number in [least, most], digits only: `count: 1.5` and `count: -3` are refused, not rounded or wrapped.
  static std::uint64_t whole(const YAML::Node& node, std::string_view what, std::uint64_t least,
                             std::uint64_t most = std::numeric_limits<std::uint64_t>::max()) {
    const std::string digits = node.IsScalar() ? node.Scalar() : "";
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() || value < least ||
        value > most)
      fail(node, std::string(what) + " is a whole number of at least " + std::to_string(least) +
                     (digits.empty() ? "" : ", not '" + digits + "'"));
    return value;
  }

  static milliseconds duration(const YAML::Node& node, std::string_view what) {
    const auto parsed = common::parse_duration(node.IsScalar() ? node.Scalar() : "");
    if (!parsed.ok()) fail(node, std::string(what) + ": " + parsed.error().reason);
    return parsed.value();
  }

  static milliseconds positive_duration(const YAML::Node& node, std::string_view what) {
    const auto value = duration(node, what);
    if (value.count() == 0) fail(node, std::string(what) + " is more than 0s");
    return value;
  }

  // "5%", "0.5%", "100%": a percentage, the only form (a bare 5 or 0.05 would be ambiguous), as 0..1.
  static double percent(const YAML::Node& node, std::string_view what, bool zero_allowed) {
    const std::string written = node.IsScalar() ? node.Scalar() : "";
    double value = -1;
    bool read = written.size() > 1 && written.back() == '%';
    if (read) {
      const auto [end, error] = std::from_chars(written.data(), written.data() + written.size() - 1, value);
      read = error == std::errc() && end == written.data() + written.size() - 1 && std::isfinite(value);
    }
    if (!read || value > 100 || value < 0 || (value == 0 && !zero_allowed))
      fail(node, std::string(what) + " is a percentage " + (zero_allowed ? "from 0%" : "above 0%") +
                     " up to 100% (5%, 0.5%), not '" + written + "'");
    return value / 100;
  }

  static bool boolean(const YAML::Node& node, std::string_view what) {
    if (node.IsScalar() && node.Scalar() == "true") return true;
    if (node.IsScalar() && node.Scalar() == "false") return false;
    fail(node, std::string(what) + " is true or false");
  }

  // ---- the campaign ----

  static campaign campaign_of(const YAML::Node& node) {
    need_map(node, "campaign is a mapping: {module_ota: {version: V, size: N, after: 10s}, host_ota: {...}}");
    check_keys(node, "campaign", {"module_ota", "host_ota"});
    campaign out;
    if (const auto module = node["module_ota"]) out.module_ota = ota_job(module, "campaign module_ota");
    if (const auto host = node["host_ota"]) out.host_ota = ota_job(host, "campaign host_ota");
    return out;
  }

  static ota_campaign ota_job(const YAML::Node& node, const std::string& what) {
    need_map(node, what + " is a mapping: {version: \"2.0\", size: 65536, after: 0s}");
    check_keys(node, what, {"version", "size", "after"});
    if (!node["version"]) fail(node, what + " needs a version: the image's version string");
    ota_campaign out;
    out.version = text(node["version"], "version");
    if (const auto size = node["size"]) out.size = whole(size, "size", 1);
    if (const auto after = node["after"]) out.after = duration(after, "after");
    return out;
  }

  // ---- groups ----

  void read_groups(const YAML::Node& root, const YAML::Node& groups, fleet_file& out) {
    if (!groups.IsSequence() || groups.size() == 0)
      fail(groups, "groups is a list of at least one group: - {name: field units, share: 90%}");
    std::map<std::string, int> lines_by_name;
    std::uint64_t shares = 0;
    bool any_share = false;
    std::optional<std::size_t> rest;  // the group that gives neither share nor count
    for (const auto& node : groups) {
      out.groups.push_back(group_of(node, out.jobs));
      const group& added = out.groups.back();
      if (const auto [first, fresh] = lines_by_name.emplace(added.name, added.line); !fresh)
        fail(node["name"], "a second group named '" + added.name + "' (the first is on line " +
                               std::to_string(first->second) + ")");
      if (added.share) {
        any_share = true;
        shares += share_parts(*added.share);
        if (shares > share_whole)
          fail(node["share"], "the groups' shares add up to " + percent_text(shares) + " here, more than 100%");
      } else if (!added.count) {
        if (rest)
          fail(node, "group '" + added.name + "' gives neither share nor count, as group '" + out.groups[*rest].name +
                         "' (line " + std::to_string(out.groups[*rest].line) + ") does: only one group takes the rest");
        rest = out.groups.size() - 1;
      }
    }
    if (rest && shares == share_whole)
      fail_at(out.groups[*rest].line, "group '" + out.groups[*rest].name +
                                          "' takes the rest, but the other groups' shares already make 100%");
    if (!rest && any_share && shares != share_whole)
      fail(key_of(root, "groups"), "the groups' shares add up to " + percent_text(shares) +
                                       ": they must make 100%, or one group gives neither share nor count and takes "
                                       "the rest");
  }

  static group group_of(const YAML::Node& node, const campaign& jobs) {
    need_map(node, "a group is a mapping: {name: field units, share: 90%, ...}");
    check_keys(node, "a group",
               {"name", "share", "count", "scenario", "properties", "read_back", "module_ota", "host_ota", "expect"});
    if (!node["name"]) fail(node, "a group needs a name");
    group out;
    out.line = line_of(node);
    out.name = text(node["name"], "a group's name");
    const std::string who = "group '" + out.name + "'";
    if (node["share"] && node["count"]) fail(node["count"], who + " gives share or count, not both");
    if (const auto share = node["share"]) out.share = percent(share, "share", false);
    if (const auto count = node["count"]) out.count = whole(count, "count", 1);
    if (const auto scenario = node["scenario"]) {
      out.host = host_kind::scenario;
      out.scenario_file = text(scenario, "scenario");
      for (const auto key : {"properties", "read_back", "module_ota", "host_ota"})
        if (node[key])
          fail(key_of(node, key), who + " runs a scenario: '" + key +
                                      "' belongs to a group of the built-in host (the scenario is its host)");
    }
    if (const auto sends = node["properties"]) {
      if (!sends.IsSequence()) fail(sends, "properties is a list: - {name: Blue_LED, type: b, values: [0, 1]}");
      for (const auto& send : sends) out.sends.push_back(property_of(send));
    }
    if (const auto names = node["read_back"]) {
      if (!names.IsSequence()) fail(names, "read_back is a list of property names: [Green_LED]");
      for (const auto& name : names) out.read_back.push_back(text(name, "a read_back property"));
    }
    if (const auto module = node["module_ota"]) out.module_ota = module_ota_of(module);
    if (const auto host = node["host_ota"]) out.host_ota = host_ota_of(host);

    // Expected by default: succeeded for each OTA the group takes and the campaign offers, nothing otherwise.
    const bool takes_module = out.module_ota && jobs.module_ota;
    const bool takes_host = out.host_ota && jobs.host_ota;
    out.expect.module_ota = takes_module ? ota_expectation::succeeded : ota_expectation::none;
    out.expect.host_ota = takes_host ? ota_expectation::succeeded : ota_expectation::none;
    if (const auto expect = node["expect"]) {
      out.expect = expectation_of(expect, jobs).applied_to(out.expect);
      // A scenario may take an offered OTA itself; a built-in host only when its group says so.
      const bool scenario = out.host == host_kind::scenario;
      check_reachable(expect["module_ota"], out.expect.module_ota, scenario ? bool(jobs.module_ota) : takes_module,
                      who + " takes no module OTA (module_ota: {} in the group)");
      check_reachable(expect["host_ota"], out.expect.host_ota, scenario ? bool(jobs.host_ota) : takes_host,
                      who + " takes no host OTA (host_ota: {} in the group)");
    }
    return out;
  }

  // `succeeded` or `failed` needs an OTA to happen; `any` and `none` are always possible.
  static void check_reachable(const YAML::Node& node, ota_expectation expected, bool happens, const std::string& why) {
    if (!node || happens) return;
    if (expected == ota_expectation::succeeded || expected == ota_expectation::failed)
      fail(node, "no OTA can " + std::string(expected == ota_expectation::succeeded ? "succeed" : "fail") +
                     " here: " + why);
  }

  static property_send property_of(const YAML::Node& node) {
    need_map(node, "a property send is a mapping: {name: Blue_LED, type: b, values: [0, 1], every: 30s}");
    check_keys(node, "a property send", {"name", "type", "values", "every", "jitter"});
    for (const auto key : {"name", "type", "values"})
      if (!node[key]) fail(node, std::string("a property send needs ") + key);
    property_send out;
    out.name = text(node["name"], "a property's name");
    out.type = text(node["type"], "type");
    if (out.type != "b" && out.type != "i" && out.type != "d" && out.type != "s")
      fail(node["type"], "type is b, i, d or s (as AT+ADA=\"s\" takes it), not '" + out.type + "'");
    const auto values = node["values"];
    if (!values.IsSequence() || values.size() == 0) fail(values, "values is a list of at least one value: [0, 1]");
    for (const auto& value : values) out.values.push_back(value_of(value, out.type));
    if (const auto every = node["every"]) out.every = positive_duration(every, "every");
    if (const auto jitter = node["jitter"]) out.jitter = percent(jitter, "jitter", true);
    return out;
  }

  // A value the module would refuse for its type is a mistake of the file, caught before the run.
  static std::string value_of(const YAML::Node& node, const std::string& type) {
    if (!node.IsScalar()) fail(node, "a value is one number or string");
    const std::string value = node.Scalar();
    const char* first = value.data();
    const char* last = value.data() + value.size();
    bool fits = true;
    if (type == "b") {
      fits = value == "0" || value == "1";
    } else if (type == "i") {
      std::int64_t number = 0;
      const auto [end, error] = std::from_chars(first, last, number);
      fits = !value.empty() && error == std::errc() && end == last;
    } else if (type == "d") {
      double number = 0;
      const auto [end, error] = std::from_chars(first, last, number);
      fits = !value.empty() && error == std::errc() && end == last && std::isfinite(number);
    }
    if (!fits) {
      const std::string form = type == "b" ? "0 or 1" : type == "i" ? "a whole number" : "a decimal number";
      fail(node, "'" + value + "' is not a value of type " + type + " (" + form + ")");
    }
    return value;
  }

  static module_ota_taking module_ota_of(const YAML::Node& node) {
    module_ota_taking out;
    if (node.IsNull()) return out;
    need_map(node, "module_ota is a mapping: {chunk: 12800, mcu_mode: 1}, or {} for the defaults");
    check_keys(node, "module_ota", {"chunk", "mcu_mode"});
    if (const auto chunk = node["chunk"])
      out.chunk = static_cast<std::uint32_t>(whole(chunk, "chunk", 1, std::numeric_limits<std::uint32_t>::max()));
    if (const auto mode = node["mcu_mode"]) {
      out.mcu_mode = mode.IsScalar() ? mode.Scalar() : "";
      if (out.mcu_mode != "0" && out.mcu_mode != "1")
        fail(mode, "mcu_mode is 0 (the module downloads at once) or 1 (it waits for the host's dl)");
    }
    return out;
  }

  static host_ota_taking host_ota_of(const YAML::Node& node) {
    host_ota_taking out;
    if (node.IsNull()) return out;
    need_map(node, "host_ota is a mapping: {window: 1024}, or {} for the defaults");
    check_keys(node, "host_ota", {"window"});
    if (const auto window = node["window"])
      out.window = static_cast<std::uint32_t>(whole(window, "window", 1, std::numeric_limits<std::uint32_t>::max()));
    return out;
  }

  static ota_expectation ota_expectation_of(const YAML::Node& node, std::string_view what) {
    const auto found = named<ota_expectation>(node.IsScalar() ? node.Scalar() : "", ota_expectation_words);
    if (!found) fail(node, std::string(what) + " is " + listed_words(ota_expectation_words, " or "));
    return *found;
  }

  static expectation_change expectation_of(const YAML::Node& node, const campaign& jobs) {
    need_map(node, "expect is a mapping: {listening: true, module_ota: succeeded, host_ota: none}");
    check_keys(node, "expect", {"listening", "module_ota", "host_ota"});
    expectation_change out;
    if (const auto listening = node["listening"]) out.listening = boolean(listening, "listening");
    if (const auto module = node["module_ota"]) out.module_ota = ota_expectation_of(module, "module_ota");
    if (const auto host = node["host_ota"]) out.host_ota = ota_expectation_of(host, "host_ota");
    check_reachable(node["module_ota"], out.module_ota.value_or(ota_expectation::none), bool(jobs.module_ota),
                    "the campaign starts no module OTA");
    check_reachable(node["host_ota"], out.host_ota.value_or(ota_expectation::none), bool(jobs.host_ota),
                    "the campaign starts no host OTA");
    return out;
  }

  // ---- faults ----

  static fault fault_of(const YAML::Node& node, const fleet_file& file) {
    need_map(node, "a fault is a mapping: {fault: coverage_lost, share: 5%, when: {at: 30s}}");
    check_keys(node, "a fault", {"fault", "share", "count", "group", "when", "for", "seconds", "expect"});
    if (!node["fault"]) fail(node, "a fault needs its kind: fault: " + listed_words(fault_kind_words, " or "));
    fault out;
    out.line = line_of(node);
    const std::string kind = node["fault"].IsScalar() ? node["fault"].Scalar() : "";
    const auto known = named<fault_kind>(kind, fault_kind_words);
    if (!known) fail(node["fault"], "unknown fault '" + kind + "' (" + listed_words(fault_kind_words) + ")");
    out.kind = *known;

    if (node["share"] && node["count"]) fail(node["count"], "a fault gives share or count, not both");
    if (const auto share = node["share"]) out.share = percent(share, "share", false);
    if (const auto count = node["count"]) out.count = whole(count, "count", 1);
    if (!out.share && !out.count) fail(node, "a fault needs share (5%) or count (3): how many modules it hits");

    const group* target = nullptr;
    if (const auto name = node["group"]) {
      out.group = text(name, "group");
      for (const auto& one : file.groups)
        if (one.name == out.group) target = &one;
      if (!target) {
        std::string names;
        for (const auto& one : file.groups) names += (names.empty() ? "'" : ", '") + one.name + "'";
        fail(name, "no group named '" + out.group + "' (the groups are " + names + ")");
      }
    }

    if (!node["when"]) fail(node, "a fault needs when: {at: 30s} or {ota: downloading}");
    out.when = trigger_of(node["when"], file, target);

    const bool lasts = out.kind == fault_kind::coverage_lost || out.kind == fault_kind::sim_removed ||
                       out.kind == fault_kind::power_cut;
    if (out.kind == fault_kind::power_cut) out.lasting = std::chrono::seconds(1);  // as `sim7600-ctl power-cut`
    if (const auto lasting = node["for"]) {
      if (!lasts) fail(key_of(node, "for"), "'for' is for coverage_lost, sim_removed and power_cut, not " + kind);
      out.lasting = positive_duration(lasting, "for");
    }
    if (const auto seconds = node["seconds"]) {
      if (out.kind != fault_kind::clock_skew) fail(key_of(node, "seconds"), "'seconds' is for clock_skew, not " + kind);
      const std::string written = seconds.IsScalar() ? seconds.Scalar() : "";
      const auto [end, error] = std::from_chars(written.data(), written.data() + written.size(), out.skew_seconds);
      if (written.empty() || error != std::errc() || end != written.data() + written.size() || out.skew_seconds == 0)
        fail(seconds, "seconds is how far the clock jumps, a whole number other than 0 (3600, -86400)");
    } else if (out.kind == fault_kind::clock_skew) {
      fail(node, "a clock_skew fault needs seconds: how far the clock jumps (3600, -86400)");
    }
    if (const auto expect = node["expect"]) out.expect = expectation_of(expect, file.jobs);
    return out;
  }

  static fault_trigger trigger_of(const YAML::Node& node, const fleet_file& file, const group* target) {
    need_map(node, "when is {at: 30s} or {ota: downloading} (or applying)");
    check_keys(node, "when", {"at", "ota"});
    if (node["at"] && node["ota"])
      fail(node, "a fault strikes at a time or at an OTA phase, not both: when has 'at' or 'ota'");
    fault_trigger out;
    if (const auto at = node["at"]) {
      out.at = duration(at, "at");
    } else if (const auto phase = node["ota"]) {
      const std::string name = phase.IsScalar() ? phase.Scalar() : "";
      out.phase = named<ota_phase>(name, ota_phase_words);
      if (!out.phase) fail(phase, "ota is " + listed_words(ota_phase_words, " or ") + ", not '" + name + "'");
      check_phase_reachable(phase, *out.phase, file, target);
    } else {
      fail(node, "when is {at: 30s} or {ota: downloading} (or applying)");
    }
    return out;
  }

  // A fault at an OTA phase needs an OTA that some module it may hit takes: else it could never strike.
  static void check_phase_reachable(const YAML::Node& node, ota_phase phase, const fleet_file& file,
                                    const group* target) {
    const std::string reaches = ", so no module reaches " + std::string(word_of(phase, ota_phase_words));
    if (!file.jobs.module_ota && !file.jobs.host_ota)
      fail(node, "impossible fault: the campaign starts no OTA (campaign: module_ota or host_ota)" + reaches);
    const auto takes = [&](const group& one) { return takes_offered_ota(file, one); };
    if (target && !takes(*target))
      fail(node, "impossible fault: group '" + target->name +
                     "' takes no OTA the campaign starts (module_ota: {} or host_ota: {} in the group)" + reaches);
    if (!target && std::none_of(file.groups.begin(), file.groups.end(), takes))
      fail(node, "impossible fault: no group takes an OTA the campaign starts (module_ota: {} or host_ota: {} in a "
                 "group)" + reaches);
  }
};

}  // namespace

common::result<fleet_file, fleet_file_error> parse_fleet_file(std::string_view yaml_text) {
  try {
    return reader().file(YAML::Load(std::string(yaml_text)));
  } catch (const parse_error& error) {
    return fleet_file_error{error.line, error.reason};
  } catch (const YAML::Exception& error) {
    return fleet_file_error{error.mark.line >= 0 ? error.mark.line + 1 : 0, error.msg};
  }
}

common::outcome<fleet_file> read_fleet_file(const std::filesystem::path& path) {
  const auto named = [&](const fleet_file_error& error) {
    return common::failure{path.string() + (error.line > 0 ? ":" + std::to_string(error.line) : "") + ": " +
                           error.reason};
  };
  const auto text = common::read_file(path);
  if (!text) return named({0, "cannot be read"});
  auto parsed = parse_fleet_file(*text);
  if (!parsed) return named(parsed.error());
  for (auto& one : parsed->groups) {
    if (one.host != host_kind::scenario) continue;
    std::filesystem::path scenario = one.scenario_file;
    if (scenario.is_relative()) scenario = path.parent_path() / scenario;
    std::error_code error;
    if (!std::filesystem::is_regular_file(scenario, error))
      return named({one.line, "group '" + one.name + "': scenario file " + scenario.string() + " cannot be read"});
    one.scenario_file = scenario.string();
  }
  return std::move(parsed).value();
}

}  // namespace fleet
