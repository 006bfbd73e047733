// ota_manager with a scripted cloud: offers, host windows as exact part/ok lines, module download + verify +
// apply + reboot + confirm, corrupt images, cut downloads, and reboots at every step. No I/O.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "ads_client/base64.hpp"
#include "ads_client/rsa_key.hpp"
#include "apca/ota_manager.hpp"
#include "tests/support/fake_ota_cloud.hpp"
#include "tests/support/fake_ports.hpp"

namespace {

using nlohmann::json;

struct module_power {
  config_store::nv_image nv;
  int reboots = 0;
  std::string firmware = "OLD FW";
};

std::string bytes(std::size_t count, unsigned seed = 7) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += static_cast<char>((i * 131 + seed * 17) & 0xFF);
  return out;
}

ads_client::device_api::command ota_command(int id, const std::string& type, const std::string& image,
                                            const std::string& version, std::string checksum = {}) {
  if (checksum.empty()) checksum = ads_client::sha256_hex(image);
  return {id, "PUT", "ota.json", "/devices/12/commands/" + std::to_string(id) + ".json",
          json{{"ota",
                {{"url", "https://ads-dev.aylanetworks.com/images/3/data"},
                 {"ver", version},
                 {"size", image.size()},
                 {"type", type},
                 {"checksum", checksum},
                 {"source", "local"}}}}};
}

struct ota_fixture {
  test_support::recorded_urcs urcs;
  test_support::fake_ota_cloud cloud;
  module_power power;
  bool hold_saves = false;                       // saves wait in `held` until the test completes them
  std::vector<std::function<void()>> held;
  apca::ota_effects effects{
      [this](std::map<std::string, std::string> values, std::function<void(bool)> done) {
        auto save = [this, values = std::move(values), done = std::move(done)] {
          for (auto& [key, value] : values) power.nv.values[key] = value;
          done(true);
        };
        if (hold_saves) held.push_back(std::move(save));
        else save();
      },
      [this] { ++power.reboots; }, [this] { return power.nv.get("fw/version").value_or(power.firmware); }};
  apca::ota_manager ota{urcs, cloud, effects, power.nv};

  apca::result<std::vector<std::string>> at(apca::ota_request::operation op, apca::ota_request::image target,
                                            std::string id, std::optional<std::int64_t> number = {}) {
    return ota.handle(apca::ota_request{op, target, std::move(id), number});
  }
};

using op = apca::ota_request::operation;
using img = apca::ota_request::image;

}  // namespace

TEST_CASE("host OTA: notify, windows of part lines closed by ok, finish, status reported") {
  ota_fixture f;
  const std::string image = bytes(200);
  f.ota.on_command(ota_command(1, "host_mcu", image, "ver 1.3"));
  REQUIRE(f.urcs.lines == std::vector<std::string>{R"(+ADA: "ota","notify","host","idh1",200,"ver 1.3")"});
  f.urcs.lines.clear();

  REQUIRE(f.at(op::download, img::host, "idh1", 128).ok());
  REQUIRE(f.cloud.fetches.size() == 1);
  CHECK(f.cloud.fetches.front().where.target == "/images/3/data");
  CHECK(f.cloud.fetches.front().offset == 0);
  CHECK(f.cloud.fetches.front().length == 128);
  f.cloud.serve(image);
  CHECK(f.urcs.lines == std::vector<std::string>{
                          "+ADA: \"ota\",\"part\",\"idh1\",\"" + ads_client::base64_encode(image.substr(0, 48)) + "\"",
                          "+ADA: \"ota\",\"part\",\"idh1\",\"" + ads_client::base64_encode(image.substr(48, 48)) + "\"",
                          "+ADA: \"ota\",\"ok\",\"idh1\",\"" + ads_client::base64_encode(image.substr(96, 32)) + "\""});
  f.urcs.lines.clear();

  // The next window continues where the last ended: fetched at once, printed once the port has written the last.
  REQUIRE(f.at(op::download, img::host, "idh1").ok());
  REQUIRE(f.cloud.fetches.size() == 1);
  CHECK(f.cloud.fetches.front().offset == 128);
  CHECK(f.cloud.fetches.front().length == 72);
  f.cloud.serve(image);
  CHECK(f.urcs.lines.empty());
  f.ota.on_host_output_drained();
  REQUIRE(f.urcs.lines.size() == 3);
  CHECK(f.urcs.lines[1] == "+ADA: \"ota\",\"ok\",\"idh1\",\"" + ads_client::base64_encode(image.substr(176)) + "\"");
  CHECK(f.urcs.lines[2] == R"(+ADA: "ota","dl","host","idh1","finish")");

  CHECK(f.at(op::download, img::host, "idh1").error().code == apca::ada_code::err);
  REQUIRE(f.at(op::status, img::host, "idh1", 0).ok());
  CHECK(f.cloud.results == std::vector<std::pair<std::string, int>>{{"/devices/12/commands/1.json", 0}});
  CHECK(f.cloud.failures.empty());
  CHECK(f.at(op::status, img::host, "idh1", 0).error().code == apca::ada_code::cmd_id);
}

