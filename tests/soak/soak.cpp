// soak: crash safety under SIGKILL at random moments (issue 8), on the real daemons through the e2e harness.
// Four kinds of trial, in turn:
//   cs     the module is killed during a burst of AT+ADA="cs": after a restart the value is the last one that got
//          OK (or the one in flight, which may have become durable before its OK went out);
//   apply  the module is killed around a module OTA apply: after a restart it runs one whole firmware, old or
//          new, and the OTA job ends succeeded or failed to match;
//   cloud  ads-sim is killed during a burst of property sends: every value whose status 0 reached the host is
//          stored when the service comes back;
//   host   the module is killed during host OTA windows: after a restart the job ends, failed (reported at boot)
//          or succeeded (offered again, downloaded whole, reported).
// Usage: soak [trials=1000] [seed]. Prints one line per failure and a summary; exits 1 when any trial failed.
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <regex>
#include <thread>

#include "ads_client/base64.hpp"
#include "harness/cloud_fixtures.hpp"

namespace {

using namespace std::chrono_literals;
using e2e::host_port;

// What the kills hit, so a summary shows the trials were not vacuous.
struct outcomes {
  int cs_acknowledged = 0;       // cs values that got OK before a kill (summed)
  int apply_new = 0, apply_old = 0;
  int host_succeeded = 0, host_failed = 0;
  int cloud_acknowledged = 0;    // datapoints acknowledged before ads-sim was killed, all found stored
} seen_outcomes;

// Kills `pid` with SIGKILL `after` from now, on its own thread: the moment is random, so is what it interrupts.
class delayed_kill {
 public:
  delayed_kill(pid_t pid, std::chrono::microseconds after)
      : thread_([pid, after] {
          std::this_thread::sleep_for(after);
          ::kill(pid, SIGKILL);
        }) {}
  ~delayed_kill() { thread_.join(); }

 private:
  std::thread thread_;
};

// What a host command got back, or nothing once the module is gone.
std::string command_or_gone(host_port& port, const std::string& line) {
  try {
    return port.command(line, 2s);
  } catch (const std::exception&) {
    return {};
  }
}

// A new OEM per trial (8 hex digits): its devices start with no history.
std::string oem_of(char kind, int trial) {
  char oem[16];
  std::snprintf(oem, sizeof oem, "5%c%06x", kind, trial & 0xFFFFFF);
  return oem;
}

std::string cg_value(host_port& port, const std::string& name) {
  const std::string answer = port.command("AT+ADA=\"cg\",\"" + name + "\"");
  std::smatch match;
  if (!std::regex_search(answer, match, std::regex(R"re(\+ADA: "cg","[^"]+","([^"]*)")re"))) return "?" + answer;
  return match[1];
}

// A killed module started again on the same NV, its host at the boot URCs.
void power_back(e2e::booted_module& m) {
  m.module.kill_hard();  // reaps it
  m.module.start();
  m.port = host_port::open_tty(m.module.link());
  m.port.read_until("PB DONE\r\n");
}

std::string cs_trial(std::mt19937& random) {
  e2e::booted_module m({"--ads-url", "https://127.0.0.1:1"});
  e2e::start_service(m.port);
  int last_ok = 0, sent = 0;
  {
    delayed_kill killer(m.module.pid(), std::chrono::microseconds(random() % 300000));
    for (int k = 1; k < 100000; ++k) {
      sent = k;
      const std::string answer = command_or_gone(m.port, "AT+ADA=\"cs\",\"oem/model\",\"v" + std::to_string(k) + "\"");
      if (!answer.ends_with("\r\nOK\r\n")) break;
      last_ok = k;
    }
  }
  seen_outcomes.cs_acknowledged += last_ok;
  power_back(m);
  e2e::start_service(m.port);
  const std::string value = cg_value(m.port, "oem/model");
  const bool survived = last_ok == 0 ? (value.empty() || value == "v1") : (value == "v" + std::to_string(last_ok) ||
                                                                          value == "v" + std::to_string(sent));
  if (survived) return {};
  return "oem/model is '" + value + "' after v" + std::to_string(last_ok) + " got OK";
}

const std::string old_firmware =
    "LE11B01SIM7600M11_NA_OTA_191012 B01V06 MDM9x07_AP_M_AT_V1.05_180525 APCA-1.0 ADA-2.4.1 BUILD-a88da1c.132a03a";
const std::string new_firmware =
    "LE11B01SIM7600M11_NA_OTA_191012 B01V06 MDM9x07_AP_M_AT_V1.05_180525 APCA-1.0 ADA-2.4.1 BUILD-soak000.132a03a";

// The job's final state (no device in progress), or null at the deadline.
nlohmann::json finished_job(const e2e::admin_client& admin, std::int64_t job) {
  const auto end = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < end) {
    const auto state = admin.get("/ota_jobs/" + std::to_string(job)).body;
    if (state.value("status", "") == "completed") return state;
    std::this_thread::sleep_for(20ms);  // the report has no event of its own to wait on
  }
  return nullptr;
}

