#include "fleet/fleet_runner.hpp"

#include <unistd.h>

#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <csignal>
#include <fstream>
#include <iostream>
#include <future>
#include <mutex>
#include <set>

#include "ads_client/base64.hpp"
#include "common/descriptor_limit.hpp"
#include "common/random_bytes.hpp"
#include "common/read_file.hpp"
#include "emulator/embedded_service.hpp"
#include "fleet/device_roster.hpp"
#include "fleet/fleet_faults.hpp"
#include "fleet/fleet_loops.hpp"
#include "fleet/fleet_module.hpp"
#include "fleet/fleet_plan.hpp"
#include "fleet/fleet_progress.hpp"
#include "fleet/model_names.hpp"
#include "fleet/fleet_report.hpp"
#include "fleet/fleet_scenarios.hpp"
#include "fleet/source_ports.hpp"

namespace fleet {

namespace asio = boost::asio;
using nlohmann::json;
using clock = std::chrono::steady_clock;

namespace {

// File descriptors one module may hold at once: its cloud connections (control, poll, download, an image host),
// its ANS socket, a TCP/IP socket of its own; with the embedded service, the service's ends of the same.
constexpr std::size_t descriptors_per_module = 6;
constexpr std::size_t descriptors_per_module_embedded = 11;
constexpr std::size_t most_scenarios_at_once = 16;  // threads for scenario groups' blocking steps
constexpr std::size_t descriptors_spare = 256;  // the process's own: loops, files, the service's listeners
// How often the loops are asked for their modules' state (progress, the end) and the jobs' counters read.
constexpr milliseconds census_period{500};
constexpr milliseconds job_poll_period{1000};
// NV saves still running when the fleet stops get this long before the process goes anyway.
constexpr std::chrono::seconds stop_limit{30};

// The modules' phases counted, and whether every one is where the file expects it to end.
struct census {
  fleet_counts counts;
  std::size_t settled = 0;
};

bool ota_settled(ota_expectation expected, ota_state state) {
  switch (expected) {
    case ota_expectation::none: return state != ota_state::in_progress;
    case ota_expectation::any: return state != ota_state::in_progress;
    case ota_expectation::succeeded:
    case ota_expectation::failed: return state == ota_state::succeeded || state == ota_state::failed;
  }
  return true;
}

bool ota_as_expected(ota_expectation expected, ota_state state) {
  switch (expected) {
    case ota_expectation::none:
    case ota_expectation::any: return true;
    case ota_expectation::succeeded: return state == ota_state::succeeded;
    case ota_expectation::failed: return state == ota_state::failed;
  }
  return true;
}

bool resting(host_phase phase) {
  return phase == host_phase::listening || phase == host_phase::failed || phase == host_phase::silent;
}

// One module counted in the live status.
void count(fleet_counts& counts, host_phase phase, const bring_up_host* host) {
  ++counts.total;
  switch (phase) {
    case host_phase::booting:
    case host_phase::starting:
    case host_phase::enabling: ++counts.booting; break;
    case host_phase::connecting: ++counts.connecting; break;
    case host_phase::listening: ++counts.listening; break;
    case host_phase::ota_downloading: ++counts.listening, ++counts.ota_downloading; break;
    case host_phase::ota_applying: ++counts.ota_applying; break;
    case host_phase::failed: ++counts.failed; break;
    case host_phase::silent: ++counts.silent; break;
  }
  if (!host) return;
  for (const ota_outcome* ota : {&host->module_ota(), &host->host_ota()}) {
    if (ota->state == ota_state::succeeded) ++counts.ota_succeeded;
    if (ota->state == ota_state::failed) ++counts.ota_failed;
  }
  counts.errors += host->counters().retries + host->counters().properties_refused;
}

void add(fleet_counts& into, const fleet_counts& more) {
  into.total += more.total;
  into.booting += more.booting;
  into.connecting += more.connecting;
  into.listening += more.listening;
  into.ota_downloading += more.ota_downloading;
  into.ota_applying += more.ota_applying;
  into.ota_succeeded += more.ota_succeeded;
  into.ota_failed += more.ota_failed;
  into.failed += more.failed;
  into.silent += more.silent;
  into.errors += more.errors;
}

}  // namespace

struct fleet_runner::state {
  fleet_options options;
  fleet_file file;
  bool file_given;
  fleet_plan plan;
  std::unique_ptr<sim7600_emu::embedded_service> embedded;
  std::optional<ads_admin::service_endpoint> endpoint;
  std::size_t source_addresses = 1;  // loopback addresses the modules connect from (source_ports.hpp)
  std::unique_ptr<ads_admin::admin_session> admin;  // used on admin_worker only once the loops run
  std::vector<roster_module> roster;
  asio::thread_pool nv_workers{2};
  asio::io_context main_io{1};
  asio::thread_pool admin_worker{1};
  std::unique_ptr<fleet_loops> loops;
  std::vector<std::unique_ptr<fleet_module>> modules;
  // Per module, the faults of the file waiting for an OTA phase of its host (touched on the module's loop only).
  std::vector<std::vector<std::size_t>> phase_faults;
  // Per fault: modules struck, and those the world refused (e.g. no SIM to remove).
  std::vector<std::atomic<std::size_t>> struck;
  std::vector<std::atomic<std::size_t>> refused;

