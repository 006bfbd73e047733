// deploy/k8s/*.yaml read as Kubernetes would run them and checked against the programs themselves: every
// container's command line goes through its program's own parser (ads-sim's, sim7600-fleet's), $(VAR) expanded from
// the container's env as Kubernetes does; the probes ask ads-sim's request core the path they name on the port its
// --listen gives; the fleet's Job has as many completions as --shard's N, takes its index from the variable the
// fleet reads; Services, Secrets, ConfigMaps and mounts name what exists. A change to a flag, a route or a port
// that leaves the manifests behind fails here.
#include <catch2/catch.hpp>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "ads_sim/command_line.hpp"
#include "ads_sim/service_core.hpp"
#include "fleet/fleet_file.hpp"
#include "fleet/fleet_options.hpp"
#include "fleet/fleet_plan.hpp"

namespace fs = std::filesystem;

namespace {

// The resources of every manifest file, in file order.
std::vector<YAML::Node> resources() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(SIM7600_SOURCE_DIR) / "deploy" / "k8s"))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::vector<YAML::Node> all;
  for (const auto& file : files)
    for (const auto& doc : YAML::LoadAllFromFile(file.string()))
      if (doc.IsMap()) all.push_back(doc);
  return all;
}

std::string text(const YAML::Node& node) { return node ? node.as<std::string>() : std::string(); }

std::optional<YAML::Node> find(const std::vector<YAML::Node>& all, const std::string& kind, const std::string& name) {
  for (const auto& r : all)
    if (text(r["kind"]) == kind && text(r["metadata"]["name"]) == name) return r;
  return std::nullopt;
}

bool is_workload(const YAML::Node& r) {
  const std::string kind = text(r["kind"]);
  return kind == "Deployment" || kind == "StatefulSet" || kind == "Job";
}

// A container's environment as Kubernetes gives it: values, Secret keys (from the manifests' Secrets) and the
// downward API (a sample pod address).
std::map<std::string, std::string> environment_of(const std::vector<YAML::Node>& all, const YAML::Node& container) {
  std::map<std::string, std::string> env;
  for (const auto& entry : container["env"]) {
    const std::string name = text(entry["name"]);
    INFO("env " << name);
    if (entry["value"]) {
      env[name] = text(entry["value"]);
    } else if (const auto ref = entry["valueFrom"]["secretKeyRef"]) {
      const auto secret = find(all, "Secret", text(ref["name"]));
      REQUIRE(secret);
      const YAML::Node value = (*secret)["stringData"][text(ref["key"])];
      REQUIRE(value);
      env[name] = text(value);
    } else if (const auto field = entry["valueFrom"]["fieldRef"]) {
      REQUIRE(text(field["fieldPath"]) == "status.podIP");
      env[name] = "10.0.0.7";
    } else {
      FAIL("env " << name << " has no value this test knows");
    }
  }
  return env;
}

// An argument with $(NAME) expanded as Kubernetes does; `used` collects the names.
std::string expanded(const std::string& arg, const std::map<std::string, std::string>& env,
                     std::set<std::string>& used) {
  static const std::regex reference(R"(\$\(([A-Za-z_][A-Za-z0-9_]*)\))");
  std::string out;
  auto from = arg.cbegin();
  for (std::sregex_iterator it(arg.begin(), arg.end(), reference), end; it != end; ++it) {
    const std::string name = (*it)[1];
    INFO("$(" << name << ") in '" << arg << "'");
    REQUIRE(env.contains(name));
    used.insert(name);
    out.append(from, (*it)[0].first);
    out += env.at(name);
    from = (*it)[0].second;
  }
  out.append(from, arg.cend());
  return out;
}

struct container_run {
  YAML::Node workload;
  YAML::Node pod;  // the pod spec
  YAML::Node container;
  std::string program;
  std::vector<std::string> args;   // expanded
  std::set<std::string> env_used;  // names the args reference
};

