// ads-sim on PostgreSQL (SPEC §10, `--db postgresql://...`), end to end: the real ads-sim on a PostgreSQL server
// of this test's own (scripts/postgres-fixture.sh, so the test may stop it), a real sim7600-emu as the device.
// A property the module sends lands in PostgreSQL; a to-device property set through the admin API reaches the
// module as +ADA: "p"; /healthz answers 200, then 503 once the server is gone.
#include <catch2/catch.hpp>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "ads_sim/store/pg_database.hpp"
#include "e2e_helpers.hpp"
#include "harness/cloud_fixtures.hpp"
#include "harness/postgres_database.hpp"

using namespace e2e;

namespace {

const std::string fixture_script = std::string(SIM7600_SOURCE_DIR) + "/scripts/postgres-fixture.sh";

// A PostgreSQL server of this test's own, stopped (if still running) when it goes.
class own_postgres {
 public:
  own_postgres() {
    const auto started = run_to_exit(fixture_script, {"start", dir_.path().string()}, 60s);
    INFO(started.err);
    REQUIRE(started.exit_code == 0);
    url_ = slurp(dir_.path() / "url");
    url_.erase(url_.find_last_not_of('\n') + 1);
  }
  ~own_postgres() { stop(); }
  const std::string& url() const { return url_; }
  void stop() { run_to_exit(fixture_script, {"stop", dir_.path().string()}, 60s); }

 private:
  temp_dir dir_;
  std::string url_;
};

// GET /healthz with curl, as a load balancer's check would: the status and the body.
std::pair<int, nlohmann::json> healthz(const device_service& service) {
  const auto run = run_to_exit("/usr/bin/curl", {"--silent", "--cacert", service.ca_file().string(), "-w",
                                                 "\n%{http_code}", service.url() + "/healthz"},
                               30s);
  const auto split = run.out.rfind('\n');
  REQUIRE(split != std::string::npos);
  return {std::stoi(run.out.substr(split + 1)), nlohmann::json::parse(run.out.substr(0, split), nullptr, false)};
}

}  // namespace

TEST_CASE("ads-sim on PostgreSQL: a module's datapoint is stored there, a to-device set arrives, /healthz follows "
          "the database",
          "[e2e][cloud][postgres]") {
  own_postgres server;
  e2e::postgres_database database(server.url());
  device_service service({"--db", database.url()});
  const admin_client admin = admin_of(service);
  const auto device = make_factory_devices(admin, "0e7700a1").front();
  const auto m = module_for(service, device);
  auto& port = m->port;
  enable_and_listen(port);

  CHECK(port.command("AT+ADA=\"s\",\"temp\",\"i\",\"21\"") == echoed("AT+ADA=\"s\",\"temp\",\"i\",\"21\"", "\r\nOK\r\n"));
  CHECK(port.read_until("\r\n+ADA: \"s\",\"temp\",\"status\",0\r\n")
            .ends_with("\r\n+ADA: \"s\",\"temp\",\"status\",0\r\n"));
  // The datapoint is in PostgreSQL's tables, not in a SQLite file beside them.
  ads_sim::pg::connection db(database.url());
  const auto stored = db.query("SELECT d.value FROM datapoints d JOIN properties p ON p.id = d.property_id "
                               "JOIN devices v ON v.key = p.device_key WHERE v.dsn = $1 AND p.name = 'temp'",
                               device.dsn);
  REQUIRE(stored.ok());
  REQUIRE(stored.rows() == 1);
  CHECK(stored.text(0, 0) == "21");

  const auto set = admin.put("/devices/" + device.dsn + "/properties/Blue_LED", {{"value", 1}, {"base_type", "boolean"}});
  REQUIRE(set.status == 200);
  CHECK(port.read_until("\r\n+ADA: \"p\",\"Blue_LED\",\"b\",1\r\n").ends_with("\r\n+ADA: \"p\",\"Blue_LED\",\"b\",1\r\n"));

  const auto [ok_status, ok_body] = healthz(service);
  CHECK(ok_status == 200);
  CHECK(ok_body == nlohmann::json{{"status", "ok"}});

  server.stop();
  const auto [down_status, down_body] = healthz(service);
  CHECK(down_status == 503);
  CHECK(down_body.value("status", "") == "unavailable");
  CHECK(down_body.value("reason", "").find("does not answer") != std::string::npos);
}

TEST_CASE("ads-sim --db: an unreachable database or a bad URL is one line and a non-zero exit", "[e2e][postgres]") {
  temp_dir dir;
  const auto unreachable = run_to_exit(
      program_beside_me("ads-sim"),
      {"--listen", "127.0.0.1:0", "--data-dir", (dir.path() / "data").string(), "--db",
       "postgresql://ads:hunter2@127.0.0.1:1/ads?connect_timeout=2"},
      30s);
  CHECK(unreachable.exit_code != 0);
  CHECK(unreachable.err.find("hunter2") == std::string::npos);
  CHECK(unreachable.err.find("database postgresql://ads:***@127.0.0.1:1/ads") != std::string::npos);
  CHECK(std::count(unreachable.err.begin(), unreachable.err.end(), '\n') == 1);

  const auto bad = run_to_exit(program_beside_me("ads-sim"), {"--db", "mysql://h/ads"}, 30s);
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--db: not a database URL (sqlite:PATH or postgresql://...)") != std::string::npos);
}