  clock::time_point started = clock::now();
  std::chrono::system_clock::time_point started_wall = std::chrono::system_clock::now();
  std::optional<clock::time_point> ready_at;
  census last_census;
  mutable std::mutex jobs_mutex;  // guards what the admin worker learns of the jobs
  json jobs = json::object();                 // "module"/"host" -> the service's <job>
  std::vector<std::string> campaign_errors;   // a job the service refused
  std::size_t campaigns_pending = 0;          // jobs still to start
  milliseconds faults_end{0};                 // after the ready line, when the last time fault has ended
  bool stopping = false;
  bool cut_short = false;
  progress_printer progress;
  asio::steady_timer census_timer{main_io};
  asio::steady_timer deadline{main_io};
  asio::signal_set signals{main_io, SIGINT, SIGTERM};
  std::vector<std::unique_ptr<asio::steady_timer>> fault_timers;
  // Scenario groups: their files by group, the service their cases talk to, each module's end (guarded: set by the
  // scenario workers, read by the census), and the threads their blocking steps run on.
  std::map<std::size_t, scenario::scenario_file> group_scenarios;
  scenario_cloud scenario_service;
  std::mutex scenario_mutex;
  std::vector<std::optional<scenario_end>> scenario_ends;
  std::unique_ptr<asio::thread_pool> scenario_workers;

  state(fleet_options o, fleet_file f, bool given)
      : options(std::move(o)),
        file(std::move(f)),
        file_given(given),
        struck(file.faults.size()),
        refused(file.faults.size()),
        progress(::isatty(options.json ? STDERR_FILENO : STDOUT_FILENO) == 1 ? progress_printer::output::terminal
                                                                             : progress_printer::output::plain) {}

  // Messages and the ready line go to stdout, unless --json keeps it for the summary; the live status goes with
  // them, so a terminal shows one story.
  std::ostream& out() { return options.json ? std::cerr : std::cout; }
  std::ostream& status() { return out(); }
  milliseconds elapsed() const { return std::chrono::duration_cast<milliseconds>(clock::now() - started); }
  // The modules this process runs: --count, or this shard's part of it.
  std::size_t modules_here() const {
    return options.shard ? shard_members(options.count, *options.shard).size() : options.count;
  }