std::vector<container_run> our_containers(const std::vector<YAML::Node>& all) {
  std::vector<container_run> runs;
  for (const auto& r : all) {
    if (!is_workload(r)) continue;
    const YAML::Node pod = r["spec"]["template"]["spec"];
    for (const auto& c : pod["containers"]) {
      if (!c["command"]) continue;  // an image's own program (postgres)
      container_run run{r, pod, c, text(c["command"][0]), {}, {}};
      const auto env = environment_of(all, c);
      for (const auto& arg : c["args"]) run.args.push_back(expanded(text(arg), env, run.env_used));
      runs.push_back(std::move(run));
    }
  }
  return runs;
}

// ads-sim's parser on `args`: the options the manifest's line gives, or the test fails with the parser's reason.
ads_sim::service_options ads_sim_options(const std::vector<std::string>& args) {
  const std::vector<std::string_view> views(args.begin(), args.end());
  const auto parsed = ads_sim::parse_command_line(views, nullptr, "/var/lib/sim7600");
  INFO("ads-sim refuses the manifest's line: " << (parsed ? std::string() : parsed.error().reason));
  REQUIRE(parsed);
  return parsed->args;
}

// The Secret and key a container reads as `file`: a read-only mount of a Secret volume at the file's folder whose
// item lands at its name; empty names when there is none.
std::pair<std::string, std::string> secret_key_at(const container_run& run, const fs::path& file) {
  for (const auto& mount : run.container["volumeMounts"]) {
    if (text(mount["mountPath"]) != file.parent_path().string() || !mount["readOnly"] || !mount["readOnly"].as<bool>())
      continue;
    for (const auto& volume : run.pod["volumes"]) {
      if (text(volume["name"]) != text(mount["name"]) || !volume["secret"]) continue;
      for (const auto& item : volume["secret"]["items"])
        if (text(item["path"]) == file.filename().string())
          return {text(volume["secret"]["secretName"]), text(item["key"])};
    }
  }
  return {};
}

int container_port(const YAML::Node& container, const YAML::Node& port) {
  const std::string named = text(port);
  if (!named.empty() && std::all_of(named.begin(), named.end(), ::isdigit)) return port.as<int>();
  for (const auto& p : container["ports"])
    if (text(p["name"]) == text(port)) return p["containerPort"].as<int>();
  return -1;
}

}  // namespace

TEST_CASE("deploy: each container's command line is one its program accepts, every $(VAR) defined",
          "[deploy][manifests]") {
  const auto all = resources();
  const auto runs = our_containers(all);
  std::set<std::string> programs;
  for (const auto& run : runs) {
    INFO(text(run.workload["kind"]) << " " << text(run.workload["metadata"]["name"]) << ": " << run.program);
    programs.insert(run.program);
    // A variable set for the program must be one its arguments use: our programs read none of these themselves.
    for (const auto& entry : run.container["env"]) CHECK(run.env_used.contains(text(entry["name"])));
    if (run.program == "ads-sim") {
      ads_sim_options(run.args);
    } else if (run.program == "sim7600-fleet") {
      const auto parsed = fleet::parse_command_line(run.args, fleet::environment{"0"});
      INFO((parsed ? std::string() : parsed.error().reason));
      CHECK(parsed.ok());
    } else {
      FAIL("no parser known for " << run.program << ": add its check here");
    }
  }
  CHECK(programs == std::set<std::string>{"ads-sim", "sim7600-fleet"});
}

