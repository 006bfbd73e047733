// The store interface's contract, run against every engine in store_engines.
#include <catch2/catch.hpp>

#include "store_engines.hpp"

using namespace ads_sim;

TEMPLATE_LIST_TEST_CASE("store: texts of the enums map both ways", "[store]", store_engines) {
  for (auto state : {ota_target_state::pending, ota_target_state::processing, ota_target_state::downloaded,
                     ota_target_state::succeeded, ota_target_state::failed})
    CHECK(from_text<ota_target_state>(to_text(state)) == state);
  for (auto status : {ota_job_status::created, ota_job_status::running, ota_job_status::completed})
    CHECK(from_text<ota_job_status>(to_text(status)) == status);
  CHECK(to_text(ota_job_status::created) == "none");
  for (auto role : {account_role::module_maker, account_role::oem}) CHECK(from_text<account_role>(to_text(role)) == role);
  for (auto type : {base_type::boolean, base_type::integer, base_type::decimal, base_type::string})
    CHECK(from_text<base_type>(to_text(type)) == type);
  CHECK(from_text<direction>("input") == direction::to_device);
  CHECK(from_text<direction>("from_device") == direction::from_device);
  CHECK_FALSE(from_text<direction>("sideways"));
}

TEMPLATE_LIST_TEST_CASE("store: OEMs and provision keys", "[store]", store_engines) {
  store_fixture<TestType> f;
  auto& oems = f.db->oems();
  const auto again = oems.insert_oem({"oem1", "Other", "x@y.z", "s2"}, "t1");
  REQUIRE_FALSE(again);
  CHECK(again.error() == store_error::exists);
  REQUIRE(oems.insert_oem({"oem2", "OEM Two", "b@c.d", "s3"}, "t1"));
  CHECK(oems.find_oem("oem1")->name == "OEM One");
  CHECK(oems.find_oem("nope").error() == store_error::not_found);
  const auto all = oems.list_oems();
  REQUIRE(all.size() == 2);
  CHECK(all[0].oem_id == "oem1");
  CHECK(all[1].secret == "s3");

  REQUIRE(oems.insert_provision_key({"k1", "oem1", "PEM1"}, "t2"));
  REQUIRE(oems.insert_provision_key({"k2", "oem1", "PEM2"}, "t3"));
  CHECK(oems.insert_provision_key({"k1", "oem1", "PEM3"}, "t4").error() == store_error::exists);
  CHECK(oems.find_provision_key("k2")->public_key_pem == "PEM2");
  CHECK(oems.find_provision_key("k9").error() == store_error::not_found);
  const auto keys = oems.list_provision_keys("oem1");
  REQUIRE(keys.size() == 2);
  CHECK(keys[0].key_id == "k1");
  CHECK(oems.list_provision_keys("oem2").empty());

  CHECK(oems.count_provisioned("k1") == 0);
  REQUIRE(oems.record_provisioned(f.device.key, "k1"));
  REQUIRE(oems.record_provisioned(f.device.key, "k1"));  // once per device
  CHECK(oems.count_provisioned("k1") == 1);
  CHECK(oems.count_provisioned("k2") == 0);
}

TEMPLATE_LIST_TEST_CASE("store: devices", "[store]", store_engines) {
  store_fixture<TestType> f;
  auto& devices = f.db->devices();
  CHECK(f.device.dsn == "AC000W000000001");
  device_record second = f.device;
  second.hwid = "hw-2";
  const auto stored = devices.insert_device(second, "t1");
  REQUIRE(stored);
  CHECK(stored->dsn == "AC000W000000002");
  CHECK(stored->key != f.device.key);
  CHECK(devices.insert_device(second, "t2").error() == store_error::exists);  // hwid taken within the OEM

  CHECK(devices.find_device(f.device.key)->private_key_pem == "priv");
  CHECK(devices.find_device(9999).error() == store_error::not_found);
  CHECK(devices.find_device_by_dsn("AC000W000000002")->key == stored->key);
  CHECK(devices.find_device_by_dsn("AC000W999999999").error() == store_error::not_found);
  CHECK(devices.find_device_by_hwid("oem1", "hw-2")->key == stored->key);
  CHECK_FALSE(devices.find_device_by_hwid("oem2", "hw-2"));
  REQUIRE(devices.list_devices().size() == 2);
  CHECK(devices.list_devices()[0].key == f.device.key);

  device_record changed = f.device;
  changed.model = "m2";
  changed.fw_version = "1.2";
  changed.template_version = "t-3";
  changed.hwid = "hw-1";
  REQUIRE(devices.update_device(changed));
  const auto read = devices.find_device(f.device.key);
  CHECK(read->model == "m2");
  CHECK(read->fw_version == "1.2");
  CHECK(read->template_version == "t-3");
  CHECK(read->hwid == std::optional<std::string>("hw-1"));
  changed.hwid = "hw-2";
  CHECK(devices.update_device(changed).error() == store_error::exists);
  changed.key = 9999;
  CHECK(devices.update_device(changed).error() == store_error::not_found);

  CHECK(devices.find_device(f.device.key)->last_seen == 0);
  REQUIRE(devices.set_last_seen(f.device.key, 1234));
  CHECK(devices.find_device(f.device.key)->last_seen == 1234);
  CHECK(devices.set_last_seen(9999, 1).error() == store_error::not_found);
}