  common::outcome<common::done> raise_descriptor_limit();
  void plan_source_addresses();
  void start_scenario(std::size_t module, std::size_t scenario_case);
  std::optional<scenario_end> scenario_end_of(std::size_t module);
  bool scenario_ended(std::size_t module);
  common::outcome<common::done> open_service();
  common::outcome<common::done> make_modules();
  void on_phase(fleet_module& module, host_phase before, host_phase now);
  void take_census();
  void on_census(const census& now);
  void on_ready();
  void start_campaign(const std::string& type, const ota_campaign& campaign);
  void poll_jobs();
  void schedule_time_faults();
  void strike_on_loop(std::size_t module, std::size_t fault);
  bool finished(const census& now) const;
  // Until every module's NV saves are done (each loop checks its own), or `give_up`.
  void wait_for_saves(clock::time_point give_up);
  void begin_stop(bool by_signal);
  std::vector<module_outcome> outcomes();
  int report(std::vector<module_outcome> results);
  bool write_text(const std::string& path, const std::string& text);
};

fleet_runner::fleet_runner(fleet_options options, fleet_file file) {
  const bool given = options.fleet_file.has_value();
  state_ = std::make_unique<state>(std::move(options), std::move(file), given);
}

fleet_runner::~fleet_runner() = default;

common::outcome<common::done> fleet_runner::state::raise_descriptor_limit() {
  const std::size_t per = options.ads_url ? descriptors_per_module : descriptors_per_module_embedded;
  const auto raised = common::raise_descriptor_limit(per * modules_here() + descriptors_spare,
                                                     std::to_string(modules_here()) + " modules need");
  if (!raised) return raised.error();
  return common::done{};
}

// Modules too many for one address's source ports toward a loopback service connect from several; toward a
// service elsewhere the fleet is not refused (its modules seldom all hold every connection at once), but told once
// what would fail and why.
void fleet_runner::state::plan_source_addresses() {
  const auto text = common::read_file("/proc/sys/net/ipv4/ip_local_port_range");
  if (!text) return;  // not Linux's /proc: nothing known to plan with
  const auto range = parse_port_range(*text);
  if (!range) return;
  const source_plan plan = fleet::plan_source_addresses(*range, modules_here(), endpoint->url.host, endpoint->url.port);
  source_addresses = plan.addresses;
  if (plan.line) std::cerr << "sim7600-fleet: " << *plan.line << std::endl;
}

common::outcome<common::done> fleet_runner::state::open_service() {
  ads_admin::service_source source;
  if (options.ads_url) {
    const auto url = ads_admin::parse_https_url(*options.ads_url);
    if (!url) return common::failure{"--ads-url wants https://HOST[:PORT], got '" + *options.ads_url + "'"};
    ads_admin::explicit_service service;
    service.url = *url;
    service.ca_file = options.ads_ca.value_or("");
    service.token_file = *options.admin_token_file;
    source = service;
  } else {
    std::error_code ec;
    std::filesystem::create_directories(options.state_dir, ec);
    auto started = sim7600_emu::embedded_service::start(options.state_dir, std::nullopt, modules_here());
    if (!started) return started.error();
    embedded = std::move(started).value();
    out() << "sim7600-fleet: embedded device service " << embedded->url()
          << " (admin: ads-admin --service-dir " << embedded->data_dir().string() << ")" << std::endl;
    source = ads_admin::service_directory{embedded->data_dir()};
  }
  auto resolved = ads_admin::resolve_endpoint(source);
  if (!resolved) return resolved.error();
  endpoint = std::move(resolved).value();
  admin = std::make_unique<ads_admin::admin_session>(*endpoint);
  return common::done{};
}

common::outcome<common::done> fleet_runner::state::make_modules() {
  roster_request request;
  request.state_dir = options.state_dir;
  request.count = options.count;
  request.shard = options.shard;
  request.oem = options.oem;
  request.model = options.model;
  if (embedded) {
    const auto& id = embedded->identity();
    request.service_default_oem = fleet_oem{id.oem_id, id.oem_secret, options.model, id.region, std::nullopt};
  }
  request.progress = [this](const std::string& line) { out() << "sim7600-fleet: " << line << std::endl; };
  auto made = build_roster(request, *admin);
  if (!made) return made.error();
  roster = std::move(made).value();
  for (const auto& [dsn, path] : options.ports) {
    if (std::none_of(roster.begin(), roster.end(), [&](const roster_module& m) { return m.dsn == dsn; }))
      return common::failure{"--port " + dsn + ": the fleet runs no module with that DSN"};
  }

  // The whole fleet's plan, then this shard's part of it: the shards together run exactly the unsharded plan.
  auto planned = plan_fleet(file, options.count, options.seed);
  if (!planned) return common::failure{planned.error()};
  plan = options.shard ? plan_of_members(planned.value(), shard_members(options.count, *options.shard))
                       : std::move(planned).value();
  phase_faults.resize(roster.size());
  for (std::size_t f = 0; f < file.faults.size(); ++f) {
    if (!file.faults[f].when.phase) continue;
    for (const std::size_t m : plan.fault_hits[f]) phase_faults[m].push_back(f);
  }

  const auto cores = std::max(1u, std::thread::hardware_concurrency());
  loops = std::make_unique<fleet_loops>(std::min<std::size_t>(cores, roster.size()));
  sim7600_emu::service_address address{endpoint->url.host, endpoint->url.port};
  for (std::size_t i = 0; i < roster.size(); ++i) {
    const module_plan& mine = plan.modules[i];
    auto module = std::make_unique<fleet_module>(
        loops->loop(i), roster[i].dsn, i, mine.group, file.groups[mine.group], mine.seed,
        [this](fleet_module& m, host_phase before, host_phase now) { on_phase(m, before, now); });
    sim7600_emu::module_host_settings settings;
    settings.state_dir = roster[i].state_dir;
    settings.module.network_auto = true;  // an always-on profile: start, enable, l connect at once
    settings.module.boot_delay = std::chrono::milliseconds(2000);
    settings.cloud = address;
    settings.cloud.source = module_source_address(i, source_addresses);
    settings.ca_file = endpoint->ca_file.string();
    settings.log_name = "sim7600-fleet: " + roster[i].dsn;
    std::optional<std::string> port;
    const auto given = options.ports.find(roster[i].dsn);
    if (given != options.ports.end()) port = given->second;
    // A scenario group's module gets a loopback port of its own (unless a person was given it with --port).
    const bool scenario_host = !port && group_scenarios.contains(mine.group);
    if (scenario_host) port = "127.0.0.1:0";
    if (auto opened = module->open(nv_workers, std::move(settings), port); !opened)
      return common::failure{roster[i].dsn + ": " + opened.error().reason};
    if (given != options.ports.end())
      out() << "sim7600-fleet: " << roster[i].dsn << " on " << module->port_description() << std::endl;
    if (scenario_host) module->when_booted([this, i] { start_scenario(i, 0); });
    modules.push_back(std::move(module));
  }
  scenario_ends.resize(modules.size());
  if (!group_scenarios.empty()) {
    scenario_service.url = "https://" + endpoint->url.host + ":" + endpoint->url.port;
    scenario_service.ca_file = endpoint->ca_file.string();
    scenario_service.token_file = options.admin_token_file ? *options.admin_token_file
                                                           : (embedded->data_dir() / "admin-token").string();
    const auto running = std::count_if(modules.begin(), modules.end(), [](const auto& m) { return m->runs_scenario(); });
    scenario_workers = std::make_unique<asio::thread_pool>(std::clamp<std::size_t>(running, 1, most_scenarios_at_once));
  }
  return common::done{};
}

// On the module's loop, once it has booted: one case of its group's file runs on a scenario worker (the steps
// block); after a passed case the module is power-cycled and, booted again, takes the next.
void fleet_runner::state::start_scenario(std::size_t module, std::size_t scenario_case) {
  const fleet_module& m = *modules[module];
  asio::post(*scenario_workers, [this, module, scenario_case, file = &group_scenarios.at(m.group()),
                                 address = m.tcp_address(), dsn = m.dsn()] {
    scenario_end end = run_scenario_case(*file, scenario_case, address, dsn, scenario_service);
    if (end.passed && scenario_case + 1 < file->cases.size()) {
      asio::post(loops->loop(module), [this, module, next = scenario_case + 1] {
        modules[module]->restart([this, module, next] { start_scenario(module, next); });
      });
      return;
    }
    std::lock_guard lock(scenario_mutex);
    scenario_ends[module] = std::move(end);
  });
}

std::optional<scenario_end> fleet_runner::state::scenario_end_of(std::size_t module) {
  std::lock_guard lock(scenario_mutex);
  return scenario_ends[module];
}

// For the census, twice a second: whether it ended, without copying its transcript.
bool fleet_runner::state::scenario_ended(std::size_t module) {
  std::lock_guard lock(scenario_mutex);
  return scenario_ends[module].has_value();
}

void fleet_runner::state::on_phase(fleet_module& module, host_phase, host_phase now) {
  if (now != host_phase::ota_downloading && now != host_phase::ota_applying) return;
  const ota_phase phase = now == host_phase::ota_downloading ? ota_phase::downloading : ota_phase::applying;
  auto& waiting = phase_faults[module.index()];
  for (auto it = waiting.begin(); it != waiting.end();) {
    const fault& f = file.faults[*it];
    if (f.when.phase != phase) {
      ++it;
      continue;
    }
    ++struck[*it];
    if (strike(loops->loop(module.index()), module, f)) ++refused[*it];
    it = waiting.erase(it);  // once per module
  }
}

// Every loop counts its own modules (their state is only ever touched there); the sum comes back to main_io.
void fleet_runner::state::take_census() {
  auto total = std::make_shared<census>();
  auto remaining = std::make_shared<std::atomic<std::size_t>>(loops->size());
  auto mutex = std::make_shared<std::mutex>();
  for (std::size_t l = 0; l < loops->size(); ++l) {
    asio::post(loops->loop(l), [this, l, total, remaining, mutex] {
      census mine;
      for (std::size_t i = l; i < modules.size(); i += loops->size()) {
        const fleet_module& m = *modules[i];
        const bring_up_host* host = m.behaviour();
        count(mine.counts, m.phase(), host);
        if (m.runs_scenario()) {
          if (scenario_ended(i)) ++mine.settled;  // its scenario has ended, passed or not
          continue;
        }
        if (!host || !m.crash().empty()) {
          ++mine.settled;  // a person drives it (not judged), or its host stopped by throwing (judged at the end)
          continue;
        }
        const expectation& expect = plan.modules[i].expect;
        if (resting(m.phase()) && ota_settled(expect.module_ota, host->module_ota().state) &&
            ota_settled(expect.host_ota, host->host_ota().state))
          ++mine.settled;
      }
      {
        std::lock_guard lock(*mutex);
        add(total->counts, mine.counts);
        total->settled += mine.settled;
      }
      if (--*remaining == 0) asio::post(main_io, [this, total] { on_census(*total); });
    });
  }
}

void fleet_runner::state::on_census(const census& now) {
  last_census = now;
  if (stopping) return;
  status() << progress.update(now.counts, elapsed()) << std::flush;
  if (!ready_at && now.counts.listening == modules.size()) on_ready();
  if (file_given && ready_at && finished(now)) return begin_stop(false);
  census_timer.expires_after(census_period);
  census_timer.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) take_census();
  });
}

