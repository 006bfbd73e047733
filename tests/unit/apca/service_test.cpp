#include "apca/service.hpp"

#include <catch2/catch.hpp>

#include "apca/passphrase.hpp"
#include "service_rig.hpp"
#include "test_keys.hpp"

using apca::ada_code;
using apca::chunk_kind;
using apca::write_state;
using apca_test::keys;
using apca_test::service_rig;
using config_store::nv_image;

namespace {

// Records how a saving write ended.
struct saved_probe {
  bool called = false;
  std::optional<apca::ada_error> error;
  apca::saved_callback callback() {
    return [this](std::optional<apca::ada_error> e) {
      called = true;
      error = std::move(e);
    };
  }
};

apca::saved_callback ignore_saved() {
  return [](std::optional<apca::ada_error>) {};
}

// Sets a config value and lets NV finish the save.
void set_config(service_rig& rig, std::string_view name, std::string value) {
  auto outcome = rig.service.config_set(name, std::move(value), ignore_saved());
  REQUIRE(outcome.ok());
  rig.nv.finish_all(true);
}

void set_dsn_config(service_rig& rig) {
  set_config(rig, "oem/id", "ffa10123");
  set_config(rig, "oem/model", "ledevb");
  set_config(rig, "server/region", "CN");
  set_config(rig, "id/dev_id", "AC000W000000001");
  set_config(rig, "id/key", keys().device_public_body());
}

bool any_value_contains(const nv_image& image, std::string_view text) {
  for (const auto& [key, value] : image.values) {
    if (value.find(text) != std::string::npos || key.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("service: start reports done, stop stops, both idempotent") {
  service_rig rig;
  CHECK_FALSE(rig.service.started());
  rig.service.start();
  CHECK(rig.service.started());
  CHECK(rig.urcs.take() == std::vector<std::string>{"+ADA: \"start\",\"done\""});
  rig.service.start();
  CHECK(rig.service.started());
  CHECK(rig.urcs.take() == std::vector<std::string>{"+ADA: \"start\",\"done\""});
  rig.service.stop();
  rig.service.stop();
  CHECK_FALSE(rig.service.started());
  CHECK(rig.urcs.take().empty());
}

TEST_CASE("service: status is 15 with the reason it cannot connect") {
  service_rig rig;
  CHECK(apca::status_line(rig.service.status()) == "+ADA: \"status\",15,3");
  rig.service.set_data_call(true);
  CHECK(apca::status_line(rig.service.status()) == "+ADA: \"status\",15,2");
  rig.service.set_clock_synced(true);
  CHECK(apca::status_line(rig.service.status()) == "+ADA: \"status\",15,1");
  CHECK(rig.service.missing_config() == "oem/id");
  set_dsn_config(rig);
  CHECK(rig.service.missing_config() == std::nullopt);
  CHECK(apca::status_line(rig.service.status()) == "+ADA: \"status\",15");
  rig.service.set_data_call(false);
  CHECK(apca::status_line(rig.service.status()) == "+ADA: \"status\",15,3");
}

TEST_CASE("service: config completeness names the first missing key") {
  service_rig rig;
  set_config(rig, "oem/id", "ffa10123");
  CHECK(rig.service.missing_config() == "oem/model");
  set_config(rig, "oem/model", "ledevb");
  CHECK(rig.service.missing_config() == "server/region");
  set_config(rig, "oem/region", "US");
  CHECK(rig.service.missing_config() == "id/dev_id");
  set_config(rig, "id/dev_id", "AC000W000000001");
  CHECK(rig.service.missing_config() == "id/key");

  service_rig ifp;  // in-field provisioning: no DSN, a key id, a hardware id and the OEM key
  set_config(ifp, "oem/id", "ffa10123");
  set_config(ifp, "oem/model", "ledevb");
  set_config(ifp, "server/region", "CN");
  set_config(ifp, "oem/keyid", "OAGHAWp9TXUBIDxE");
  CHECK(ifp.service.missing_config() == "oem/hwid");
  set_config(ifp, "oem/hwid", "myhwid1");
  CHECK(ifp.service.missing_config() == "sign");
  REQUIRE(ifp.service.sign_part(chunk_kind::first, keys().oem_private_pkcs8_body()).ok());
  REQUIRE(ifp.service.sign_part(chunk_kind::last, "").ok());
  CHECK(ifp.service.missing_config() == std::nullopt);
}

TEST_CASE("service: status URCs start after the first query and report each change once") {
  service_rig rig;
  rig.service.set_data_call(true);
  rig.service.set_clock_synced(true);
  CHECK(rig.urcs.take().empty());  // nobody asked yet

  rig.service.status();
  rig.service.set_data_call(false);
  CHECK(rig.urcs.take() == std::vector<std::string>{"+ADA: \"status\",15,3"});
  rig.service.set_data_call(false);     // no change, no URC
  rig.service.set_clock_synced(false);  // reason stays 3 (the data call comes first)
  CHECK(rig.urcs.take().empty());
  rig.service.set_data_call(true);
  CHECK(rig.urcs.take() == std::vector<std::string>{"+ADA: \"status\",15,2"});
  rig.service.set_clock_synced(true);
  CHECK(rig.urcs.take() == std::vector<std::string>{"+ADA: \"status\",15,1"});

  // A config change that completes the config is a change too, reported once NV has it.
  set_config(rig, "oem/id", "ffa10123");
  set_config(rig, "oem/model", "ledevb");
  set_config(rig, "server/region", "CN");
  set_config(rig, "id/dev_id", "AC000W000000001");
  CHECK(rig.urcs.take().empty());
  REQUIRE(rig.service.config_set("id/key", keys().device_public_body(), ignore_saved()).ok());
  CHECK(rig.urcs.take().empty());
  rig.nv.finish_save(true);
  CHECK(rig.urcs.take() == std::vector<std::string>{"+ADA: \"status\",15"});

  rig.service.power_cycle();  // a reboot forgets the query
  rig.service.set_data_call(true);
  CHECK(rig.urcs.take().empty());
}

TEST_CASE("service: cs is durable before it answers, and a failed save rolls back") {
  service_rig rig;
  saved_probe probe;
  auto outcome = rig.service.config_set("oem/template_version", "1.0-pwb", probe.callback());
  REQUIRE(outcome.ok());
  CHECK(outcome.value() == write_state::saving);
  CHECK_FALSE(probe.called);
  REQUIRE(rig.nv.pending.size() == 1);
  CHECK(rig.nv.pending.front().image.get("oem/template_version") == "1.0-pwb");
  rig.nv.finish_save(true);
  CHECK(probe.called);
  CHECK_FALSE(probe.error);
  CHECK(rig.nv.stored.get("oem/template_version") == "1.0-pwb");
  CHECK(rig.service.config_get("oem/template_version").value() == "1.0-pwb");

  saved_probe failed;
  REQUIRE(rig.service.config_set("oem/template_version", "2.0", failed.callback()).ok());
  rig.nv.finish_save(false);
  REQUIRE(failed.called);
  REQUIRE(failed.error);
  CHECK(failed.error->code == ada_code::err);
  CHECK(failed.error->explanation == "nv write failed");
  CHECK(rig.service.config_get("oem/template_version").value() == "1.0-pwb");
  CHECK(rig.service.nv().get("oem/template_version") == "1.0-pwb");

  saved_probe new_key;  // a key that did not exist is removed again
  REQUIRE(rig.service.config_set("oem/hwid", "hw1", new_key.callback()).ok());
  rig.nv.finish_save(false);
  CHECK_FALSE(rig.service.nv().get("oem/hwid"));
}

TEST_CASE("service: a failed save does not undo a later accepted change of another key") {
  service_rig rig;
  REQUIRE(rig.service.config_set("oem/id", "first", ignore_saved()).ok());
  REQUIRE(rig.service.config_set("oem/model", "second", ignore_saved()).ok());
  rig.nv.finish_save(false);
  CHECK_FALSE(rig.service.nv().get("oem/id"));
  CHECK(rig.service.nv().get("oem/model") == "second");
  // The second save was taken with oem/id in it; what stays durable in the end must not have it.
  rig.nv.finish_all(true);
  CHECK_FALSE(rig.nv.stored.get("oem/id"));
  CHECK(rig.nv.stored.get("oem/model") == "second");
}

TEST_CASE("service: cs checks names, lengths and values") {
  service_rig rig;
  auto error_of = [&](std::string_view name, std::string value) {
    auto outcome = rig.service.config_set(name, std::move(value), ignore_saved());
    REQUIRE_FALSE(outcome.ok());
    return outcome.error();
  };
  CHECK(error_of("abc", "x").code == ada_code::not_supported);
  CHECK(error_of("abc", "x").explanation == "config name");
  CHECK(error_of("oem/id", std::string(1025, 'x')).code == ada_code::len_err);
  CHECK(rig.service.config_set("oem/id", std::string(1024, 'x'), ignore_saved()).ok());
  CHECK(error_of("server/region", "EU").code == ada_code::invalid);
  CHECK(error_of("id/key", "not a key").code == ada_code::invalid);
  CHECK(error_of("id/key", "not a key").explanation == "key");
  rig.nv.finish_all();

  set_config(rig, "oem/region", "cn");  // the alias, any case
  CHECK(rig.service.config_get("server/region").value() == "CN");
  CHECK(rig.service.config_get("oem/region").value() == "CN");

  // A PKCS#1 "RSA PUBLIC KEY" body is accepted too, and whitespace inside a body is not kept.
  auto body = keys().device_public_pkcs1_body();
  set_config(rig, "id/key", body.substr(0, 40) + "\r\n " + body.substr(40));
  CHECK(rig.service.nv().get("id/key") == body);
}

TEST_CASE("service: the same value again is no change and saves nothing") {
  service_rig rig;
  set_config(rig, "oem/id", "ffa10123");
  auto outcome = rig.service.config_set("oem/id", "ffa10123", ignore_saved());
  REQUIRE(outcome.ok());
  CHECK(outcome.value() == write_state::no_change);
  CHECK(rig.nv.pending.empty());
  set_config(rig, "server/region", "US");
  CHECK(rig.service.config_set("server/region", "us", ignore_saved()).value() == write_state::no_change);
}

TEST_CASE("service: id/key in parts") {
  service_rig rig;
  auto body = keys().device_public_body();
  REQUIRE(rig.service.config_set_part("id/key", chunk_kind::first, body.substr(0, 100), ignore_saved()).value() ==
          write_state::done);
  REQUIRE(rig.service.config_set_part("id/key", chunk_kind::middle, body.substr(100, 100), ignore_saved()).value() ==
          write_state::done);
  CHECK(rig.nv.pending.empty());
  auto last = rig.service.config_set_part("id/key", chunk_kind::last, body.substr(200), ignore_saved());
  REQUIRE(last.ok());
  CHECK(last.value() == write_state::saving);
  rig.nv.finish_all();
  CHECK(rig.nv.stored.get("id/key") == body);

  SECTION("ss or sn without st is a chunk order error") {
    auto middle = rig.service.config_set_part("id/key", chunk_kind::middle, "AAAA", ignore_saved());
    REQUIRE_FALSE(middle.ok());
    CHECK(middle.error().code == ada_code::invalid);
    CHECK(middle.error().explanation == "chunk order");
    CHECK_FALSE(rig.service.config_set_part("id/key", chunk_kind::last, "AAAA", ignore_saved()).ok());
  }
  SECTION("parts that do not form a key are invalid and nothing is stored") {
    REQUIRE(rig.service.config_set_part("id/key", chunk_kind::first, "AAAA", ignore_saved()).ok());
    auto bad = rig.service.config_set_part("id/key", chunk_kind::last, "BBBB", ignore_saved());
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == ada_code::invalid);
    CHECK(rig.service.nv().get("id/key") == body);
  }
  SECTION("parts longer than 1024 in all") {
    REQUIRE(rig.service.config_set_part("id/key", chunk_kind::first, std::string(1000, 'A'), ignore_saved()).ok());
    auto long_part = rig.service.config_set_part("id/key", chunk_kind::middle, std::string(25, 'A'), ignore_saved());
    REQUIRE_FALSE(long_part.ok());
    CHECK(long_part.error().code == ada_code::len_err);
  }
  SECTION("parts for another name") {
    auto other = rig.service.config_set_part("oem/id", chunk_kind::first, "x", ignore_saved());
    REQUIRE_FALSE(other.ok());
    CHECK(other.error().code == ada_code::usage);
    CHECK(rig.service.config_set_part("nope", chunk_kind::first, "x", ignore_saved()).error().code ==
          ada_code::not_supported);
  }
}

TEST_CASE("service: cg shows values, secrets only as set or unset") {
  service_rig rig;
  CHECK(rig.service.config_get("oem/secret").value() == "unset");
  CHECK(rig.service.config_get("id/key").value() == "unset");
  CHECK(rig.service.config_get("oem/id").value() == "");
  set_config(rig, "oem/secret", "my oem secret");
  set_config(rig, "id/key", keys().device_public_body());
  CHECK(rig.service.config_get("oem/secret").value() == "set");
  CHECK(rig.service.config_get("id/key").value() == "set");
  auto unknown = rig.service.config_get("abc");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == ada_code::not_supported);
}

TEST_CASE("service: setup mode locks the identity and keeps only a salted hash of the passphrase") {
  service_rig rig;
  CHECK(rig.service.setup_mode_enabled());  // a new module
  set_config(rig, "oem/id", "ffa10123");

  // The first enable with a passphrase sets it.
  REQUIRE(rig.service.setup_mode_enable("secretkey", ignore_saved()).value() == write_state::saving);
  rig.nv.finish_all();
  CHECK_FALSE(any_value_contains(rig.nv.stored, "secretkey"));
  CHECK(apca::passphrase_matches(*rig.nv.stored.get("setup/passphrase"), "secretkey"));

  REQUIRE(rig.service.setup_mode_disable(ignore_saved()).value() == write_state::saving);
  rig.nv.finish_all();
  CHECK_FALSE(rig.service.setup_mode_enabled());
  CHECK(rig.service.setup_mode_disable(ignore_saved()).value() == write_state::done);  // already

  for (const char* name : {"id/dev_id", "oem/id", "oem/model", "oem/keyid", "oem/hwid"}) {
    auto locked = rig.service.config_set(name, "new", ignore_saved());
    INFO(name);
    REQUIRE_FALSE(locked.ok());
    CHECK(locked.error().code == ada_code::err);
  }
  CHECK(rig.service.config_set("id/key", keys().device_public_body(), ignore_saved()).error().code == ada_code::err);
  CHECK(rig.service.config_set_part("id/key", chunk_kind::first, "AAAA", ignore_saved()).error().code == ada_code::err);
  // Not identity: still settable.
  CHECK(rig.service.config_set("oem/secret", "s", ignore_saved()).ok());
  CHECK(rig.service.config_set("oem/template_version", "1.1", ignore_saved()).ok());
  rig.nv.finish_all();
  CHECK(rig.service.nv().get("oem/id") == "ffa10123");

  auto wrong = rig.service.setup_mode_enable("guess", ignore_saved());
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().code == ada_code::invalid);
  auto missing = rig.service.setup_mode_enable(std::nullopt, ignore_saved());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ada_code::missing);
  CHECK_FALSE(rig.service.setup_mode_enabled());

