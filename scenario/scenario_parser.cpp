#include "scenario/scenario_parser.hpp"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include "common/duration.hpp"

namespace scenario {

namespace {

using milliseconds = std::chrono::milliseconds;

// A parse error inside the walk below: carried out to parse_scenario, which makes it a value.
struct parse_error {
  std::string reason;
};

class reader {
 public:
  explicit reader(std::string path) : path_(std::move(path)) {}

  source_place place(const YAML::Node& node, int line_offset = 0) const {
    return {path_, node.Mark().line + 1 + line_offset};
  }
  [[noreturn]] void fail(const YAML::Node& node, const std::string& why) const {
    throw parse_error{place(node).text() + ": " + why};
  }

  scenario_file file(const YAML::Node& root) const {
    if (!root.IsMap()) fail(root, "a scenario file is a mapping (name/steps, or cases)");
    scenario_file out{path_, {}};
    case_settings defaults;
    read_settings(root, defaults);
    check_keys(root, {"name", "steps", "cases", "module", "cloud", "timeout"});
    if (root["cases"]) {
      if (root["steps"]) fail(root["steps"], "steps belong inside each case when the file has cases");
      if (!root["cases"].IsSequence()) fail(root["cases"], "cases is a list");
      for (const auto& one : root["cases"]) out.cases.push_back(one_case(one, defaults));
    } else {
      out.cases.push_back(one_case(root, defaults));
    }
    return out;
  }

 private:
  void check_keys(const YAML::Node& map, const std::set<std::string>& allowed) const {
    for (const auto& entry : map) {
      const std::string key = entry.first.as<std::string>();
      if (!allowed.count(key)) fail(entry.first, "unknown key '" + key + "'");
    }
  }

  milliseconds duration(const YAML::Node& node) const {
    const auto parsed = common::parse_duration(node.as<std::string>());
    if (!parsed.ok()) fail(node, parsed.error().reason);
    return parsed.value();
  }

  void read_settings(const YAML::Node& map, case_settings& settings) const {
    if (const auto timeout = map["timeout"]) settings.timeout = duration(timeout);
    if (const auto module = map["module"]) {
      if (!module.IsMap()) fail(module, "module is {args: [flags...]} or {port: PATH}");
      check_keys(module, {"args", "port"});
      if (module["args"]) settings.module_args = strings(module["args"]);
      if (module["port"]) settings.port = module["port"].as<std::string>();
    }
    if (const auto cloud = map["cloud"]) {
      if (cloud.IsScalar() && cloud.as<std::string>() == "embedded") {
        settings.cloud = cloud_kind::embedded;
      } else if (cloud.IsScalar() && cloud.as<std::string>() == "separate") {
        settings.cloud = cloud_kind::separate;
      } else if (cloud.IsMap()) {
        check_keys(cloud, {"url", "ca", "token_file"});
        if (!cloud["url"] || !cloud["ca"] || !cloud["token_file"]) fail(cloud, "a running cloud needs url, ca, token_file");
        settings.cloud = cloud_kind::running;
        settings.cloud_url = cloud["url"].as<std::string>();
        settings.cloud_ca = cloud["ca"].as<std::string>();
        settings.cloud_token_file = cloud["token_file"].as<std::string>();
      } else {
        fail(cloud, "cloud is embedded, separate, or {url, ca, token_file}");
      }
    }
  }

  std::vector<std::string> strings(const YAML::Node& node) const {
    if (!node.IsSequence()) fail(node, "a list of words is expected here");
    std::vector<std::string> out;
    for (const auto& word : node) out.push_back(word.as<std::string>());
    return out;
  }

  scenario_case one_case(const YAML::Node& node, case_settings settings) const {
    if (!node.IsMap()) fail(node, "a case is a mapping with name and steps");
    check_keys(node, {"name", "steps", "module", "cloud", "timeout"});
    if (!node["name"]) fail(node, "a case needs a name");
    if (!node["steps"] || !node["steps"].IsSequence()) fail(node, "a case needs a list of steps");
    read_settings(node, settings);
    scenario_case out{node["name"].as<std::string>(), std::move(settings), {}, place(node)};
    for (const auto& item : node["steps"]) add_step(item, out.steps);
    return out;
  }

  void add_step(const YAML::Node& item, std::vector<step>& steps) const {
    if (!item.IsMap() || item.size() != 1) fail(item, "a step is one 'kind: value' pair (host, cloud, world, ...)");
    const auto entry = *item.begin();
    const std::string kind = entry.first.as<std::string>();
    const YAML::Node& value = entry.second;
    using maker = void (reader::*)(const YAML::Node&, std::vector<step>&) const;
    static const std::map<std::string, maker> kinds = {
        {"host", &reader::host_lines},         {"timeout", &reader::timeout_step}, {"cloud", &reader::cloud_step},
        {"world", &reader::world_step},        {"module", &reader::module_step},   {"program", &reader::program_step},
        {"exit", &reader::exit_step},          {"output", &reader::output_step},
    };
    const auto found = kinds.find(kind);
    if (found == kinds.end()) fail(entry.first, "unknown step '" + kind + "' (host, timeout, cloud, world, module, program, output, exit)");
    (this->*found->second)(value, steps);
  }