TEST_CASE("host OTA: the notify goes out only once the offer is durable, so a power cut cannot strand the job") {
  ota_fixture f;
  f.hold_saves = true;
  f.ota.on_command(ota_command(4, "host_mcu", bytes(100), "ver 2"));
  CHECK(f.urcs.lines.empty());  // the save is still in flight: a kill now leaves no host told of an image
  REQUIRE(f.held.size() == 1);
  f.held.front()();
  CHECK(f.urcs.lines == std::vector<std::string>{R"(+ADA: "ota","notify","host","idh4",100,"ver 2")"});
  // Power cut after the notify: the next boot reports the interrupted image failed, the job ends.
  f.hold_saves = false;
  apca::ota_manager rebooted{f.urcs, f.cloud, f.effects, f.power.nv};
  rebooted.on_online();
  CHECK(f.cloud.failures == std::vector<std::pair<std::string, int>>{{"host_mcu", 1}});  // download failed
}

TEST_CASE("host OTA: an unknown id is code 9, a failed host update is reported as ota_failed") {
  ota_fixture f;
  CHECK(f.at(op::download, img::host, "idh9").error().code == apca::ada_code::cmd_id);
  f.ota.on_command(ota_command(4, "host_mcu", bytes(10), "2"));
  REQUIRE(f.at(op::status, img::host, "idh4", 3).ok());
  CHECK(f.cloud.results.back() == std::pair<std::string, int>{"/devices/12/commands/4.json", 3});
  CHECK(f.cloud.failures.back() == std::pair<std::string, int>{"host_mcu", 3});
}

TEST_CASE("host OTA: the next range is fetched while the port writes, never more than one ahead") {
  ota_fixture f;
  const std::string image = bytes(100000);
  f.ota.on_command(ota_command(3, "host_mcu", image, "3"));
  REQUIRE(f.at(op::download, img::host, "idh3").ok());
  f.cloud.serve_one(image);  // the first range is printed, the second asked for meanwhile
  const std::size_t first_lines = f.urcs.lines.size() - 1;  // after the notify
  CHECK(first_lines == 341);  // 16,368 bytes of 48 each
  REQUIRE(f.cloud.fetches.size() == 1);
  CHECK(f.cloud.fetches.front().offset == 16368);
  f.cloud.serve_one(image);
  CHECK(f.urcs.lines.size() == first_lines + 1);  // nothing printed until the port drained
  CHECK(f.cloud.fetches.empty());                // and nothing fetched further ahead
  f.ota.on_host_output_drained();
  CHECK(f.urcs.lines.size() == 2 * first_lines + 1);
  CHECK(f.cloud.fetches.size() == 1);
}

