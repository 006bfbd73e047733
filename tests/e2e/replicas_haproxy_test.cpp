// Two ads-sim replicas on one PostgreSQL database behind HAProxy (issue 15, SPEC §10), as a Kubernetes Service puts
// them behind one address: a console session made on one replica is valid on the other; two fleet shards of 100
// modules each take a module OTA through HAProxy while one replica is killed (kill -9) mid-job — its devices come
// back through the other, the jobs complete with exact counters, and what the service acknowledged is stored once.
#include <catch2/catch.hpp>
#include <libpq-fe.h>

#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "harness/haproxy_proxy.hpp"
#include "harness/harness.hpp"
#include "harness/postgres_database.hpp"
#include "harness/running_program.hpp"

using namespace e2e;
using nlohmann::json;

namespace {

std::string written(const temp_dir& dir, const std::string& name, const std::string& text) {
  const std::string path = (dir.path() / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// One number a query on `database` answers (a count), or -1 when it fails.
long long counted(const postgres_database& database, const std::string& sql) {
  PGconn* conn = PQconnectdb(database.url().c_str());
  long long value = -1;
  if (PQstatus(conn) == CONNECTION_OK) {
    PGresult* answer = PQexec(conn, sql.c_str());
    if (PQresultStatus(answer) == PGRES_TUPLES_OK && PQntuples(answer) == 1) value = std::stoll(PQgetvalue(answer, 0, 0));
    PQclear(answer);
  }
  PQfinish(conn);
  return value;
}

// Blue_LED datapoints stored per device, by DSN (a device with none is absent).
std::map<std::string, long long> stored_by_dsn(const postgres_database& database) {
  PGconn* conn = PQconnectdb(database.url().c_str());
  std::map<std::string, long long> stored;
  if (PQstatus(conn) == CONNECTION_OK) {
    PGresult* answer = PQexec(conn,
                              "SELECT v.dsn, count(*) FROM datapoints d JOIN properties p ON p.id = d.property_id "
                              "JOIN devices v ON v.key = p.device_key WHERE p.name = 'Blue_LED' GROUP BY v.dsn");
    if (PQresultStatus(answer) == PGRES_TUPLES_OK)
      for (int row = 0; row < PQntuples(answer); ++row)
        stored[PQgetvalue(answer, row, 0)] = std::stoll(PQgetvalue(answer, row, 1));
    PQclear(answer);
  }
  PQfinish(conn);
  return stored;
}

// The JSON lines `sim7600-fleet --modules FILE` wrote, one object per module.
std::vector<json> module_lines_of(const std::string& file) {
  std::vector<json> lines;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line, nullptr, false));
  return lines;
}

// curl as a browser's script calls the console API: the status line, headers and body of one request.
finished_run console_call(const device_service& replica, const std::string& method, const std::string& path,
                          const std::vector<std::string>& more) {
  std::vector<std::string> args = {"-sS", "-i", "--cacert", replica.ca_file().string(), "-X", method,
                                   replica.url() + "/api/v1/console/" + path};
  args.insert(args.end(), more.begin(), more.end());
  return run_to_exit("curl", args);
}

int status_of(const finished_run& call) {
  std::smatch status;
  return std::regex_search(call.out, status, std::regex("^HTTP/[0-9.]+ ([0-9]{3})")) ? std::stoi(status[1]) : 0;
}

}  // namespace

TEST_CASE("replicas behind HAProxy: a console session from one replica is valid on the other",
          "[e2e][postgres][replicas][haproxy]") {
  temp_dir dir;
  e2e::postgres_database database;
  const std::string password = written(dir, "console-password", "maker-password-1\n");
  device_service a({"--db", database.url(), "--console-password-file", password});
  device_service b(a, {"--db", database.url(), "--console-password-file", password});

  const auto login = console_call(a, "POST", "login",
                                  {"-H", "Content-Type: application/json", "-d",
                                   R"({"email":"maker@ads-sim.local","password":"maker-password-1"})"});
  INFO(login.out << login.err);
  REQUIRE(status_of(login) == 200);
  std::smatch found;
  REQUIRE(std::regex_search(login.out, found, std::regex("Set-Cookie: ([^=]+=[^;\r\n]+)", std::regex::icase)));
  const std::string cookie = found[1];
  REQUIRE(std::regex_search(login.out, found, std::regex("\"csrf_token\":\"([^\"]+)\"")));
  const std::string csrf = found[1];

  // Replica B knows the session A made (it lives in the database), and its CSRF token.
  const auto session = console_call(b, "GET", "session", {"-H", "Cookie: " + cookie});
  INFO(session.out);
  CHECK(status_of(session) == 200);
  CHECK(session.out.find("\"csrf_token\":\"" + csrf + "\"") != std::string::npos);
  CHECK(status_of(console_call(b, "POST", "logout", {"-H", "Cookie: " + cookie})) == 403);  // no CSRF token
  CHECK(status_of(console_call(b, "POST", "logout", {"-H", "Cookie: " + cookie, "-H", "X-CSRF-Token: " + csrf})) ==
        204);
  // Signed out on B is signed out on A.
  CHECK(status_of(console_call(a, "GET", "session", {"-H", "Cookie: " + cookie})) == 401);
}