// A module configured as `device`, connected and listening.
std::unique_ptr<e2e::booted_module> listening_module(const e2e::device_service& service,
                                                     const e2e::factory_device& device) {
  auto m = e2e::module_for(service, device);
  e2e::enable_and_listen(m->port);
  return m;
}

struct image_spec {
  std::string type, model, version;
  std::size_t size;
};

// Uploads a random image and starts a job of it for one device (the console's steps); returns the job id.
std::int64_t start_ota_job(const e2e::admin_client& admin, std::mt19937& random, const image_spec& spec,
                           const std::string& dsn) {
  std::string image(spec.size, '\0');
  for (auto& byte : image) byte = static_cast<char>(random() & 0xFF);
  const auto uploaded = admin.post("/images", {{"type", spec.type}, {"model", spec.model}, {"version", spec.version},
                                               {"data_base64", ads_client::base64_encode(image)}});
  const auto created = admin.post("/ota_jobs", {{"image_id", uploaded.body.at("image_id")}, {"dsns", {dsn}}});
  const std::int64_t job = created.body.at("job_id");
  admin.post("/ota_jobs/" + std::to_string(job) + "/start", nlohmann::json::object());
  return job;
}

std::string apply_trial(std::mt19937& random, e2e::device_service& service, const e2e::admin_client& admin,
                        int trial) {
  const auto device = e2e::make_factory_devices(admin, oem_of('a', trial)).front();
  auto m = listening_module(service, device);
  const std::int64_t job =
      start_ota_job(admin, random, {"module", "SIMCOM_SIM7600E-L1C", new_firmware, 4096}, device.dsn);
  std::smatch match;
  const std::string notify = m->port.read_until("\"\r\n", 30s);
  if (!std::regex_search(notify, match, std::regex(R"re("module","([^"]+)")re"))) return "no notify: " + notify;
  const std::string id = match[1];
  m->port.command("AT+ADA=\"ota\",\"dl\",\"module\",\"" + id + "\"");
  const std::string ready = "\"" + id + "\",\"ready\"\r\n";
  if (!m->port.read_until(ready, 30s).ends_with(ready)) return "no ready";
  {
    delayed_kill killer(m->module.pid(), std::chrono::microseconds(random() % 20000));
    command_or_gone(m->port, "AT+ADA=\"ota\",\"apply\",\"module\",\"" + id + "\"");
  }
  power_back(*m);
  e2e::bring_up_network(m->port);
  e2e::start_service(m->port);
  m->port.command("AT+ADA=\"I\"");
  m->port.command("AT+ADA=\"enable\"");
  const std::string version = m->port.command("AT+ADA=\"version\",\"fota\"");
  const bool is_new = version.find(new_firmware) != std::string::npos;
  if (!is_new && version.find(old_firmware) == std::string::npos) return "firmware is neither image: " + version;
  const auto state = finished_job(admin, job);
  if (state.is_null()) return "the OTA job did not end";
  ++(is_new ? seen_outcomes.apply_new : seen_outcomes.apply_old);
  if (state.at(is_new ? "succeeded" : "failed") != 1)
    return std::string("firmware is ") + (is_new ? "new" : "old") + " but the job says " + state.dump();
  return {};
}

// Downloads the host image `id` window by window (4 KiB) to its finish line; false when the module stops answering.
bool download_host_image(host_port& port, const std::string& id) {
  const std::string finish = "\"" + id + "\",\"finish\"\r\n";
  for (int window = 0; window < 64; ++window) {
    const std::string answer = command_or_gone(port, "AT+ADA=\"ota\",\"dl\",\"host\",\"" + id + "\",4096");
    if (!answer.ends_with("\r\nOK\r\n")) return false;
    std::string text;
    try {
      text = port.read_until("+ADA: \"ota\",\"ok\",\"" + id + "\",\"", 5s);
      text += port.read_until("\r\n", 5s);
    } catch (const std::exception&) {
      return false;
    }
    if (!text.ends_with("\r\n")) return false;
    if (text.find(finish) != std::string::npos) return true;
    try {
      if (port.read_until(finish, 0ms).ends_with(finish)) return true;
    } catch (const std::exception&) {
      return false;
    }
  }
  return false;
}

std::string host_trial(std::mt19937& random, e2e::device_service& service, const e2e::admin_client& admin,
                       int trial) {
  const auto device = e2e::make_factory_devices(admin, oem_of('b', trial)).front();
  auto m = listening_module(service, device);
  const std::int64_t job = start_ota_job(admin, random, {"host", "mcu", "soak", 16 * 1024}, device.dsn);
  const std::regex notify(R"re("host","([^"]+)",\d+)re");
  std::smatch match;
  const std::string first = m->port.read_until("\"\r\n", 30s);
  if (!std::regex_search(first, match, notify)) return "no notify: " + first;
  {
    delayed_kill killer(m->module.pid(), std::chrono::microseconds(random() % 100000));
    download_host_image(m->port, match[1]);
  }
  power_back(*m);
  e2e::bring_up_network(m->port);
  e2e::start_service(m->port);
  m->port.command("AT+ADA=\"I\"");
  m->port.command("AT+ADA=\"enable\"");
  // The job ends by itself (the module reports the lost download failed), or it is offered again and the host
  // downloads it whole and reports success: whichever comes first.
  nlohmann::json state;
  const auto end = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < end) {
    state = admin.get("/ota_jobs/" + std::to_string(job)).body;
    if (state.value("status", "") == "completed") break;
    const std::string again = m->port.read_until("\"soak\"\r\n", 200ms);
    if (!std::regex_search(again, match, notify)) continue;
    const std::string id = match[1];
    if (!download_host_image(m->port, id)) return "the second download did not finish";
    m->port.command("AT+ADA=\"ota\",\"status\",\"host\",\"" + id + "\",0");
  }
  if (state.value("status", "") != "completed") return "the OTA job did not end: " + state.dump();
  if (state.at("succeeded") != 1 && state.at("failed") != 1) return "job: " + state.dump();
  ++(state.at("succeeded") == 1 ? seen_outcomes.host_succeeded : seen_outcomes.host_failed);
  return {};
}

std::string cloud_trial(std::mt19937& random, e2e::device_service& service, const e2e::admin_client& admin,
                        int trial) {
  const auto device = e2e::make_factory_devices(admin, oem_of('c', trial)).front();
  auto m = listening_module(service, device);
  std::string seen;
  {
    delayed_kill killer(service.pid(), std::chrono::microseconds(random() % 100000));
    for (int i = 0; i < 1000; ++i) {
      const std::string answer = command_or_gone(m->port, "AT+ADA=\"s\",\"c" + std::to_string(i) + "\",\"i\",\"" +
                                                              std::to_string(trial) + "\"");
      seen += answer;
      if (!answer.ends_with("\r\nOK\r\n")) break;
    }
  }
  service.kill_hard();  // reaps it
  service.start();
  seen += m->port.read_available();
  // Every value the host saw acknowledged (status 0) is stored.
  const std::regex acknowledged(R"re(\+ADA: "s","(c\d+)","status",0)re");
  int checked = 0;
  for (std::sregex_iterator it(seen.begin(), seen.end(), acknowledged), end; it != end; ++it, ++checked) {
    const auto points = admin.get("/devices/" + device.dsn + "/properties/" + (*it)[1].str() + "/datapoints");
    if (points.status != 200 || points.body.at("datapoints").empty() ||
        points.body.at("datapoints").back().at("value") != trial)
      return "acknowledged " + (*it)[1].str() + " is not stored: " + points.raw;
  }
  seen_outcomes.cloud_acknowledged += checked;
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  const int trials = argc > 1 ? std::max(1, std::atoi(argv[1])) : 1000;
  const unsigned seed = argc > 2 ? static_cast<unsigned>(std::strtoul(argv[2], nullptr, 10)) : std::random_device{}();
  std::mt19937 random(seed);
  e2e::device_service service;
  const auto admin = e2e::admin_of(service);
  int failures = 0;
  int by_kind[4] = {0, 0, 0, 0};
  const char* kinds[4] = {"cs", "apply", "cloud", "host"};
  const auto start = std::chrono::steady_clock::now();
  for (int trial = 0; trial < trials; ++trial) {
    const int kind = trial % 4;
    ++by_kind[kind];
    std::string failure;
    try {
      if (kind == 0) failure = cs_trial(random);
      if (kind == 1) failure = apply_trial(random, service, admin, trial);
      if (kind == 2) failure = cloud_trial(random, service, admin, trial);
      if (kind == 3) failure = host_trial(random, service, admin, trial);
    } catch (const std::exception& e) {
      failure = std::string("harness: ") + e.what();
    }
    if (!failure.empty()) {
      ++failures;
      std::printf("soak: trial %d (%s) FAILED: %s\n", trial, kinds[kind], failure.c_str());
      std::fflush(stdout);
    }
    if ((trial + 1) % 50 == 0) {
      std::printf("soak: %d trials, %d failures so far\n", trial + 1, failures);
      std::fflush(stdout);
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("soak: %d trials (%d cs, %d apply, %d cloud, %d host), %d failures, seed %u, %.0f s\n", trials,
              by_kind[0], by_kind[1], by_kind[2], by_kind[3], failures, seed, seconds);
  std::printf("soak: kills hit %d acknowledged cs values, %d applies that ended new and %d old, %d acknowledged "
              "datapoints (all checked), host OTA jobs %d succeeded and %d failed\n",
              seen_outcomes.cs_acknowledged, seen_outcomes.apply_new, seen_outcomes.apply_old,
              seen_outcomes.cloud_acknowledged, seen_outcomes.host_succeeded, seen_outcomes.host_failed);
  return failures == 0 ? 0 : 1;
}