TEST_CASE("host OTA: a download cut by a connection loss resumes from the last delivered byte") {
  ota_fixture f;
  const std::string image = bytes(100000);
  f.ota.on_command(ota_command(2, "host_mcu", image, "2"));
  REQUIRE(f.at(op::download, img::host, "idh2").ok());
  auto first = std::move(f.cloud.fetches.front());
  f.cloud.fetches.clear();
  first.done(image.substr(first.offset, first.length));
  const std::uint64_t delivered = first.length;
  f.ota.on_host_output_drained();
  f.cloud.fetches.front().done(apca::fetch_link_lost());
  f.cloud.fetches.clear();
  f.ota.on_online();
  REQUIRE(f.cloud.fetches.size() == 1);
  CHECK(f.cloud.fetches.front().offset == delivered);
}

TEST_CASE("module OTA: notify, dl, verify, ready, apply switches firmware and reboots, done after reconnect") {
  ota_fixture f;
  const std::string image = bytes(40000, 3);
  f.ota.on_command(ota_command(1, "module", image, "NEW FW"));
  CHECK(f.urcs.lines.back() == R"(+ADA: "ota","notify","module","idm1")");
  CHECK(f.at(op::apply, img::module, "idm1").error().code == apca::ada_code::err);  // apply before ready
  REQUIRE(f.at(op::download, img::module, "idm1").ok());
  f.cloud.serve(image);
  CHECK(f.urcs.lines.back() == R"(+ADA: "ota","notify","module","idm1","ready")");
  // ADA's timing: the command's result is reported when the download completes, before any apply.
  CHECK(f.cloud.results == std::vector<std::pair<std::string, int>>{{"/devices/12/commands/1.json", 0}});
  CHECK(f.power.reboots == 0);
  REQUIRE(f.at(op::apply, img::module, "idm1").ok());
  CHECK(f.power.reboots == 1);
  CHECK(f.power.nv.get("fw/version") == "NEW FW");

  f.ota.power_cycle(f.power.nv);
  f.ota.on_online();
  CHECK(f.urcs.lines.back() == R"(+ADA: "ota","notify","module","idm1","done")");
  CHECK(f.cloud.results.size() == 1);  // not reported again after the reboot
  CHECK(f.cloud.failures.empty());
  f.ota.on_online();  // done once only
  CHECK(f.urcs.lines.back() == R"(+ADA: "ota","notify","module","idm1","done")");
  CHECK(f.urcs.lines.size() == 3);
  CHECK(f.cloud.results.size() == 1);
}

TEST_CASE("module OTA: the result waits for the ready state to be durable, so a kill before it reports failure") {
  ota_fixture f;
  const std::string image = bytes(300);
  f.ota.on_command(ota_command(4, "module", image, "FW4"));
  REQUIRE(f.at(op::download, img::module, "idm4").ok());
  f.hold_saves = true;
  f.cloud.serve(image);
  CHECK(f.cloud.results.empty());  // "ready" not yet in NV
  f.ota.power_cycle(f.power.nv);   // killed: NV still says "downloading"
  f.ota.on_online();
  CHECK(f.cloud.results == std::vector<std::pair<std::string, int>>{{"/devices/12/commands/4.json", 1}});
  CHECK(f.cloud.failures == std::vector<std::pair<std::string, int>>{{"module", 1}});
}

TEST_CASE("module OTA: applied, but the new firmware is not what runs after the reboot: ota_failed, no done") {
  ota_fixture f;
  const std::string image = bytes(300);
  f.ota.on_command(ota_command(2, "module", image, "FW2"));
  REQUIRE(f.at(op::download, img::module, "idm2").ok());
  f.cloud.serve(image);
  REQUIRE(f.at(op::apply, img::module, "idm2").ok());
  f.power.nv.values["fw/version"] = "OLD FW";  // the boot fell back to the old firmware
  f.ota.power_cycle(f.power.nv);
  f.ota.on_online();
  CHECK(f.urcs.lines.back() == R"(+ADA: "ota","notify","module","idm2","ready")");
  CHECK(f.cloud.results == std::vector<std::pair<std::string, int>>{{"/devices/12/commands/2.json", 0}});
  CHECK(f.cloud.failures == std::vector<std::pair<std::string, int>>{{"module", 1}});
}