TEST_CASE("replicas behind HAProxy: two fleet shards of 100 modules take a module OTA while one replica is killed: "
          "the jobs complete, datapoints neither lost nor doubled",
          "[e2e][postgres][replicas][haproxy][fleet][alone]") {
  temp_dir dir;
  e2e::postgres_database database;
  device_service a({"--db", database.url()});
  device_service b(a, {"--db", database.url()});
  haproxy_proxy proxy(replicas_of({&a, &b}));
  const std::string token = written(dir, "admin-token", device_service::admin_token());
  const std::string file = written(
      dir, "replicas.yaml",
      "name: replicas rehearsal\n"
      "deadline: 3m\n"
      "groups:\n"
      "  - name: field units\n"
      "    properties:\n"
      "      - {name: Blue_LED, type: b, values: [0, 1], every: 2s, jitter: 20%}\n"
      "    module_ota: {}\n"
      "campaign:\n"
      "  module_ota: {version: \"LE11B01SIM7600M11_NA_OTA_191012 B01V06\", size: 16384, after: 2s}\n");
  // Everything a shard does with the service goes through HAProxy's one address, as pods reach a Service.
  const auto shard = [&](int index) {
    const std::string name = "shard" + std::to_string(index);
    return std::vector<std::string>{"--state-dir", (dir.path() / name).string(), "--count", "200", "--seed", "9",
                                    "--shard", std::to_string(index) + "/2", "--ads-url", proxy.url(),
                                    "--ads-ca", a.ca_file().string(), "--admin-token-file", token,
                                    "--summary", (dir.path() / (name + ".json")).string(),
                                    "--modules", (dir.path() / (name + ".modules")).string(), "--json", file};
  };
  running_program shard0(program_beside_me("sim7600-fleet"), shard(0));
  running_program shard1(program_beside_me("sim7600-fleet"), shard(1));

  // Mid-job: both shards' jobs are started and some of their devices are downloading or done. (A shard's admin call
  // cut by a kill is made again, tests/e2e/admin_retry_test.cpp; here the kill is aimed at the devices.)
  const auto mid_job = [&] {
    return counted(database, "SELECT count(*) FROM ota_jobs WHERE status <> 'none'") == 2 &&
           counted(database, "SELECT count(*) FROM ota_job_devices WHERE state <> 'pending'") >= 20;
  };
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(4);
  while (!mid_job() && std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // a poll interval, not a wait for the event
  REQUIRE(mid_job());
  const long long unfinished_at_kill =
      counted(database, "SELECT count(*) FROM ota_job_devices WHERE state IN ('pending', 'processing', 'downloaded')");
  a.kill_hard();
  INFO("devices of the jobs unfinished when replica A was killed: " << unfinished_at_kill);
  CHECK(unfinished_at_kill > 0);

  const int exit0 = shard0.wait(240s), exit1 = shard1.wait(240s);
  INFO(shard0.err() << shard1.err() << proxy.log_text());
  CHECK(exit0 == 0);
  CHECK(exit1 == 0);
  const finished_run merged_run =
      run_to_exit(program_beside_me("sim7600-fleet"),
                  {"merge", (dir.path() / "shard0.json").string(), (dir.path() / "shard1.json").string(), "--json"});
  INFO(merged_run.out << merged_run.err);
  REQUIRE(merged_run.exit_code == 0);
  const json merged = json::parse(merged_run.out, nullptr, false);
  REQUIRE(merged.is_object());

  // The jobs' counters, kept in the database by both replicas, add up exactly: every module took the OTA.
  CHECK(merged["modules"] == 200);
  CHECK(merged["as_expected"] == 200);
  const json& job = merged["ota_jobs"]["module"];
  CHECK(job["total"] == 200);
  CHECK(job["processing"] == 0);
  CHECK(job["succeeded"] == 200);
  CHECK(job["failed"] == 0);
  CHECK(merged["ota"]["module"]["succeeded"] == 200);
  CHECK(counted(database, "SELECT count(*) FROM ota_job_devices WHERE state = 'succeeded'") == 200);

  // Datapoints: every send the service acknowledged is stored (none lost with the killed replica), and none is
  // stored twice: never more rows than the modules sent. A send cut by the kill before its answer may or may not
  // have been stored (the module saw no acknowledgement), hence a range and not one number.
  const json& traffic = merged["traffic"];
  const long long sent = traffic["properties_sent"], acked = traffic["properties_acked"];
  const long long stored = counted(database,
                                   "SELECT count(*) FROM datapoints d JOIN properties p ON p.id = d.property_id "
                                   "WHERE p.name = 'Blue_LED'");
  INFO("sent " << sent << ", acknowledged " << acked << ", stored " << stored);
  CHECK(acked > 0);
  CHECK(stored >= acked);
  CHECK(stored <= sent);

  // The same, device by device: each module's acknowledged sends are all stored, and it has no more rows than it
  // sent. A module whose datapoint was stored twice and another lost would pass the totals, not this.
  const auto stored_per_device = stored_by_dsn(database);
  std::size_t modules_checked = 0;
  for (const std::string shard : {"shard0", "shard1"}) {
    for (const json& module : module_lines_of((dir.path() / (shard + ".modules")).string())) {
      REQUIRE(module.is_object());
      const std::string dsn = module["dsn"];
      const auto found = stored_per_device.find(dsn);
      const long long stored_here = found == stored_per_device.end() ? 0 : found->second;
      INFO(dsn << ": sent " << module["properties_sent"] << ", acknowledged " << module["properties_acked"]
               << ", stored " << stored_here);
      CHECK(stored_here >= module["properties_acked"].get<long long>());
      CHECK(stored_here <= module["properties_sent"].get<long long>());
      ++modules_checked;
    }
  }
  CHECK(modules_checked == 200);
}
