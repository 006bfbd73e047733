// store_calls: what one store call costs on each engine, side by side in one run — the calls a device's datapoint
// POST and a commands.json poll make (record_value, find_device_by_dsn, take_queued), on a SQLite file in a temp
// dir and on a PostgreSQL server on loopback started for the run (scripts/postgres-fixture.sh). The engines are
// called synchronously on ads-sim's loop; this is the figure that says what that costs.
//   build/bin/store_calls [CALLS]   (default 2000 per call kind)
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "ads_sim/store/pg_store.hpp"
#include "ads_sim/store/sqlite_store.hpp"
#include "bench_stats.hpp"
#include "harness/harness.hpp"
#include "harness/postgres_database.hpp"

namespace {

const std::string fixture_script = std::string(SIM7600_SOURCE_DIR) + "/scripts/postgres-fixture.sh";

void print(const char* engine, const char* call, const bench::figures& f) {
  std::printf("%-10s %-20s p50 %7.1f us  p99 %7.1f us  %8.0f calls/s\n", engine, call, f.p50_us, f.p99_us,
              f.per_second);
}

void measure_engine(const char* engine, ads_sim::store& db, int calls) {
  if (!db.oems().insert_oem({"oem1", "OEM", "a@b.c", "s"}, "t0")) throw std::runtime_error("insert_oem");
  ads_sim::device_record wanted;
  wanted.oem_id = "oem1";
  wanted.model = "m1";
  wanted.public_key = "pub";
  wanted.private_key_pem = "priv";
  const auto device = db.devices().insert_device(wanted, "t0");
  if (!device) throw std::runtime_error("insert_device");
  int value = 0;
  print(engine, "find_device_by_dsn", bench::measure(calls, [&] { (void)db.devices().find_device_by_dsn(device->dsn); }));
  print(engine, "record_value", bench::measure(calls, [&] {
          ads_sim::property_record property;
          property.device_key = device->key;
          property.name = "temp";
          property.type = ads_sim::base_type::integer;
          property.value_json = std::to_string(++value);
          if (!db.properties().record_value(property, "{}", "t1")) throw std::runtime_error("record_value");
        }));
  print(engine, "queue+take_queued", bench::measure(calls, [&] {
          (void)db.properties().queue_property(device->key, "temp", "t2");
          (void)db.properties().take_queued(device->key, 16);
        }));
}

int run(int argc, char** argv) {
  const int calls = argc > 1 ? std::max(100, std::atoi(argv[1])) : 2000;
  e2e::temp_dir dir;
  {
    auto sqlite = ads_sim::open_sqlite_store(dir.path() / "ads.db");
    if (!sqlite) throw std::runtime_error(sqlite.error());
    measure_engine("sqlite", **sqlite, calls);
  }
  const auto started = e2e::run_to_exit(fixture_script, {"start", (dir.path() / "pg").string()}, std::chrono::seconds(60));
  if (started.exit_code != 0) throw std::runtime_error("postgres-fixture.sh start: " + started.err);
  {
    std::string url = e2e::file_contents(dir.path() / "pg" / "url");
    url.erase(url.find_last_not_of('\n') + 1);
    e2e::postgres_database database(url);
    auto pg = ads_sim::open_pg_store(database.url());
    if (!pg) throw std::runtime_error(pg.error());
    measure_engine("postgresql", **pg, calls);
  }
  e2e::run_to_exit(fixture_script, {"stop", (dir.path() / "pg").string()}, std::chrono::seconds(60));
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return bench::run_main("store_calls", argc, argv, run); }