TEST_CASE("module OTA: a checksum mismatch is never applied and is reported") {
  ota_fixture f;
  const std::string image = bytes(5000);
  f.ota.on_command(ota_command(5, "module", image, "BAD FW", ads_client::sha256_hex("something else")));
  REQUIRE(f.at(op::download, img::module, "idm5").ok());
  f.cloud.serve(image);
  CHECK(f.urcs.lines.back() == R"(+ADA: "ota","err",6,"invalid: image checksum")");
  CHECK(f.cloud.results.back() == std::pair<std::string, int>{"/devices/12/commands/5.json", 3});
  CHECK(f.cloud.failures.back() == std::pair<std::string, int>{"module", 3});
  CHECK(f.at(op::apply, img::module, "idm5").error().code == apca::ada_code::cmd_id);
  CHECK_FALSE(f.power.nv.get("fw/version"));
}

TEST_CASE("module OTA: a truncated image is a size error") {
  ota_fixture f;
  const std::string image = bytes(5000);
  f.ota.on_command(ota_command(6, "module", image, "FW"));
  REQUIRE(f.at(op::download, img::module, "idm6").ok());
  auto call = std::move(f.cloud.fetches.front());
  f.cloud.fetches.clear();
  call.done(image.substr(0, 100));
  CHECK(f.urcs.lines.back() == R"(+ADA: "ota","err",6,"invalid: image size")");
  CHECK(f.cloud.results.back().second == 2);
}

TEST_CASE("module OTA: mcu_mode 0 downloads at once without a notify, and is queried back") {
  ota_fixture f;
  REQUIRE(f.at(op::mcu_mode, img::module, "idm1", 0).ok());
  auto query = f.at(op::mcu_mode, img::module, "idm1");
  REQUIRE(query.ok());
  CHECK(query.value() == std::vector<std::string>{R"(+ADA: "ota","mcu_mode","module","idm1",0)"});
  const std::string image = bytes(300);
  f.ota.on_command(ota_command(8, "module", image, "FW8"));
  REQUIRE(f.cloud.fetches.size() == 1);
  f.cloud.serve(image);
  CHECK(f.urcs.lines == std::vector<std::string>{R"(+ADA: "ota","notify","module","idm8","ready")"});
}

TEST_CASE("module OTA: a reboot between ready and apply keeps the old firmware and ends the job failed") {
  ota_fixture f;
  const std::string image = bytes(300);
  f.ota.on_command(ota_command(9, "module", image, "FW9"));
  REQUIRE(f.at(op::download, img::module, "idm9").ok());
  f.cloud.serve(image);
  f.ota.power_cycle(f.power.nv);
  f.ota.on_online();
  // The download's result went out before the reboot; what failed is the update: ota_failed.json says so.
  CHECK(f.cloud.results == std::vector<std::pair<std::string, int>>{{"/devices/12/commands/9.json", 0}});
  CHECK(f.cloud.failures == std::vector<std::pair<std::string, int>>{{"module", 1}});
  CHECK(f.at(op::apply, img::module, "idm9").error().code == apca::ada_code::cmd_id);
  CHECK(f.effects.firmware_version() == "OLD FW");
}