  REQUIRE(rig.service.setup_mode_enable("secretkey", ignore_saved()).value() == write_state::saving);
  rig.nv.finish_all();
  CHECK(rig.service.setup_mode_enabled());
  CHECK(rig.service.config_set("oem/id", "changed", ignore_saved()).ok());
}

TEST_CASE("service: without a passphrase, setup mode can be enabled again freely") {
  service_rig rig;
  REQUIRE(rig.service.setup_mode_disable(ignore_saved()).ok());
  rig.nv.finish_all();
  REQUIRE(rig.service.setup_mode_enable(std::nullopt, ignore_saved()).ok());
  rig.nv.finish_all();
  CHECK(rig.service.setup_mode_enabled());
  CHECK(rig.service.setup_mode_enable(std::nullopt, ignore_saved()).value() == write_state::done);
}

TEST_CASE("service: reset restores the factory identity and keeps setup mode") {
  nv_image factory;
  factory.values["factory/oem/id"] = "demo-oem";
  factory.values["factory/id/dev_id"] = "AC000W000000042";
  factory.values["factory/id/key"] = keys().device_public_body();
  factory.values["oem/id"] = "demo-oem";
  factory.values["id/dev_id"] = "AC000W000000042";
  factory.values["id/key"] = keys().device_public_body();
  factory.values["fw/version"] = "FW-2 APCA-1.0 ADA-2.4.1 BUILD-x";
  service_rig rig(factory);
  rig.service.start();
  set_config(rig, "oem/id", "changed");
  set_config(rig, "oem/secret", "s3");
  set_config(rig, "oem/template_version", "9.9");
  REQUIRE(rig.service.setup_mode_enable("pass", ignore_saved()).ok());
  rig.nv.finish_all();
  REQUIRE(rig.service.setup_mode_disable(ignore_saved()).ok());
  rig.nv.finish_all();

  saved_probe probe;
  auto outcome = rig.service.reset(probe.callback());
  REQUIRE(outcome.ok());
  CHECK(outcome.value() == write_state::saving);
  CHECK_FALSE(rig.service.started());
  rig.nv.finish_all();
  CHECK(probe.called);
  CHECK_FALSE(probe.error);
  const auto& stored = rig.nv.stored;
  CHECK(stored.get("oem/id") == "demo-oem");
  CHECK(stored.get("id/dev_id") == "AC000W000000042");
  CHECK(stored.get("id/key") == keys().device_public_body());
  CHECK_FALSE(stored.get("oem/secret"));
  CHECK_FALSE(stored.get("oem/template_version"));
  CHECK(stored.get("fw/version") == "FW-2 APCA-1.0 ADA-2.4.1 BUILD-x");
  // Setup mode stays disabled with its passphrase: a reset never unlocks the identity.
  CHECK_FALSE(rig.service.setup_mode_enabled());
  CHECK(apca::passphrase_matches(*stored.get("setup/passphrase"), "pass"));
  CHECK(rig.service.config_set("oem/id", "x", ignore_saved()).error().code == ada_code::err);

  // Nothing left to restore: answered at once.
  CHECK(rig.service.reset(ignore_saved()).value() == write_state::done);
}