void fleet_runner::state::on_ready() {
  ready_at = clock::now();
  status() << progress.clear_line();
  out() << "sim7600-fleet ready: " << modules.size() << " modules listening" << std::endl;
  if (!file_given) return;
  schedule_time_faults();
  if (file.jobs.module_ota) start_campaign("module", *file.jobs.module_ota);
  if (file.jobs.host_ota) start_campaign("host", *file.jobs.host_ota);
}

void fleet_runner::state::start_campaign(const std::string& type, const ota_campaign& campaign) {
  ++campaigns_pending;
  auto timer = std::make_unique<asio::steady_timer>(main_io, campaign.after);
  timer->async_wait([this, type, campaign](const boost::system::error_code& ec) {
    if (ec) return;
    asio::post(admin_worker, [this, type, campaign] {
      const std::string image = common::random_bytes(campaign.size);
      std::string failure;
      // Through a load balancer a replica may die under a call: each is made again until a replica answers.
      const auto uploaded = admin->call_retrying("POST", "/images",
                                        json{{"type", type},
                                             {"model", "SIMCOM_SIM7600E-L1C"},
                                             {"version", campaign.version},
                                             {"data_base64", ads_client::base64_encode(image)}});
      json job;
      if (!uploaded.ok()) {
        failure = "upload the " + type + " image: " + uploaded.failure_reason();
      } else {
        // The running modules whose group takes this OTA, by DSN: the model may have more devices (a bigger fleet
        // made in this state dir), and a module that never takes the offer would keep the job from completing.
        json dsns = json::array();
        for (std::size_t i = 0; i < roster.size(); ++i) {
          const group& its = file.groups[plan.modules[i].group];
          if (type == "module" ? its.module_ota.has_value() : its.host_ota.has_value()) dsns.push_back(roster[i].dsn);
        }
        const auto created = admin->call_retrying(
            "POST", "/ota_jobs", json{{"image_id", uploaded.body.value("image_id", 0)}, {"dsns", dsns}});
        if (!created.ok()) {
          failure = "make the " + type + " OTA job: " + created.failure_reason();
        } else {
          const auto id = std::to_string(created.body.value("job_id", 0));
          auto started = admin->call_retrying("POST", "/ota_jobs/" + id + "/start", json::object());
          // 409: an earlier sending of this start did start the job, though its answer was lost (a replica died
          // under it, or the client sent it again on a kept-alive connection that broke). The job is ours, just
          // made: it runs, so read it.
          if (started.status == 409)
            started = admin->call_retrying("GET", "/ota_jobs/" + id, std::nullopt);
          if (!started.ok()) failure = "start the " + type + " OTA job: " + started.failure_reason();
          job = started.body;
        }
      }
      asio::post(main_io, [this, type, job, failure] {
        --campaigns_pending;
        if (!failure.empty()) {
          std::cerr << "sim7600-fleet: cannot " << failure << std::endl;
          campaign_errors.push_back(failure);
          return;
        }
        {
          std::lock_guard lock(jobs_mutex);
          jobs[type] = job;
        }
        poll_jobs();
      });
    });
  });
  fault_timers.push_back(std::move(timer));
}