TEST_CASE("OTA offers need an absolute URL and a source, as ADA's client_ota_json_parse does") {
  for (const auto& [field, value] : std::vector<std::pair<std::string, json>>{
           {"url", "/devices/12/images/3.bin"}, {"url", "ftp://host/x.bin"}, {"url", "https://"},
           {"url", "https://host"}, {"source", ""}}) {
    ota_fixture f;
    auto offer = ota_command(3, "module", bytes(10), "v2");
    offer.data["ota"][field] = value;
    INFO(offer.data.dump());
    f.ota.on_command(offer);
    CHECK(f.urcs.lines.empty());
    CHECK(f.cloud.results == std::vector<std::pair<std::string, int>>{{"/devices/12/commands/3.json", 4}});
  }
  ota_fixture f;
  auto offer = ota_command(3, "module", bytes(10), "v2");
  offer.data["ota"].erase("source");
  f.ota.on_command(offer);
  CHECK(f.cloud.results.size() == 1);
}

TEST_CASE("OTA source local: the offered URL's path, fetched from the service (with Ayla auth)") {
  ota_fixture f;
  const std::string image = bytes(300);
  f.ota.on_command(ota_command(1, "module", image, "v2"));
  REQUIRE(f.at(op::download, img::module, "idm1").ok());
  CHECK(f.cloud.location_asks.empty());
  REQUIRE(f.cloud.fetches.size() == 1);
  CHECK(f.cloud.fetches.front().where.target == "/images/3/data");
  CHECK(f.cloud.fetches.front().where.on_service);
}

TEST_CASE("OTA source remote: the service says where the image is, and it is fetched there without Ayla auth") {
  for (const bool module : {true, false}) {
    ota_fixture f;
    const std::string image = bytes(300);
    auto offer = ota_command(5, module ? "module" : "host_mcu", image, "v5");
    offer.data["ota"]["source"] = "remote";
    offer.data["ota"]["url"] = "https://ads.example/devices/12/images/5/location.json";
    f.ota.on_command(offer);
    const std::string id = module ? "idm5" : "idh5";
    REQUIRE(f.at(op::download, module ? img::module : img::host, id).ok());
    // First the authenticated question, nothing fetched yet; asked once even if pumped again.
    CHECK(f.cloud.fetches.empty());
    REQUIRE(f.cloud.location_asks.size() == 1);
    CHECK(f.cloud.location_asks.front().first == "/devices/12/images/5/location.json");
    auto answer = std::move(f.cloud.location_asks.front().second);
    f.cloud.location_asks.clear();
    answer(json{{"ota", {{"url", "https://images.example:8444/images/5/0123abcd.bin"}, {"source", "remote"}}}}.dump());
    REQUIRE(f.cloud.fetches.size() == 1);
    CHECK(f.cloud.fetches.front().where.target == "https://images.example:8444/images/5/0123abcd.bin");
    CHECK_FALSE(f.cloud.fetches.front().where.on_service);
    f.cloud.serve(image);
    if (module) {
      CHECK(f.urcs.lines.back() == R"(+ADA: "ota","notify","module","idm5","ready")");
    } else {
      CHECK(f.urcs.lines.back() == R"(+ADA: "ota","dl","host","idh5","finish")");
    }
    CHECK(f.cloud.location_asks.empty());
  }
}

TEST_CASE("OTA source remote: a location answer with no https URL fails the download, a lost one is asked again") {
  ota_fixture f;
  auto offer = ota_command(6, "module", bytes(300), "v6");
  offer.data["ota"]["source"] = "remote";
  f.ota.on_command(offer);
  REQUIRE(f.at(op::download, img::module, "idm6").ok());
  REQUIRE(f.cloud.location_asks.size() == 1);
  auto lost = std::move(f.cloud.location_asks.front().second);
  f.cloud.location_asks.clear();
  lost(apca::fetch_link_lost());
  CHECK(f.cloud.location_asks.empty());
  f.ota.on_online();  // reconnected: asked again
  REQUIRE(f.cloud.location_asks.size() == 1);
  auto answer = std::move(f.cloud.location_asks.front().second);
  answer(json{{"ota", {{"url", "http://plain.example/x.bin"}}}}.dump());
  CHECK(f.urcs.lines.back() == R"(+ADA: "ota","err",7,"err: image location")");
  CHECK(f.cloud.results == std::vector<std::pair<std::string, int>>{{"/devices/12/commands/6.json", 1}});
  CHECK(f.cloud.failures == std::vector<std::pair<std::string, int>>{{"module", 1}});
  CHECK(f.cloud.fetches.empty());
}