TEST_CASE("deploy: the fleet is an Indexed Job, completions = --shard's N, each pod's index from the variable the "
          "fleet reads", "[deploy][manifests]") {
  const auto all = resources();
  const auto job = find(all, "Job", "sim7600-fleet");
  REQUIRE(job);
  const YAML::Node spec = (*job)["spec"];
  CHECK(text(spec["completionMode"]) == "Indexed");
  const std::size_t completions = spec["completions"].as<std::size_t>();
  CHECK(spec["parallelism"].as<std::size_t>() <= completions);
  // Kubernetes sets JOB_COMPLETION_INDEX in each pod of an Indexed Job; the fleet must read that name, and the
  // manifest must not set it (it would be the same in every pod).
  CHECK(std::string(fleet::shard_index_variable) == "JOB_COMPLETION_INDEX");
  bool found = false;
  for (const auto& run : our_containers(all)) {
    if (run.program != "sim7600-fleet") continue;
    found = true;
    for (const auto& entry : run.container["env"]) CHECK(text(entry["name"]) != fleet::shard_index_variable);
    for (std::size_t index = 0; index < completions; ++index) {
      const auto parsed = fleet::parse_command_line(run.args, fleet::environment{std::to_string(index)});
      REQUIRE(parsed.ok());
      const fleet::fleet_options& options = parsed->args;
      REQUIRE(options.shard);
      CHECK(options.shard->index == index);
      CHECK(options.shard->count == completions);
    }
    // Without the variable the line is refused: the index really comes from it.
    CHECK_FALSE(fleet::parse_command_line(run.args, fleet::environment{}).ok());
    const auto options = fleet::parse_command_line(run.args, fleet::environment{"0"})->args;
    // The fleet file it names is a ConfigMap's key, mounted where the argument says, and it plans the --count.
    REQUIRE(options.fleet_file);
    const fs::path file(*options.fleet_file);
    std::optional<std::string> yaml;
    for (const auto& mount : run.container["volumeMounts"]) {
      if (text(mount["mountPath"]) != file.parent_path().string()) continue;
      for (const auto& volume : run.pod["volumes"])
        if (text(volume["name"]) == text(mount["name"]) && volume["configMap"])
          if (const auto map = find(all, "ConfigMap", text(volume["configMap"]["name"])))
            if ((*map)["data"][file.filename().string()]) yaml = text((*map)["data"][file.filename().string()]);
    }
    REQUIRE(yaml);
    const auto fleet_file = fleet::parse_fleet_file(*yaml);
    INFO((fleet_file ? std::string() : fleet_file.error().reason));
    REQUIRE(fleet_file.ok());
    CHECK(fleet::plan_fleet(*fleet_file, options.count, options.seed).ok());
    // The device service it reaches is the ads-sim Service, on a port that Service has.
    REQUIRE(options.ads_url);
    const std::smatch url = [&] {
      std::smatch m;
      REQUIRE(std::regex_match(*options.ads_url, m, std::regex(R"(https://([a-z0-9-]+):(\d+))")));
      return m;
    }();
    const auto service = find(all, "Service", url[1]);
    REQUIRE(service);
    bool has_port = false;
    for (const auto& port : (*service)["spec"]["ports"]) has_port = has_port || text(port["port"]) == url[2].str();
    CHECK(has_port);
  }
  CHECK(found);
}

TEST_CASE("deploy: ads-sim's replicas keep nothing of their own: the TLS files by flag from the read-only Secret, "
          "the store in PostgreSQL, the admin token given, and the fleet trusts the CA ads-sim names",
          "[deploy][manifests]") {
  const auto all = resources();
  const auto runs = our_containers(all);
  bool found = false;
  for (const auto& run : runs) {
    if (run.program != "ads-sim") continue;
    found = true;
    const ads_sim::service_options options = ads_sim_options(run.args);
    // Nothing is left to a data dir, so replicas cannot disagree on one and the pod needs no volume for it.
    CHECK_FALSE(ads_sim::data_dir_needs_of(options).any());
    REQUIRE(options.database);
    CHECK(options.database->kind == ads_sim::database_url::engine::postgresql);
    REQUIRE(options.tls);
    REQUIRE(options.tls->ca);
    const std::pair<std::string, std::string> expected[] = {
        {"ads-sim-tls", "server.pem"}, {"ads-sim-tls", "server-key.pem"}, {"ads-sim-tls", "ca.pem"}};
    const fs::path files[] = {options.tls->certificate, options.tls->key, *options.tls->ca};
    for (std::size_t i = 0; i < 3; ++i) {
      INFO(files[i]);
      CHECK(secret_key_at(run, files[i]) == expected[i]);
    }
    std::size_t volumes = 0;
    for (const auto& volume : run.pod["volumes"]) volumes += volume ? 1 : 0;
    CHECK(volumes == 1);  // the Secret alone
    // The fleet verifies ads-sim against the same key of the same Secret.
    for (const auto& fleet_run : runs) {
      if (fleet_run.program != "sim7600-fleet") continue;
      const auto parsed = fleet::parse_command_line(fleet_run.args, fleet::environment{"0"});
      REQUIRE(parsed.ok());
      REQUIRE(parsed->args.ads_ca);
      CHECK(secret_key_at(fleet_run, *parsed->args.ads_ca) == expected[2]);
    }
  }
  CHECK(found);
}