// The jobs' counters as the service keeps them, read on the admin worker, for the progress line and the summary.
void fleet_runner::state::poll_jobs() {
  if (stopping) return;
  asio::post(admin_worker, [this] {
    json known;
    {
      std::lock_guard lock(jobs_mutex);
      known = jobs;
    }
    for (auto& [type, job] : known.items()) {
      const auto reply = admin->call("GET", "/ota_jobs/" + std::to_string(job.value("job_id", 0)), std::nullopt);
      if (reply.ok()) {
        std::lock_guard lock(jobs_mutex);
        jobs[type] = reply.body;
      }
    }
    asio::post(main_io, [this] {
      auto timer = std::make_shared<asio::steady_timer>(main_io, job_poll_period);
      timer->async_wait([this, timer](const boost::system::error_code& ec) {
        if (!ec) poll_jobs();
      });
    });
  });
}

void fleet_runner::state::schedule_time_faults() {
  for (std::size_t f = 0; f < file.faults.size(); ++f) {
    const fault& one = file.faults[f];
    if (!one.when.at) continue;
    faults_end = std::max(faults_end, *one.when.at + one.lasting);
    auto timer = std::make_unique<asio::steady_timer>(main_io, *one.when.at);
    timer->async_wait([this, f](const boost::system::error_code& ec) {
      if (ec || stopping) return;
      for (const std::size_t m : plan.fault_hits[f]) strike_on_loop(m, f);
    });
    fault_timers.push_back(std::move(timer));
  }
}