TEMPLATE_LIST_TEST_CASE("store: a device's ANS listening deadline", "[store]", store_engines) {
  store_fixture<TestType> f;
  auto& devices = f.db->devices();
  const std::int64_t key = f.device.key;
  CHECK_FALSE(devices.find_device(key)->listening_until_ms);  // never registered
  const std::int64_t until = 1'800'000'065'123;  // unix ms, beyond 32 bits
  REQUIRE(devices.mark_device_listening(key, until));
  CHECK(devices.find_device(key)->listening_until_ms == std::optional(until));
  CHECK(devices.find_device_by_dsn(f.device.dsn)->listening_until_ms == std::optional(until));
  CHECK(devices.list_devices().at(0).listening_until_ms == std::optional(until));

  // Editing the device's other fields leaves it, whatever the record carried.
  device_record changed = *devices.find_device(key);
  changed.fw_version = "2.0";
  changed.listening_until_ms.reset();
  REQUIRE(devices.update_device(changed));
  CHECK(devices.find_device(key)->listening_until_ms == std::optional(until));

  REQUIRE(devices.mark_device_listening(key, until + 30'000));  // a later keep-alive
  CHECK(devices.find_device(key)->listening_until_ms == std::optional(until + 30'000));
  REQUIRE(devices.mark_device_not_listening(key));  // unregistered
  CHECK_FALSE(devices.find_device(key)->listening_until_ms);
  REQUIRE(devices.mark_device_not_listening(key));  // twice is no error
  CHECK(devices.mark_device_listening(9999, until).error() == store_error::not_found);
  CHECK(devices.mark_device_not_listening(9999).error() == store_error::not_found);
}

TEMPLATE_LIST_TEST_CASE("store: auth tokens", "[store]", store_engines) {
  store_fixture<TestType> f;
  auto& devices = f.db->devices();
  REQUIRE(devices.insert_token("hash-a", f.device.key, 1000));
  CHECK(*devices.find_token("hash-a", 999) == f.device.key);
  CHECK(devices.find_token("hash-a", 1000).error() == store_error::not_found);  // expired
  CHECK_FALSE(devices.find_token("hash-b", 0));
  // A new token forgets those expired two hours before it ends.
  REQUIRE(devices.insert_token("hash-b", f.device.key, 1000 + 2 * 3600 + 1));
  CHECK_FALSE(devices.find_token("hash-a", 0));
  CHECK(devices.find_token("hash-b", 0));
}

TEMPLATE_LIST_TEST_CASE("store: properties and datapoints", "[store]", store_engines) {
  store_fixture<TestType> f;
  auto& properties = f.db->properties();
  CHECK(properties.find_property(f.device.key, "temp").error() == store_error::not_found);
  property_record temp{0, f.device.key, "temp", base_type::integer, direction::from_device, "21", std::nullopt};
  const auto first = properties.record_value(temp, R"({"a":"b"})", "t1");
  REQUIRE(first);
  CHECK(first->id != 0);
  CHECK(first->updated_at == std::optional<std::string>("t1"));
  temp.value_json = "22";
  const auto second = properties.record_value(temp, "{}", "t2");
  REQUIRE(second);
  CHECK(second->id == first->id);
  const auto read = properties.find_property(f.device.key, "temp");
  CHECK(read->value_json == std::optional<std::string>("22"));
  CHECK(read->type == base_type::integer);
  CHECK(read->dir == direction::from_device);
  REQUIRE(properties.record_value({0, f.device.key, "led", base_type::boolean, direction::to_device, "1", {}}, "{}", "t3"));
  const auto listed = properties.list_properties(f.device.key);
  REQUIRE(listed.size() == 2);
  CHECK(listed[0].name == "led");  // by name
  CHECK(listed[0].dir == direction::to_device);
  const auto points = properties.list_datapoints(first->id);
  REQUIRE(points.size() == 2);
  CHECK(points[0].value_json == "21");
  CHECK(points[0].metadata_json == R"({"a":"b"})");
  CHECK(points[1].created_at == "t2");
}

TEMPLATE_LIST_TEST_CASE("store: the per-device queue", "[store]", store_engines) {
  store_fixture<TestType> f;
  auto& queue = f.db->properties();
  const auto key = f.device.key;
  REQUIRE(queue.record_value({0, key, "led", base_type::boolean, direction::to_device, "1", {}}, "{}", "t0"));
  CHECK_FALSE(queue.has_queued(key));
  REQUIRE(queue.queue_property(key, "led", "t1"));
  REQUIRE(queue.queue_property(key, "led", "t2"));  // coalesces
  const auto cmd1 = queue.queue_command(key, "PUT", "ota.json", R"({"x":1})", "t3");
  const auto cmd2 = queue.queue_command(key, "PUT", "ota.json", R"({"x":2})", "t4");
  REQUIRE(cmd1);
  REQUIRE(cmd2);
  CHECK(queue.has_queued(key));

  // Commands only: the property stays queued.
  const auto commands = queue.take_queued_commands(key, 1);
  REQUIRE(commands.cmds.size() == 1);
  CHECK(commands.cmds[0].id == *cmd1);
  CHECK(commands.cmds[0].data_json == R"({"x":1})");
  CHECK(commands.more);
  CHECK(commands.properties.empty());

  const auto rest = queue.take_queued(key, 16);
  REQUIRE(rest.properties.size() == 1);
  CHECK(rest.properties[0].name == "led");
  REQUIRE(rest.cmds.size() == 1);
  CHECK(rest.cmds[0].id == *cmd2);
  CHECK_FALSE(rest.more);
  CHECK_FALSE(queue.has_queued(key));

  auto unanswered = queue.unanswered_commands(key);
  REQUIRE(unanswered.size() == 2);
  CHECK(unanswered[0].resource == "ota.json");
  REQUIRE(queue.set_command_status(key, *cmd1, 0));
  unanswered = queue.unanswered_commands(key);
  REQUIRE(unanswered.size() == 1);
  CHECK(unanswered[0].id == *cmd2);
  CHECK(queue.set_command_status(key, 9999, 0).error() == store_error::not_found);
  CHECK(queue.set_command_status(key + 1, *cmd2, 0).error() == store_error::not_found);
}

TEMPLATE_LIST_TEST_CASE("store: templates", "[store]", store_engines) {
  store_fixture<TestType> f;
  auto& templates = f.db->templates();
  CHECK(templates.find_template("oem1", "m1").error() == store_error::not_found);
  REQUIRE(templates.replace_template("oem1", "m1", {{"b", base_type::string, direction::to_device},
                                                    {"a", base_type::integer, direction::from_device}}));
  auto list = templates.find_template("oem1", "m1");
  REQUIRE(list);
  REQUIRE(list->size() == 2);
  CHECK((*list)[0].name == "a");
  CHECK((*list)[0].type == base_type::integer);
  CHECK((*list)[1].dir == direction::to_device);
  REQUIRE(templates.replace_template("oem1", "m1", {}));
  list = templates.find_template("oem1", "m1");
  REQUIRE(list);  // an empty template is a template
  CHECK(list->empty());
  CHECK_FALSE(templates.find_template("oem1", "m2"));
}

namespace {

image_record module_image(std::string version) { return {0, "module", "fw", std::move(version), 4, "sha"}; }

}  // namespace

TEMPLATE_LIST_TEST_CASE("store: images", "[store]", store_engines) {
  store_fixture<TestType> f;
  auto& ota = f.db->ota();
  const auto image = ota.insert_image(module_image("2.0"), "ABCD", "t1");
  REQUIRE(image);
  CHECK(image->image_id != 0);
  CHECK(ota.find_image(image->image_id)->version == "2.0");
  CHECK(ota.find_image(9999).error() == store_error::not_found);
  REQUIRE(ota.insert_image({0, "host", "mcu", "1", 2, "sha2"}, "xy", "t2"));
  REQUIRE(ota.list_images().size() == 2);
  CHECK(ota.list_images()[1].type == "host");
  CHECK(*ota.read_image(image->image_id, 1, 2) == "BC");
  CHECK(*ota.read_image(image->image_id, 2, 100) == "CD");
  CHECK(*ota.read_image(image->image_id, 4, 1) == "");
  CHECK(ota.read_image(image->image_id, 5, 1).error() == store_error::not_found);
  CHECK(ota.read_image(9999, 0, 1).error() == store_error::not_found);

  REQUIRE(ota.insert_image_meta({image->image_id, "", "first", "1.0", "t1"}));
  CHECK(ota.insert_image_meta({image->image_id, "", "again", "1.0", "t1"}).error() == store_error::exists);
  const auto metas = ota.list_image_meta();
  REQUIRE(metas.size() == 1);
  CHECK(metas[0].description == "first");
}

TEMPLATE_LIST_TEST_CASE("store: OTA jobs and their targets", "[store]", store_engines) {
  store_fixture<TestType> f;
  auto& ota = f.db->ota();
  const auto key = f.device.key;
  const auto image = ota.insert_image(module_image("2.0"), "ABCD", "t1");
  REQUIRE(image);
  const auto job_id = ota.insert_ota_job(image->image_id, std::string("m1"), {key, key}, "t2");
  REQUIRE(job_id);
  auto job = ota.find_ota_job(*job_id);
  REQUIRE(job);
  CHECK(job->status == ota_job_status::created);
  CHECK(job->oem_model == std::optional<std::string>("m1"));
  CHECK(job->total == 1);
  CHECK(ota.find_ota_job(9999).error() == store_error::not_found);
  REQUIRE(ota.list_ota_jobs().size() == 1);
  auto targets = ota.ota_targets(*job_id);
  REQUIRE(targets.size() == 1);
  CHECK(targets[0].state == ota_target_state::pending);

  const auto command = f.db->properties().queue_command(key, "PUT", "ota.json", "{}", "t3");
  REQUIRE(command);
  REQUIRE(ota.set_ota_target(*job_id, key, ota_target_state::processing, *command));
  CHECK(ota.set_ota_target(*job_id, key + 1, ota_target_state::failed, std::nullopt).error() ==
        store_error::not_found);
  REQUIRE(ota.set_ota_job_status(*job_id, ota_job_status::running));
  CHECK(ota.set_ota_job_status(9999, ota_job_status::running).error() == store_error::not_found);
  REQUIRE(ota.complete_finished_jobs());
  CHECK(ota.find_ota_job(*job_id)->processing == 1);
  CHECK(ota.find_ota_job(*job_id)->status == ota_job_status::running);

  // A module image's command answered 2xx: downloaded, not yet succeeded.
  REQUIRE(ota.finish_ota_command(key, *command, true));
  CHECK(ota.ota_targets(*job_id)[0].state == ota_target_state::downloaded);
  CHECK(ota.find_ota_job(*job_id)->processing == 1);
  // Another version reported: nothing; the image's version: succeeded, and the job completes.
  REQUIRE(ota.confirm_module_version(key, "1.0"));
  CHECK(ota.ota_targets(*job_id)[0].state == ota_target_state::downloaded);
  REQUIRE(ota.confirm_module_version(key, "2.0"));
  job = ota.find_ota_job(*job_id);
  CHECK(ota.ota_targets(*job_id)[0].state == ota_target_state::succeeded);
  CHECK(job->succeeded == 1);
  CHECK(job->status == ota_job_status::completed);
}

TEMPLATE_LIST_TEST_CASE("store: a job's targets a page at a time, and the OEMs they belong to", "[store]",
                        store_engines) {
  store_fixture<TestType> f;
  auto& ota = f.db->ota();
  auto& devices = f.db->devices();
  REQUIRE(f.db->oems().insert_oem({"oem2", "OEM Two", "b@b.c", "secret"}, "t0"));
  std::vector<std::int64_t> keys = {f.device.key};
  for (int i = 2; i <= 5; ++i) {
    device_record more = f.device;
    more.hwid = "hw-" + std::to_string(i);
    more.fw_version = "fw-" + std::to_string(i);
    const auto stored = devices.insert_device(more, "t1");
    REQUIRE(stored);
    keys.push_back(stored->key);
  }
  const auto image = ota.insert_image(module_image("2.0"), "ABCD", "t1");
  REQUIRE(image);
  const auto job_id = ota.insert_ota_job(image->image_id, std::nullopt, keys, "t2");
  REQUIRE(job_id);
  REQUIRE(ota.set_ota_target(*job_id, keys[3], ota_target_state::failed, std::nullopt));

  // By device key: the page's rows carry each device's DSN and firmware beside the target's state.
  CHECK(ota.ota_target_page(*job_id, 0, 2) ==
        std::vector<ota_target_listing>{{"AC000W000000001", "", ota_target_state::pending},
                                        {"AC000W000000002", "fw-2", ota_target_state::pending}});
  CHECK(ota.ota_target_page(*job_id, 2, 2) ==
        std::vector<ota_target_listing>{{"AC000W000000003", "fw-3", ota_target_state::pending},
                                        {"AC000W000000004", "fw-4", ota_target_state::failed}});
  CHECK(ota.ota_target_page(*job_id, 4, 2) ==
        std::vector<ota_target_listing>{{"AC000W000000005", "fw-5", ota_target_state::pending}});
  CHECK(ota.ota_target_page(*job_id, 5, 2).empty());
  CHECK(ota.ota_target_page(9999, 0, 10).empty());

  CHECK(ota.ota_job_oems(*job_id) == std::vector<std::string>{"oem1"});
  device_record other = f.device;
  other.oem_id = "oem2";
  const auto theirs = devices.insert_device(other, "t1");
  REQUIRE(theirs);
  const auto mixed = ota.insert_ota_job(image->image_id, std::nullopt, {theirs->key, f.device.key}, "t2");
  REQUIRE(mixed);
  CHECK(ota.ota_job_oems(*mixed) == std::vector<std::string>{"oem1", "oem2"});
  CHECK(ota.ota_job_oems(9999).empty());
}

TEMPLATE_LIST_TEST_CASE("store: OTA failures", "[store]", store_engines) {
  store_fixture<TestType> f;
  auto& ota = f.db->ota();
  auto& queue = f.db->properties();
  const auto key = f.device.key;
  const auto host = ota.insert_image({0, "host", "mcu", "5", 2, "sha"}, "xy", "t1");
  const auto module = ota.insert_image(module_image("2.0"), "ABCD", "t1");
  REQUIRE(host);
  REQUIRE(module);
  const auto host_job = ota.insert_ota_job(host->image_id, std::nullopt, {key}, "t2");
  const auto module_job = ota.insert_ota_job(module->image_id, std::nullopt, {key}, "t2");
  REQUIRE(host_job);
  REQUIRE(module_job);
  const auto host_cmd = queue.queue_command(key, "PUT", "ota.json", "{}", "t3");
  const auto module_cmd = queue.queue_command(key, "PUT", "ota.json", "{}", "t3");
  REQUIRE(ota.set_ota_target(*host_job, key, ota_target_state::processing, *host_cmd));
  REQUIRE(ota.set_ota_target(*module_job, key, ota_target_state::processing, *module_cmd));
  REQUIRE(ota.set_ota_job_status(*host_job, ota_job_status::running));
  REQUIRE(ota.set_ota_job_status(*module_job, ota_job_status::running));
  queue.take_queued_commands(key, 16);  // both delivered

  // A host image's command answered 2xx succeeds at once.
  REQUIRE(queue.set_command_status(key, *host_cmd, 0));
  REQUIRE(ota.finish_ota_command(key, *host_cmd, true));
  CHECK(ota.ota_targets(*host_job)[0].state == ota_target_state::succeeded);
  CHECK(ota.find_ota_job(*host_job)->status == ota_job_status::completed);

  // The device reports a module failure: the module target fails and its command needs no result.
  REQUIRE(ota.fail_ota_targets(key, "module"));
  CHECK(ota.ota_targets(*module_job)[0].state == ota_target_state::failed);
  CHECK(ota.find_ota_job(*module_job)->failed == 1);
  CHECK(ota.find_ota_job(*module_job)->status == ota_job_status::completed);
  CHECK(queue.unanswered_commands(key).empty());

  // A failed result for a command no target waits on changes nothing.
  REQUIRE(ota.finish_ota_command(key, *module_cmd, false));
  CHECK(ota.find_ota_job(*host_job)->succeeded == 1);
}

TEMPLATE_LIST_TEST_CASE("store: the console's notes on jobs", "[store]", store_engines) {
  store_fixture<TestType> f;
  auto& ota = f.db->ota();
  CHECK(ota.find_job_meta(7).error() == store_error::not_found);
  REQUIRE(ota.insert_job_meta({7, "oem1", "m1", "rollout", ""}));
  CHECK(ota.insert_job_meta({7, "oem1", "m1", "again", ""}).error() == store_error::exists);
  CHECK(ota.find_job_meta(7)->started_at.empty());
  REQUIRE(ota.set_job_started(7, "t5"));
  const auto meta = ota.find_job_meta(7);
  CHECK(meta->started_at == "t5");
  CHECK(meta->description == "rollout");
  CHECK(ota.set_job_started(8, "t5").error() == store_error::not_found);
}

TEMPLATE_LIST_TEST_CASE("store: console accounts", "[store]", store_engines) {
  store_fixture<TestType> f;
  auto& accounts = f.db->accounts();
  CHECK_FALSE(accounts.has_module_maker());
  const auto maker = accounts.insert_account({0, "Maker@x.y", "Maker", account_role::module_maker, "", "h1"}, "t1");
  REQUIRE(maker);
  CHECK(maker->account_id != 0);
  CHECK(accounts.has_module_maker());
  CHECK(accounts.insert_account({0, "maker@X.Y", "Other", account_role::oem, "oem1", "h2"}, "t2").error() ==
        store_error::exists);  // emails compare without case
  CHECK(accounts.find_account(maker->account_id)->role == account_role::module_maker);
  CHECK(accounts.find_account(9999).error() == store_error::not_found);
  CHECK(accounts.find_account_by_email("maker@x.y")->account_id == maker->account_id);
  CHECK(accounts.find_account_by_email("nobody@x.y").error() == store_error::not_found);
  REQUIRE(accounts.set_password_hash(maker->account_id, "h3"));
  CHECK(accounts.find_account(maker->account_id)->password_hash == "h3");
  CHECK(accounts.set_password_hash(9999, "h").error() == store_error::not_found);
}

TEMPLATE_LIST_TEST_CASE("store: console sessions and failed logins", "[store]", store_engines) {
  store_fixture<TestType> f;
  auto& accounts = f.db->accounts();
  const auto account = accounts.insert_account({0, "o@x.y", "O", account_role::oem, "oem1", "h"}, "t1");
  REQUIRE(account);
  REQUIRE(accounts.insert_session("s1", {account->account_id, "csrf1", 100, 500}));
  REQUIRE(accounts.insert_session("s2", {account->account_id, "csrf2", 300, 400}));
  CHECK(accounts.find_session("s1")->csrf_token == "csrf1");
  CHECK(accounts.find_session("s9").error() == store_error::not_found);
  REQUIRE(accounts.touch_session("s1", 200));
  CHECK(accounts.find_session("s1")->expires_at == 200);
  REQUIRE(accounts.delete_sessions_ended_by(200));  // s1 idled out at 200
  CHECK_FALSE(accounts.find_session("s1"));
  CHECK(accounts.find_session("s2"));
  REQUIRE(accounts.delete_session("s2"));
  CHECK_FALSE(accounts.find_session("s2"));

  CHECK(accounts.failures_of("o@x.y").count == 0);
  REQUIRE(accounts.record_failure("o@x.y", 10));
  REQUIRE(accounts.record_failure("O@X.Y", 20));
  const auto failures = accounts.failures_of("o@x.y");
  CHECK(failures.count == 2);
  CHECK(failures.last_at == 20);
  REQUIRE(accounts.clear_failures("o@x.y"));
  CHECK(accounts.failures_of("o@x.y").count == 0);
}

TEMPLATE_LIST_TEST_CASE("store: applications, end users, device owners and user tokens", "[store]", store_engines) {
  store_fixture<TestType> f;
  auto& users = f.db->end_users();
  REQUIRE(users.insert_application({"app-1", "oem1", "Home", "secret-hash"}, "t1"));
  CHECK(users.insert_application({"app-1", "oem1", "Again", "h"}, "t1").error() == store_error::exists);
  CHECK(users.find_application("app-1")->secret_hash == "secret-hash");
  CHECK(users.find_application("app-9").error() == store_error::not_found);
  CHECK(users.list_applications("oem1").size() == 1);
  CHECK(users.list_applications("oem2").empty());

  const auto ann = users.insert_end_user({0, "uuid-1", "oem1", "app-1", "ann@x.y", "pw-hash"}, "t1");
  REQUIRE(ann);
  CHECK(users.insert_end_user({0, "uuid-2", "oem1", "app-1", "ANN@x.y", "h"}, "t1").error() == store_error::exists);
  CHECK(users.find_end_user_by_email("oem1", "Ann@X.y")->user_id == ann->user_id);  // without case
  CHECK(users.find_end_user(ann->user_id)->uuid == "uuid-1");
  CHECK(users.find_end_user_by_email("oem2", "ann@x.y").error() == store_error::not_found);
  REQUIRE(users.insert_end_user({0, "uuid-3", "oem1", "app-1", "bob@x.y", "h"}, "t1"));
  const auto listed = users.list_end_users("oem1");  // oldest first
  REQUIRE(listed.size() == 2);
  CHECK(listed[0].email == "ann@x.y");
  CHECK(listed[1].email == "bob@x.y");
  CHECK(users.list_end_users("oem2").empty());

  CHECK(users.device_owner(f.device.key).error() == store_error::not_found);
  REQUIRE(users.set_device_owner(f.device.key, ann->user_id, "t2"));
  CHECK(users.set_device_owner(f.device.key, ann->user_id, "t2").error() == store_error::exists);
  CHECK(*users.device_owner(f.device.key) == ann->user_id);
  CHECK(users.devices_of_user(ann->user_id) == std::vector<std::int64_t>{f.device.key});
  REQUIRE(users.clear_device_owner(f.device.key));
  CHECK(users.clear_device_owner(f.device.key).error() == store_error::not_found);
  CHECK(users.devices_of_user(ann->user_id).empty());

  REQUIRE(users.insert_user_tokens("a1", "r1", ann->user_id, 100, 1000, 10));
  CHECK(*users.find_access_token("a1", 99) == ann->user_id);
  CHECK(users.find_access_token("a1", 100).error() == store_error::not_found);  // expired
  CHECK(*users.take_refresh_token("r1", 500) == ann->user_id);
  CHECK(users.take_refresh_token("r1", 500).error() == store_error::not_found);  // used up
  CHECK(users.find_access_token("a1", 50).error() == store_error::not_found);    // its pair went with it
  REQUIRE(users.insert_user_tokens("a2", "r2", ann->user_id, 100, 1000, 10));
  REQUIRE(users.delete_access_token("a2"));
  CHECK(users.delete_access_token("a2").error() == store_error::not_found);
  CHECK(users.take_refresh_token("r2", 20).error() == store_error::not_found);
  // A new pair forgets the pairs whose refresh token has ended.
  REQUIRE(users.insert_user_tokens("a3", "r3", ann->user_id, 100, 200, 10));
  REQUIRE(users.insert_user_tokens("a4", "r4", ann->user_id, 400, 900, 300));
  CHECK(users.take_refresh_token("r3", 150).error() == store_error::not_found);
}

TEMPLATE_LIST_TEST_CASE("store: device metadata", "[store]", store_engines) {
  store_fixture<TestType> f;
  auto& data = f.db->device_data();
  const auto key = f.device.key;
  CHECK(data.list_device_data(key).empty());
  REQUIRE(data.insert_device_datum(key, {"room", "kitchen", "t1", "t1"}));
  REQUIRE(data.insert_device_datum(key, {"Zone", "2", "t1", "t1"}));
  CHECK(data.insert_device_datum(key, {"room", "hall", "t2", "t2"}).error() == store_error::exists);
  const auto listed = data.list_device_data(key);  // by key, byte-wise
  REQUIRE(listed.size() == 2);
  CHECK(listed[0].key == "Zone");
  CHECK(listed[1].key == "room");
  CHECK(data.find_device_datum(key, "room")->value == "kitchen");
  REQUIRE(data.update_device_datum(key, "room", "hall", "t3"));
  const auto changed = data.find_device_datum(key, "room");
  CHECK(changed->value == "hall");
  CHECK(changed->created_at == "t1");
  CHECK(changed->updated_at == "t3");
  CHECK(data.update_device_datum(key, "nope", "x", "t3").error() == store_error::not_found);
  REQUIRE(data.delete_device_datum(key, "room"));
  CHECK(data.delete_device_datum(key, "room").error() == store_error::not_found);
  CHECK(data.find_device_datum(key, "room").error() == store_error::not_found);
  CHECK(data.list_device_data(key).size() == 1);
}

TEMPLATE_LIST_TEST_CASE("store: registration tokens and how a device was registered", "[store]", store_engines) {
  store_fixture<TestType> f;
  auto& tokens = f.db->registrations();
  const auto key = f.device.key;
  ads_sim::device_record other_wanted = f.device;
  other_wanted.dsn.clear();
  auto other = f.db->devices().insert_device(other_wanted, "t0");
  REQUIRE(other);

  CHECK(tokens.registration_token_of(key).error() == store_error::not_found);
  REQUIRE(tokens.put_registration_token(key, {"ab12cd", 100}, 10));
  CHECK(tokens.registration_token_of(key)->token == "ab12cd");
  CHECK(tokens.registration_token_of(key)->expires_at == 100);
  CHECK(*tokens.find_registration_token("ab12cd", 99) == key);
  CHECK(tokens.find_registration_token("ab12cd", 100).error() == store_error::not_found);  // expired
  CHECK(tokens.find_registration_token("ffffff", 10).error() == store_error::not_found);
  // Unique among the devices while it lives; a new one replaces the device's old one.
  CHECK(tokens.put_registration_token(other->key, {"ab12cd", 200}, 20).error() == store_error::exists);
  REQUIRE(tokens.put_registration_token(key, {"ef34ab", 300}, 20));
  CHECK(tokens.find_registration_token("ab12cd", 20).error() == store_error::not_found);
  CHECK(tokens.registration_token_of(key)->token == "ef34ab");
  // Used once: the second take, or a take of a token the device no longer holds, finds nothing.
  CHECK(tokens.take_registration_token(key, "ab12cd").error() == store_error::not_found);
  REQUIRE(tokens.take_registration_token(key, "ef34ab"));
  CHECK(tokens.take_registration_token(key, "ef34ab").error() == store_error::not_found);
  CHECK(tokens.registration_token_of(key).error() == store_error::not_found);
  // Putting a token forgets every token that has ended, so an expired one's text can be given again.
  REQUIRE(tokens.put_registration_token(other->key, {"0a0b0c", 50}, 20));
  REQUIRE(tokens.put_registration_token(key, {"0a0b0c", 400}, 60));
  CHECK(tokens.registration_token_of(other->key).error() == store_error::not_found);
  REQUIRE(tokens.delete_registration_token(key));
  CHECK(tokens.delete_registration_token(key).error() == store_error::not_found);

  // The registration type lives with the owner: "Dsn" unless told otherwise, gone with the owner.
  auto& users = f.db->end_users();
  REQUIRE(users.insert_application({"app-1", "oem1", "App", "hash"}, "t1"));
  const auto ann = users.insert_end_user({0, "uuid-1", "oem1", "app-1", "ann@x.y", "pw-hash"}, "t1");
  REQUIRE(ann);
  CHECK(tokens.registration_type_of(key).error() == store_error::not_found);
  CHECK(tokens.set_registration_type(key, registration_type::display).error() == store_error::not_found);
  REQUIRE(users.set_device_owner(key, ann->user_id, "t2"));
  CHECK(*tokens.registration_type_of(key) == registration_type::dsn);
  REQUIRE(tokens.set_registration_type(key, registration_type::display));
  CHECK(*tokens.registration_type_of(key) == registration_type::display);
  REQUIRE(users.clear_device_owner(key));
  CHECK(tokens.registration_type_of(key).error() == store_error::not_found);
}
