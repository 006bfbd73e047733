// Two ads-sim replicas on one PostgreSQL database (SPEC §10): one data folder (one CA and certificate), any replica
// answers any request: replica A shows a module whose cloud session and ANS registration are on replica B as
// listening, and a to-device property set through A reaches it, as +ADA: "p" on its AT port.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "e2e_helpers.hpp"
#include "harness/cloud_fixtures.hpp"
#include "harness/postgres_database.hpp"

using namespace e2e;

namespace {

// Waits (with a deadline) until `replica`'s admin API says the device holds an ANS registration (with any replica):
// from then on a change reaches the module only through ANS, not through the catch-up GET that follows a
// registration.
bool listening_on(const device_service& replica, const std::string& dsn) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    const auto device = admin_of(replica).get("/devices/" + dsn);
    if (device.status == 200 && device.body.value("listening", false)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // a poll interval, not a wait for the event
  }
  return false;
}

}  // namespace

TEST_CASE("replicas: a to-device set through one replica reaches a module connected to the other",
          "[e2e][cloud][postgres][replicas]") {
  e2e::postgres_database database;
  device_service a({"--db", database.url()});
  device_service b(a, {"--db", database.url()});
  REQUIRE(a.url() != b.url());

  // The devices are made through A; the module knows only B.
  const auto device = make_factory_devices(admin_of(a), "0e7700b2").front();
  const auto m = module_for(b, device);
  auto& port = m->port;
  enable_and_listen(port);
  REQUIRE(listening_on(b, device.dsn));
  // The registration is B's; A answers the same, from the database.
  CHECK(listening_on(a, device.dsn));

  const auto set = admin_of(a).put("/devices/" + device.dsn + "/properties/Blue_LED",
                                   {{"value", 1}, {"base_type", "boolean"}});
  REQUIRE(set.status == 200);
  // Across two processes and PostgreSQL: a deadline for a loaded machine and a sanitized build.
  CHECK(port.read_until("\r\n+ADA: \"p\",\"Blue_LED\",\"b\",1\r\n", 30s)
            .ends_with("\r\n+ADA: \"p\",\"Blue_LED\",\"b\",1\r\n"));

  // And back: what the module sends through B, A's admin API reads.
  CHECK(port.command("AT+ADA=\"s\",\"temp\",\"i\",\"21\"") == echoed("AT+ADA=\"s\",\"temp\",\"i\",\"21\"", "\r\nOK\r\n"));
  CHECK(port.read_until("\r\n+ADA: \"s\",\"temp\",\"status\",0\r\n")
            .ends_with("\r\n+ADA: \"s\",\"temp\",\"status\",0\r\n"));
  const auto read = admin_of(a).get("/devices/" + device.dsn + "/properties/temp/datapoints");
  REQUIRE(read.status == 200);
  const auto& list = read.body.at("datapoints");
  REQUIRE(list.size() == 1);
  CHECK(list.at(0).at("value") == 21);
}
