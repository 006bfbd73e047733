// Device metadata on the application API (PROTOCOL.md §6.2): a user's app keeps key/value strings on its device,
// in Ayla's {"datum":{...}} shapes; another user's device stays 404.
#include "ads_sim/store/sqlite_store.hpp"
#include "tests/unit/ads_sim/support.hpp"

using namespace ads_sim_test;

namespace {

json datum_body(const std::string& key, const json& value) { return json{{"datum", {{"key", key}, {"value", value}}}}; }

}  // namespace

TEST_CASE("device metadata: create, list, read, change and delete a datum", "[ads_sim][app][data]") {
  core_fixture f;
  const auto ann = make_app_user(f);
  const std::string data = "/apiv1/dsns/" + f.device.dsn + "/data";

  const auto empty = f.respond(ann.call("GET", data + ".json"));
  REQUIRE(empty.status == 200);
  CHECK(body_of(empty) == json::array());

  const auto created = f.respond(ann.call("POST", data + ".json", datum_body("room_list", "Kitchen:Hall")));
  REQUIRE(created.status == 201);
  CHECK(body_of(created)["datum"]["key"] == "room_list");
  CHECK(body_of(created)["datum"]["value"] == "Kitchen:Hall");
  CHECK(body_of(created)["datum"]["created_at"] == "2027-01-15T08:00:00Z");
  REQUIRE(f.respond(ann.call("POST", data + ".json", datum_body("a.first", "1"))).status == 201);
  CHECK(f.respond(ann.call("POST", data + ".json", datum_body("room_list", "again"))).status == 422);

  // The list, by key, as sharkiq and ayla-iot-unofficial read it ([{"datum":{"key","value"}}]).
  const auto listed = body_of(f.respond(ann.call("GET", data + ".json")));
  REQUIRE(listed.size() == 2);
  CHECK(listed[0]["datum"]["key"] == "a.first");
  CHECK(listed[1]["datum"]["value"] == "Kitchen:Hall");

  const auto later = t0 + std::chrono::seconds(90);
  const auto changed = f.respond(ann.call("PUT", data + "/room_list.json", json{{"datum", {{"value", "Den"}}}}), later);
  REQUIRE(changed.status == 200);
  CHECK(body_of(changed)["datum"]["value"] == "Den");
  CHECK(body_of(changed)["datum"]["created_at"] == "2027-01-15T08:00:00Z");
  CHECK(body_of(changed)["datum"]["updated_at"] == "2027-01-15T08:01:30Z");
  CHECK(body_of(f.respond(ann.call("GET", data + "/room_list.json")))["datum"]["value"] == "Den");

  CHECK(f.respond(ann.call("DELETE", data + "/room_list.json")).status == 200);  // Ayla's "Successfully Deleted"
  CHECK(f.respond(ann.call("GET", data + "/room_list.json")).status == 404);
  CHECK(f.respond(ann.call("DELETE", data + "/room_list.json")).status == 404);
  CHECK(f.respond(ann.call("PUT", data + "/nope.json", json{{"datum", {{"value", "x"}}}})).status == 404);
}