TEST_CASE("service: a failed reset save keeps the config") {
  service_rig rig;
  set_config(rig, "oem/id", "mine");
  saved_probe probe;
  REQUIRE(rig.service.reset(probe.callback()).ok());
  rig.nv.finish_save(false);
  REQUIRE(probe.error);
  CHECK(probe.error->code == ada_code::err);
  CHECK(rig.service.nv().get("oem/id") == "mine");
}

TEST_CASE("service: sign builds the in-field provisioning signature from a key in parts") {
  service_rig rig;
  set_config(rig, "oem/id", "ffa10123");
  set_config(rig, "oem/hwid", "myhwid1");
  set_config(rig, "oem/keyid", "OAGHAWp9TXUBIDxE");
  auto body = GENERATE(keys().oem_private_pkcs1_body(), keys().oem_private_pkcs8_body());
  CHECK_FALSE(rig.service.provisioning());

  // Parts with whitespace inside, as a host splits a PEM body over lines.
  auto third = body.size() / 3;
  REQUIRE(rig.service.sign_part(chunk_kind::first, body.substr(0, third) + "\n").ok());
  REQUIRE(rig.service.sign_part(chunk_kind::middle, " " + body.substr(third, third)).ok());
  REQUIRE(rig.service.sign_part(chunk_kind::last, body.substr(2 * third) + "\r\n").ok());

  auto signed_data = rig.service.provisioning();
  REQUIRE(signed_data);
  CHECK(signed_data->message == "ffa10123 myhwid1 OAGHAWp9TXUBIDxE " + signed_data->rand);
  CHECK_FALSE(signed_data->rand.empty());
  CHECK(keys().oem.recover(signed_data->signature) == signed_data->message);
  // The key is never stored.
  CHECK_FALSE(any_value_contains(rig.service.nv(), body.substr(0, 40)));
  CHECK(rig.nv.every_image_saved.size() == 3);

  // A reboot forgets it.
  rig.service.power_cycle();
  CHECK_FALSE(rig.service.provisioning());
}