void fleet_runner::state::strike_on_loop(std::size_t module, std::size_t f) {
  asio::post(loops->loop(module), [this, module, f] {
    ++struck[f];
    if (strike(loops->loop(module), *modules[module], file.faults[f])) ++refused[f];
  });
}

bool fleet_runner::state::finished(const census& now) const {
  if (now.settled < modules.size() || campaigns_pending > 0) return false;
  if (clock::now() - *ready_at < faults_end) return false;  // a fault still to strike or to end
  std::lock_guard lock(jobs_mutex);
  for (const auto& [type, job] : jobs.items())
    if (job.value("status", "") != "completed") return false;
  return true;
}

void fleet_runner::state::begin_stop(bool by_signal) {
  if (stopping) return;
  stopping = true;
  cut_short = by_signal && file_given;  // a run cut short did not end as its file expects
  census_timer.cancel();
  deadline.cancel();
  signals.cancel();
  for (auto& timer : fault_timers) timer->cancel();
  main_io.stop();
}

// One loop's modules checked until none has a save in flight; the timer's handler keeps it alive meanwhile.
struct loop_quiet_wait : std::enable_shared_from_this<loop_quiet_wait> {
  loop_quiet_wait(asio::io_context& loop, std::vector<fleet_module*> modules)
      : timer(loop), modules(std::move(modules)) {}
  void check() {
    for (const fleet_module* m : modules) {
      if (m->quiet()) continue;
      timer.expires_after(std::chrono::milliseconds(10));
      timer.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
        if (!ec) self->check();
      });
      return;
    }
    done.set_value();
  }
  asio::steady_timer timer;
  std::vector<fleet_module*> modules;
  std::promise<void> done;
};