TEST_CASE("device metadata refuses bad keys and values, and other users' devices", "[ads_sim][app][data]") {
  core_fixture f;
  const auto ann = make_app_user(f);
  const auto bob = make_app_user(f, "bob@example.com", false);
  const std::string data = "/apiv1/dsns/" + f.device.dsn + "/data";
  REQUIRE(f.respond(ann.call("POST", data + ".json", datum_body("secret", "ann's"))).status == 201);

  CHECK(f.respond(ann.call("POST", data + ".json", datum_body("", "x"))).status == 422);
  CHECK(f.respond(ann.call("POST", data + ".json", datum_body("has space", "x"))).status == 422);
  CHECK(f.respond(ann.call("POST", data + ".json", datum_body(std::string(256, 'k'), "x"))).status == 422);
  CHECK(f.respond(ann.call("POST", data + ".json", datum_body("n", 5))).status == 422);
  CHECK(f.respond(ann.call("POST", data + ".json", datum_body("n", std::string(4097, 'v')))).status == 422);
  CHECK(f.respond(ann.call("PUT", data + "/secret.json", json{{"datum", {{"value", nullptr}}}})).status == 422);

  // Bob does not own the device: every call is 404, as for a device that does not exist, and changes nothing.
  for (const auto& [method, target] : std::vector<std::pair<std::string, std::string>>{
           {"GET", data + ".json"}, {"GET", data + "/secret.json"}, {"DELETE", data + "/secret.json"}}) {
    const auto refused = f.respond(bob.call(method, target));
    INFO(method << " " << target);
    CHECK(refused.status == 404);
    CHECK(refused.body.find("ann's") == std::string::npos);
  }
  CHECK(f.respond(bob.call("POST", data + ".json", datum_body("x", "y"))).status == 404);
  CHECK(f.respond(bob.call("PUT", data + "/secret.json", json{{"datum", {{"value", "bob's"}}}})).status == 404);
  CHECK(body_of(f.respond(ann.call("GET", data + "/secret.json")))["datum"]["value"] == "ann's");
}

TEST_CASE("a version 2 database gains the device metadata table and keeps its data", "[ads_sim][app][store]") {
  temp_dir dir;
  const auto file = dir.path() / "ads.db";
  REQUIRE(ads_sim::open_sqlite_store(file));
  {
    // What an ads-sim from before the metadata left: version 2, no device_data table (nor what later versions
    // add: the listening deadline, registration tokens), an OEM.
    ads_sim::sqlite::database old(file);
    REQUIRE(old.exec("DROP TABLE device_data; ALTER TABLE devices DROP COLUMN listening_until; "
                     "DROP TABLE registration_tokens; ALTER TABLE device_owners DROP COLUMN registration_type; "
                     "UPDATE meta SET value = '2' WHERE name = 'schema_version';"
                     "INSERT INTO oems VALUES('71866f33', 'Acme', 'a@example.com', 's', 'then');"));
  }
  ads_sim::service_core core(file, admin_token);
  REQUIRE(core.ok());
  CHECK(core.find_oem("71866f33"));
  const auto made = core.create_factory_devices("71866f33", "acmemodel", ads_sim::fresh_keys(1), t0);
  REQUIRE(made);
  const auto device = core.storage().devices().find_device_by_dsn(made->front().dsn);
  REQUIRE(device);
  CHECK(core.storage().device_data().insert_device_datum(device->key, {"k", "v", "then", "then"}));
  const auto datum = core.storage().device_data().find_device_datum(device->key, "k");
  REQUIRE(datum);
  CHECK(datum->value == "v");
  ads_sim::sqlite::database after(file);
  ads_sim::sqlite::statement version(after, "SELECT value FROM meta WHERE name = 'schema_version'");
  REQUIRE(version.step());
  CHECK(version.column_text(0) == "5");  // and on to the latest
}

TEST_CASE("triggers and notifications: empty lists in the shapes the clients read, only on the user's device",
          "[ads_sim][app]") {
  core_fixture f;
  const auto ann = make_app_user(f);
  const auto bob = make_app_user(f, "bob@example.com", false);
  REQUIRE(f.core.set_to_device_property(f.device.dsn, "Blue_LED", json(1), "boolean", t0));
  const std::string triggers = "/apiv1/dsns/" + f.device.dsn + "/properties/Blue_LED/triggers.json";
  const auto listed = f.respond(ann.call("GET", triggers));
  REQUIRE(listed.status == 200);
  CHECK(body_of(listed) == json::array());
  CHECK(f.respond(ann.call("GET", "/apiv1/dsns/" + f.device.dsn + "/properties/nope/triggers.json")).status == 404);
  CHECK(f.respond(bob.call("GET", triggers)).status == 404);

  const std::string notifications = "/apiv1/devices/" + std::to_string(f.device.key) + "/notifications/all.json";
  const auto all = f.respond(ann.call("GET", notifications));
  REQUIRE(all.status == 200);
  CHECK(body_of(all) == json{{"notification", json::array()}});
  CHECK(f.respond(bob.call("GET", notifications)).status == 404);
}