TEST_CASE("service: sign errors") {
  service_rig rig;
  SECTION("ss or sn first") {
    auto middle = rig.service.sign_part(chunk_kind::middle, "AAAA");
    REQUIRE_FALSE(middle.ok());
    CHECK(middle.error().code == ada_code::invalid);
    CHECK(middle.error().explanation == "chunk order");
    CHECK(rig.service.sign_part(chunk_kind::last, "AAAA").error().code == ada_code::invalid);
  }
  SECTION("not a private key") {
    REQUIRE(rig.service.sign_part(chunk_kind::first, keys().device_public_body()).ok());
    auto bad = rig.service.sign_part(chunk_kind::last, "");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == ada_code::invalid);
    CHECK(bad.error().explanation == "key");
    CHECK_FALSE(rig.service.provisioning());
  }
  SECTION("more than 2048 characters, whitespace not counted") {
    REQUIRE(rig.service.sign_part(chunk_kind::first, std::string(2000, 'A') + std::string(100, ' ')).ok());
    REQUIRE(rig.service.sign_part(chunk_kind::middle, std::string(48, 'A')).ok());
    auto too_long = rig.service.sign_part(chunk_kind::last, "A");
    REQUIRE_FALSE(too_long.ok());
    CHECK(too_long.error().code == ada_code::len_err);
    // The parts were dropped: a following ss is out of order.
    CHECK(rig.service.sign_part(chunk_kind::middle, "A").error().code == ada_code::invalid);
  }
}