// Found by fuzz/ota_assembly: a field of another type made nlohmann::json throw out of on_command.
TEST_CASE("OTA offers with fields of the wrong type are refused as bad offers (status 4), never thrown") {
  const json good = ota_command(1, "host_mcu", bytes(10), "v2").data["ota"];
  std::vector<json> offers = {json("text"), json::array(), json(7)};
  for (const char* field : {"type", "ver", "checksum", "url", "size", "source"}) {
    for (const json& wrong : {json(5), json::array({1}), json::object(), json(nullptr)}) {
      json ota = good;
      ota[field] = wrong;
      offers.push_back(ota);
    }
  }
  for (const json& ota : offers) {
    INFO(ota.dump());
    ota_fixture f;
    f.ota.on_command({3, "PUT", "ota.json", "/devices/12/commands/3.json", json{{"ota", ota}}});
    CHECK(f.urcs.lines.empty());
    CHECK(f.cloud.results == std::vector<std::pair<std::string, int>>{{"/devices/12/commands/3.json", 4}});
    CHECK(f.cloud.failures.size() == 1);
  }
}

TEST_CASE("OTA state in NV with fields of the wrong type still ends the jobs failed after a reboot") {
  ota_fixture f;
  f.power.nv.values["ota/module"] = R"({"id":7,"uri":["x"],"state":{"a":1},"version":null})";
  f.power.nv.values["ota/host"] = R"([3,"text",{"uri":5},{"id":"idh2","uri":"/devices/12/commands/2.json"}])";
  f.ota.power_cycle(f.power.nv);
  f.ota.on_online();
  CHECK(f.cloud.failures == std::vector<std::pair<std::string, int>>{
                                {"module", 1}, {"host_mcu", 1}, {"host_mcu", 1}, {"host_mcu", 1}, {"host_mcu", 1}});
  CHECK(f.cloud.results.back() == std::pair<std::string, int>{"/devices/12/commands/2.json", 1});
}

TEST_CASE("OTA: an offer delivered again (its first answer may have been lost) is the one already held") {
  ota_fixture f;
  const std::string module_image = bytes(40000, 3);
  f.ota.on_command(ota_command(1, "module", module_image, "NEW FW"));
  f.ota.on_command(ota_command(1, "module", module_image, "NEW FW"));  // while offered: no second notify
  CHECK(f.urcs.lines == std::vector<std::string>{R"(+ADA: "ota","notify","module","idm1")"});
  REQUIRE(f.at(op::download, img::module, "idm1").ok());
  f.ota.on_command(ota_command(1, "module", module_image, "NEW FW"));  // while downloading: not refused as busy
  f.cloud.serve(module_image);
  CHECK(f.urcs.lines.back() == R"(+ADA: "ota","notify","module","idm1","ready")");
  CHECK(f.cloud.results == std::vector<std::pair<std::string, int>>{{"/devices/12/commands/1.json", 0}});
  CHECK(f.cloud.failures.empty());

  const std::string host_image = bytes(200);
  f.urcs.lines.clear();
  f.ota.on_command(ota_command(2, "host_mcu", host_image, "1.3"));
  REQUIRE(f.at(op::download, img::host, "idh2", 128).ok());
  f.cloud.serve(host_image);
  f.ota.on_command(ota_command(2, "host_mcu", host_image, "1.3"));  // mid-download: the host's place is kept
  f.urcs.lines.clear();
  REQUIRE(f.at(op::download, img::host, "idh2").ok());
  REQUIRE(f.cloud.fetches.size() == 1);
  CHECK(f.cloud.fetches.front().offset == 128);
  CHECK(f.cloud.failures.empty());
  // A different command is a new offer.
  f.ota.on_command(ota_command(3, "host_mcu", host_image, "1.4"));
  CHECK(f.urcs.lines.back() == R"(+ADA: "ota","notify","host","idh3",200,"1.4")");
}