void fleet_runner::state::wait_for_saves(clock::time_point give_up) {
  std::vector<std::future<void>> loops_quiet;
  for (std::size_t l = 0; l < loops->size(); ++l) {
    std::vector<fleet_module*> mine;
    for (std::size_t i = l; i < modules.size(); i += loops->size()) mine.push_back(modules[i].get());
    auto wait = std::make_shared<loop_quiet_wait>(loops->loop(l), std::move(mine));
    loops_quiet.push_back(wait->done.get_future());
    asio::post(loops->loop(l), [wait] { wait->check(); });
  }
  for (auto& quiet : loops_quiet) quiet.wait_until(give_up);
}

namespace {

ota_result result_of(const ota_outcome& ota) {
  switch (ota.state) {
    case ota_state::succeeded: return {ota_end::succeeded, {}};
    case ota_state::failed: return {ota_end::failed, ota.reason};
    case ota_state::in_progress: return {ota_end::none, "still in progress"};
    case ota_state::none: break;
  }
  return {};
}

std::string ota_state_word(ota_state state) {
  switch (state) {
    case ota_state::none: return "none";
    case ota_state::in_progress: return "in progress";
    case ota_state::succeeded: return "succeeded";
    case ota_state::failed: return "failed";
  }
  return "unknown";
}

// Why a module did not end as expected, or empty when it did.
std::string shortfall(const expectation& expect, host_phase phase, const bring_up_host& host) {
  if (expect.listening && phase != host_phase::listening) {
    std::string why = "not listening at the end (" + std::string(host_phase_name(phase)) + ")";
    if (!host.failure_reason().empty()) why += ": " + host.failure_reason();
    return why;
  }
  const std::pair<const char*, std::pair<ota_expectation, const ota_outcome*>> otas[] = {
      {"module", {expect.module_ota, &host.module_ota()}}, {"host", {expect.host_ota, &host.host_ota()}}};
  for (const auto& [which, pair] : otas) {
    const auto& [expected, outcome] = pair;
    if (ota_as_expected(expected, outcome->state)) continue;
    return std::string(which) + " OTA " + std::string(word_of(expected, ota_expectation_words)) + " expected, " +
           ota_state_word(outcome->state) + (outcome->reason.empty() ? "" : ": " + outcome->reason);
  }
  return {};
}

std::optional<ota_job_counters> job_counters(const json& jobs, const char* type) {
  if (!jobs.contains(type)) return std::nullopt;
  const json& job = jobs[type];
  return ota_job_counters{job.value("total", std::uint64_t{0}), job.value("processing", std::uint64_t{0}),
                          job.value("succeeded", std::uint64_t{0}), job.value("failed", std::uint64_t{0})};
}

}  // namespace

std::vector<module_outcome> fleet_runner::state::outcomes() {
  std::vector<module_outcome> results(modules.size());
  // The loops are stopped: every module's state is safe to read from here.
  for (std::size_t f = 0; f < file.faults.size(); ++f)
    for (const std::size_t m : plan.fault_hits[f])
      results[m].faults.emplace_back(word_of(file.faults[f].kind, fault_kind_words));
  for (std::size_t i = 0; i < modules.size(); ++i) {
    const fleet_module& m = *modules[i];
    module_outcome& out = results[i];
    out.dsn = m.dsn();
    out.group = file.groups[m.group()].name;
    const bring_up_host* host = m.behaviour();
    if (m.runs_scenario()) {
      const auto end = scenario_end_of(i);
      out.listening = m.phase() == host_phase::listening;
      out.as_expected = end && end->passed;
      out.reason = !end ? "its scenario did not end (the run ended first)" : end->reason;
      if (!out.as_expected) out.transcript = end ? end->transcript : m.transcript();
      continue;
    }
    if (!host) {  // a person drove it (--port): not judged
      out.as_expected = true;
      out.listening = true;
      continue;
    }
    out.listening = m.phase() == host_phase::listening;
    out.module_ota = result_of(host->module_ota());
    out.host_ota = result_of(host->host_ota());
    const host_counters& c = host->counters();
    out.counters = {c.properties_sent, c.properties_acked, c.to_device_read, c.retries};
    out.reason = m.crash().empty() ? shortfall(plan.modules[i].expect, m.phase(), *host) : m.crash();
    out.as_expected = out.reason.empty();
    if (!out.as_expected) out.transcript = m.transcript();
  }
  return results;
}