TEST_CASE("service: version strings come from NV fw/version") {
  service_rig fresh;
  CHECK(fresh.service.agent_version() == "APCA-1.0 ADA-2.4.1 BUILD-a88da1c.132a03a");
  CHECK(fresh.service.firmware_version() ==
        "LE11B01SIM7600M11_NA_OTA_191012 B01V06 MDM9x07_AP_M_AT_V1.05_180525 APCA-1.0 ADA-2.4.1 "
        "BUILD-a88da1c.132a03a");

  nv_image updated;
  updated.values["fw/version"] = "LE11B02SIM7600M11 APCA-1.0 ADA-2.4.1 BUILD-ffff.1";
  service_rig rig(updated);
  CHECK(rig.service.agent_version() == "APCA-1.0 ADA-2.4.1 BUILD-ffff.1");
  CHECK(rig.service.firmware_version() == "LE11B02SIM7600M11 APCA-1.0 ADA-2.4.1 BUILD-ffff.1");

  nv_image bare;
  bare.values["fw/version"] = "FW-3.0";
  service_rig other(bare);
  CHECK(other.service.agent_version() == "APCA-1.0 ADA-2.4.1 BUILD-a88da1c.132a03a");
}

TEST_CASE("service: power cycle stops the service and drops parts in progress, NV stays") {
  service_rig rig;
  rig.service.start();
  set_config(rig, "oem/id", "kept");
  REQUIRE(rig.service.config_set_part("id/key", chunk_kind::first, "AAAA", ignore_saved()).ok());
  rig.service.power_cycle();
  CHECK_FALSE(rig.service.started());
  CHECK(rig.service.nv().get("oem/id") == "kept");
  CHECK(rig.service.config_set_part("id/key", chunk_kind::middle, "AAAA", ignore_saved()).error().code ==
        ada_code::invalid);
}