TEST_CASE("deploy: ads-sim's probes ask its request core a route it serves, on the port its --listen gives",
          "[deploy][manifests]") {
  const auto all = resources();
  bool found = false;
  for (const auto& run : our_containers(all)) {
    if (run.program != "ads-sim") continue;
    found = true;
    const ads_sim::service_options options = ads_sim_options(run.args);
    for (const char* probe : {"readinessProbe", "livenessProbe"}) {
      INFO(probe);
      const YAML::Node get = run.container[probe]["httpGet"];
      REQUIRE(get);
      CHECK(text(get["scheme"]) == "HTTPS");
      CHECK(container_port(run.container, get["port"]) == options.listen_port);
      const std::string path = text(get["path"]);
      const fs::path data = fs::temp_directory_path() / ("manifests-test-" + std::to_string(::getpid()));
      int status = 0;
      fs::create_directories(data);
      {
        ads_sim::service_core core(data / "ads.db", "token");
        REQUIRE(core.ok());
        const ads_sim::http_request request{"GET", path, {}, {}, 1};
        const auto answer = core.handle(request, std::chrono::system_clock::now());
        REQUIRE(std::holds_alternative<ads_sim::http_response>(answer));
        status = std::get<ads_sim::http_response>(answer).status;
      }
      fs::remove_all(data);
      CHECK(status == 200);
    }
    bool port_declared = false;
    for (const auto& port : run.container["ports"])
      port_declared = port_declared || port["containerPort"].as<int>() == options.listen_port;
    CHECK(port_declared);
  }
  CHECK(found);
}

TEST_CASE("deploy: Services select pods and reach their ports, and Secrets, ConfigMaps and mounts name what exists",
          "[deploy][manifests]") {
  const auto all = resources();
  for (const auto& service : all) {
    if (text(service["kind"]) != "Service") continue;
    INFO("Service " << text(service["metadata"]["name"]));
    std::optional<YAML::Node> pod;
    for (const auto& r : all) {
      if (!is_workload(r) || !r["spec"]["template"]["metadata"]) continue;
      const YAML::Node labels = r["spec"]["template"]["metadata"]["labels"];
      bool selected = true;
      for (const auto& label : service["spec"]["selector"])
        selected = selected && text(labels[label.first.as<std::string>()]) == text(label.second);
      // emplace, not =: assigning one YAML::Node to another rewrites the node it refers to.
      if (selected) pod.emplace(r["spec"]["template"]["spec"]);
    }
    REQUIRE(pod);
    for (const auto& port : service["spec"]["ports"]) {
      bool reached = false;
      for (const auto& c : (*pod)["containers"]) reached = reached || container_port(c, port["targetPort"]) > 0;
      CHECK(reached);
    }
  }
  for (const auto& run : our_containers(all)) {
    INFO(run.program);
    // Every absolute path an argument names lies in a mount of the container.
    for (std::size_t i = 0; i < run.args.size(); ++i) {
      const std::string& arg = run.args[i];
      if (!arg.starts_with("/") || (i > 0 && run.args[i - 1] == "--shard")) continue;  // "/20": N shards
      bool mounted = false;
      for (const auto& mount : run.container["volumeMounts"])
        mounted = mounted || (arg + "/").starts_with(text(mount["mountPath"]) + "/");
      INFO(arg);
      CHECK(mounted);
    }
    // Every volume's Secret or ConfigMap is in the manifests, or is the TLS Secret made apart (secrets.yaml).
    for (const auto& volume : run.pod["volumes"]) {
      if (const auto secret = volume["secret"]) {
        const std::string name = text(secret["secretName"]);
        CHECK((name == "ads-sim-tls" || find(all, "Secret", name)));
      }
      if (const auto map = volume["configMap"]) CHECK(find(all, "ConfigMap", text(map["name"])));
    }
    const YAML::Node resources = run.container["resources"];
    for (const char* part : {"requests", "limits"})
      for (const char* what : {"cpu", "memory"}) CHECK(resources[part][what]);
  }
}