TEST_CASE("module OTA: a fetch refused three times in a row, with the link up, fails the job, one between successes "
          "is asked again") {
  ota_fixture f;
  const std::string image = bytes(40000);
  f.ota.on_command(ota_command(8, "module", image, "v8"));
  REQUIRE(f.at(op::download, img::module, "idm8").ok());
  const auto refuse = [&f] { f.cloud.refuse_one("image host: handshake: certificate verify failed"); };
  refuse();
  refuse();
  REQUIRE(f.cloud.fetches.size() == 1);
  CHECK(f.cloud.fetches.front().offset == 0);  // asked again from where it stood
  f.cloud.serve_one(image);                   // a success clears the count
  refuse();
  refuse();
  CHECK(f.cloud.failures.empty());
  refuse();
  CHECK(f.urcs.lines.back() == R"(+ADA: "ota","err",7,"err: image host: handshake: certificate verify failed")");
  CHECK(f.cloud.results == std::vector<std::pair<std::string, int>>{{"/devices/12/commands/8.json", 1}});
  CHECK(f.cloud.failures == std::vector<std::pair<std::string, int>>{{"module", 1}});
  CHECK(f.cloud.fetches.empty());
  CHECK(f.power.nv.get("ota/module").value_or("") == "");
}

TEST_CASE("host OTA: a fetch refused three times in a row fails the update, a lost link never counts") {
  ota_fixture f;
  const std::string image = bytes(1000);
  f.ota.on_command(ota_command(9, "host_mcu", image, "9"));
  REQUIRE(f.at(op::download, img::host, "idh9").ok());
  for (int round = 0; round < 5; ++round) {  // the link lost any number of times: resumed, never failed
    REQUIRE(f.cloud.fetches.size() == 1);
    f.cloud.fetches.front().done(apca::fetch_link_lost());
    f.cloud.fetches.clear();
    f.ota.on_online();
  }
  CHECK(f.cloud.failures.empty());
  for (int refusal = 0; refusal < 3; ++refusal) f.cloud.refuse_one("image: 404 not found");
  CHECK(f.urcs.lines.back() == R"(+ADA: "ota","err",7,"err: image: 404 not found")");
  CHECK(f.cloud.results == std::vector<std::pair<std::string, int>>{{"/devices/12/commands/9.json", 1}});
  CHECK(f.cloud.failures == std::vector<std::pair<std::string, int>>{{"host_mcu", 1}});
  CHECK(f.cloud.fetches.empty());
  CHECK(f.at(op::download, img::host, "idh9").error().code == apca::ada_code::cmd_id);
}

TEST_CASE("OTA source remote: a location the service refuses three times in a row fails the download") {
  ota_fixture f;
  auto offer = ota_command(10, "module", bytes(300), "v10");
  offer.data["ota"]["source"] = "remote";
  f.ota.on_command(offer);
  REQUIRE(f.at(op::download, img::module, "idm10").ok());
  for (int refusal = 0; refusal < 3; ++refusal) {
    REQUIRE(f.cloud.location_asks.size() == 1);
    auto ask = std::move(f.cloud.location_asks.front().second);
    f.cloud.location_asks.clear();
    ask(apca::fetch_refused({apca::ada_code::err, "image: 404 not found"}));
  }
  CHECK(f.cloud.location_asks.empty());
  CHECK(f.cloud.failures == std::vector<std::pair<std::string, int>>{{"module", 1}});
  CHECK(f.urcs.lines.back() == R"(+ADA: "ota","err",7,"err: image: 404 not found")");
}