TEST_CASE("service: nv_store merges values and is reported durable") {
  service_rig rig;
  set_config(rig, "oem/id", "x");
  std::optional<bool> result;
  rig.service.nv_store({{"v250/echo", "0"}, {"v250/cmee", "2"}}, [&](bool ok) { result = ok; });
  CHECK_FALSE(result);
  rig.nv.finish_save(true);
  CHECK(result == true);
  CHECK(rig.nv.stored.get("v250/echo") == "0");
  CHECK(rig.nv.stored.get("oem/id") == "x");

  rig.service.nv_store({{"v250/echo", "1"}}, [&](bool ok) { result = ok; });
  rig.nv.finish_save(false);
  CHECK(result == false);
  CHECK(rig.service.nv().get("v250/echo") == "0");
}

TEST_CASE("service: without a cloud port the cloud requests answer not supported") {
  service_rig rig;
  rig.service.start();
  CHECK(rig.service.enable().error().code == ada_code::not_supported);
  CHECK(rig.service.enable().error().explanation == "cloud connection");
  CHECK(rig.service.listen({"l"}).error().code == ada_code::not_supported);
  CHECK(rig.service.get_property({"Blue_LED"}).error().code == ada_code::not_supported);
  CHECK(rig.service.disable({}).error().code == ada_code::not_supported);
  CHECK(rig.service.ota({}).error().code == ada_code::not_supported);
  apca::property_send part;
  part.name = "cmd";
  part.type = *apca::parse_property_type("ss");
  part.value = "abc";
  CHECK(rig.service.send_property(part).error().explanation == "cloud connection");
}