  void timeout_step(const YAML::Node& v, std::vector<step>& out) const {
    out.push_back({step_kind::set_timeout, v.as<std::string>(), duration(v).count(), place(v)});
  }
  void cloud_step(const YAML::Node& v, std::vector<step>& out) const {
    out.push_back({step_kind::cloud, "", to_json(v), place(v)});
  }
  void program_step(const YAML::Node& v, std::vector<step>& out) const {
    out.push_back({step_kind::program_start, "", to_json(v), place(v)});
  }
  void exit_step(const YAML::Node& v, std::vector<step>& out) const {
    out.push_back({step_kind::program_exit, "", to_json(v), place(v)});
  }
  // `world: coverage lost` (a verb line) or `world: {expect: {...}}` (the world's state holds that subset).
  void output_step(const YAML::Node& v, std::vector<step>& out) const {
    if (!v.IsScalar()) fail(v, "output is one pattern: a line the program under test prints");
    out.push_back({step_kind::program_output, v.as<std::string>(), nullptr, place(v)});
  }
  void world_step(const YAML::Node& v, std::vector<step>& out) const {
    if (!v.IsMap()) return verb_line(step_kind::world, v, out);
    if (v.size() != 1 || !v["expect"] || !v["expect"].IsMap())
      fail(v, "a world step is a verb line ('coverage lost') or {expect: {...}} (a subset of `sim7600-ctl state`)");
    out.push_back({step_kind::world, "", to_json(v), place(v)});
  }
  void module_step(const YAML::Node& v, std::vector<step>& out) const { verb_line(step_kind::module, v, out); }

  void verb_line(step_kind kind, const YAML::Node& value, std::vector<step>& out) const {
    if (!value.IsScalar()) fail(value, "this step is one line of words, e.g. 'coverage lost'");
    out.push_back({kind, value.as<std::string>(), nullptr, place(value)});
  }

  // `> LINE`, `< PATTERN`, `<... PATTERN`, `# comment`: one step per line of a block.
  void host_lines(const YAML::Node& value, std::vector<step>& out) const {
    if (!value.IsScalar()) fail(value, "host is a block of lines: '> send', '< expect', '<... wait for'");
    const std::string text = value.as<std::string>();
    // A block scalar (`host: |`) starts on the line after its indicator.
    const int first_line = text.find('\n') != std::string::npos ? 1 : 0;
    std::size_t start = 0;
    for (int index = 0; start < text.size(); ++index) {
      std::size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      std::string line = text.substr(start, end - start);
      start = end + 1;
      const source_place where = place(value, first_line + index);
      line.erase(0, line.find_first_not_of(" \t") == std::string::npos ? line.size() : line.find_first_not_of(" \t"));
      if (line.empty() || line[0] == '#') continue;
      const auto after = [&](std::size_t prefix) { return line.size() > prefix && line[prefix] == ' ' ? line.substr(prefix + 1) : line.substr(prefix); };
      if (line.rfind("<...", 0) == 0) {
        out.push_back({step_kind::expect_eventually, after(4), nullptr, where});
      } else if (line[0] == '<') {
        out.push_back({step_kind::expect_next, after(1), nullptr, where});
      } else if (line[0] == '>') {
        out.push_back({step_kind::send, after(1), nullptr, where});
      } else {
        throw parse_error{where.text() + ": a host line starts with '> ' (send), '< ' (expect) or '<... ' (wait for)"};
      }
    }
  }

  // Plain scalars that read as numbers or booleans become them; quoted ones stay text.
  nlohmann::json to_json(const YAML::Node& node) const {
    if (node.IsMap()) {
      nlohmann::json out = nlohmann::json::object();
      for (const auto& entry : node) out[entry.first.as<std::string>()] = to_json(entry.second);
      return out;
    }
    if (node.IsSequence()) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& item : node) out.push_back(to_json(item));
      return out;
    }
    if (!node.IsScalar()) return nullptr;
    const std::string text = node.as<std::string>();
    if (node.Tag() == "!") return text;
    if (text == "true") return true;
    if (text == "false") return false;
    std::int64_t number = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error == std::errc() && end == text.data() + text.size() && !text.empty()) return number;
    return text;
  }

  std::string path_;
};

}  // namespace

outcome<scenario_file> parse_scenario(const std::string& text, const std::string& path) {
  try {
    return reader(path).file(YAML::Load(text));
  } catch (const parse_error& error) {
    return failure{error.reason};
  } catch (const YAML::Exception& error) {
    return failure{path + ":" + std::to_string(error.mark.line + 1) + ": " + error.msg};
  }
}

outcome<scenario_file> load_scenario(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return failure{path + ": cannot be read"};
  return parse_scenario(std::string(std::istreambuf_iterator<char>(in), {}), path);
}

}  // namespace scenario