int fleet_runner::state::report(std::vector<module_outcome> results) {
  fleet_run run;
  run.name = file.name;
  run.seed = options.seed;
  run.shard = options.shard;
  run.fleet_count = options.count;
  run.started = started_wall;
  run.duration = elapsed();
  run.counts = last_census.counts;
  {
    std::lock_guard lock(jobs_mutex);
    run.module_job = job_counters(jobs, "module");
    run.host_job = job_counters(jobs, "host");
  }
  for (const group& g : file.groups) run.groups.push_back(g.name);
  for (const fault& f : file.faults) run.faults.emplace_back(word_of(f.kind, fault_kind_words));
  run.modules = std::move(results);
  bool all_as_expected = campaign_errors.empty() && !cut_short;
  for (const module_outcome& m : run.modules) all_as_expected = all_as_expected && m.as_expected;

  json summary = summary_json(run);
  // Each fault of the file: how many modules the plan chose, how many it struck (an OTA-phase fault strikes only a
  // module that reached the phase), and how many of those the world refused (no SIM left to remove, say).
  json fault_plan = json::array();
  for (std::size_t f = 0; f < file.faults.size(); ++f)
    fault_plan.push_back({{"fault", word_of(file.faults[f].kind, fault_kind_words)},
                          {"line", file.faults[f].line},
                          {"chosen", plan.fault_hits[f].size()},
                          {"struck", struck[f].load()},
                          {"refused", refused[f].load()}});
  summary["fault_plan"] = fault_plan;
  if (!campaign_errors.empty()) summary["campaign_errors"] = campaign_errors;
  if (cut_short) summary["cut_short"] = true;
  summary["passed"] = all_as_expected;
  const std::string text = summary.dump(options.json ? -1 : 2) + "\n";
  std::cout << text << std::flush;
  int code = all_as_expected ? 0 : 1;
  if (options.summary && !write_text(*options.summary, text)) code = 1;
  if (options.junit && !write_text(*options.junit, fleet_junit(run))) code = 1;
  if (options.modules_file && !write_text(*options.modules_file, module_lines(run))) code = 1;
  return code;
}

bool fleet_runner::state::write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  if (out.flush()) return true;
  std::cerr << "sim7600-fleet: cannot write " << path << "\n";
  return false;
}

int fleet_runner::run() {
  state& s = *state_;
  std::signal(SIGPIPE, SIG_IGN);
  auto scenarios = load_group_scenarios(s.file);
  if (!scenarios) {
    std::cerr << "sim7600-fleet: " << scenarios.error().reason << "\n";
    return 2;
  }
  s.group_scenarios = std::move(scenarios).value();
  if (auto raised = s.raise_descriptor_limit(); !raised) {
    std::cerr << "sim7600-fleet: " << raised.error().reason << "\n";
    return 1;
  }
  if (auto service = s.open_service(); !service) {
    std::cerr << "sim7600-fleet: " << service.error().reason << "\n";
    return 1;
  }
  s.plan_source_addresses();
  if (auto made = s.make_modules(); !made) {
    std::cerr << "sim7600-fleet: " << made.error().reason << "\n";
    return made.error().reason.starts_with("--port") ? 2 : 1;
  }

  s.signals.async_wait([&s](const boost::system::error_code& ec, int) {
    if (!ec) s.begin_stop(true);
  });
  if (s.file_given) {
    s.deadline.expires_after(s.file.deadline);
    s.deadline.async_wait([&s](const boost::system::error_code& ec) {
      if (!ec) s.begin_stop(false);  // modules not at their end by now are reported as such
    });
  }
  s.loops->start();
  for (std::size_t i = 0; i < s.modules.size(); ++i)
    asio::post(s.loops->loop(i), [module = s.modules[i].get()] { module->power_on(); });
  s.take_census();
  s.main_io.run();

  // The end: every module stops on its loop; their NV saves complete before the loops go.
  s.status() << s.progress.finish(s.last_census.counts, s.elapsed()) << std::flush;
  for (std::size_t i = 0; i < s.modules.size(); ++i)
    asio::post(s.loops->loop(i), [module = s.modules[i].get()] { module->stop(); });
  s.wait_for_saves(clock::now() + stop_limit);
  if (s.scenario_workers) s.scenario_workers->join();  // their ports are closed: a case still running fails
  s.loops->stop_and_join();
  s.nv_workers.join();
  s.admin_worker.join();
  return s.report(s.outcomes());
}

}  // namespace fleet
