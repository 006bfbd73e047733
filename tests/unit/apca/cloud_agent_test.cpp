// The service's cloud commands (enable, disable, l, s, g, p URCs, status) against an in-memory device service
// behind a fake cloud port. Requests are answered when the test runs the fake, so every step is deterministic.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>

#include <nlohmann/json.hpp>

#include "ads_client/base64.hpp"
#include "ads_client/rsa_key.hpp"
#include "apca/cloud_session.hpp"
#include "apca/ota_manager.hpp"
#include "service_rig.hpp"
#include "test_keys.hpp"
#include "tests/support/fake_device_service.hpp"

namespace {

using ads_client::http_outcome;
using ads_client::http_request;
using ads_client::http_response;
using nlohmann::json;

using test_support::fake_device_service;

using apca_test::factory_image;

struct cloud_rig {
  fake_device_service cloud;
  apca_test::service_rig rig{factory_image(), &cloud};

  cloud_rig() {
    cloud.poll_due = [this] {
      if (rig.timers.armed.erase(apca::timer_id::service_poll)) rig.service.on_timer(apca::timer_id::service_poll);
    };
  }

  std::vector<std::string> urcs() {
    rig.nv.finish_all();
    cloud.run();
    rig.nv.finish_all();
    return rig.urcs.take();
  }
  void bring_up() {
    rig.service.start();
    rig.service.set_data_call(true);
    rig.service.set_clock_synced(true);
    rig.urcs.take();
  }
  void connect() {
    bring_up();
    REQUIRE(rig.service.enable().ok());
    REQUIRE(urcs() == std::vector<std::string>{"+ADA: \"enable\",\"RDY\""});
  }
  apca::property_send send(std::string name, const char* type, std::string value) {
    apca::property_send request;
    request.name = std::move(name);
    request.type = *apca::parse_property_type(type);
    request.value = std::move(value);
    return request;
  }
};

}  // namespace

TEST_CASE("cloud: enable with incomplete config names the missing key") {
  fake_device_service cloud;
  apca_test::service_rig rig({}, &cloud);
  rig.service.start();
  auto refused = rig.service.enable();
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == apca::ada_code::missing);
  CHECK(refused.error().explanation == "oem/id");
}

TEST_CASE("cloud: enable, RDY, listen up, status 0 then 1, send with status, get, to-device p URC") {
  cloud_rig f;
  f.connect();
  CHECK(f.rig.service.status() == apca::connection_status{0, 0});
  REQUIRE(f.rig.service.listen({"I"}).ok());
  CHECK(f.urcs() == std::vector<std::string>{"+ADA: \"I\",\"up\"", "+ADA: \"status\",1"});

  REQUIRE(f.rig.service.send_property(f.send("Blue_LED", "b", "1")).ok());
  CHECK(f.urcs() == std::vector<std::string>{"+ADA: \"s\",\"Blue_LED\",\"status\",0"});
  CHECK(f.cloud.datapoints.back()["value"] == 1);
  CHECK(f.cloud.datapoints.back()["base_type"] == "boolean");

  REQUIRE(f.rig.service.get_property({"Blue_LED"}).ok());
  CHECK(f.urcs() == std::vector<std::string>{"+ADA: \"g\",\"ok\",\"Blue_LED\",\"b\",1"});
  REQUIRE(f.rig.service.send_property(f.send("temp", "d", "21.5")).ok());
  REQUIRE(f.rig.service.get_property({"temp"}).ok());
  CHECK(f.urcs().back() == "+ADA: \"g\",\"ok\",\"temp\",\"d\",21.50");
  REQUIRE(f.rig.service.get_property({"nope"}).ok());
  CHECK(f.urcs() == std::vector<std::string>{"+ADA: \"g\",\"err\",6,\"invalid: unknown property\""});

  f.cloud.set_to_device("cmd", "string", "say \"hi\"");
  CHECK(f.urcs() == std::vector<std::string>{"+ADA: \"p\",\"cmd\",\"s\",\"say \\22hi\\22\""});
}

TEST_CASE("cloud: sends are pipelined and keep their order, long strings in parts, metadata on the next value") {
  cloud_rig f;
  f.connect();
  for (int i = 0; i < 50; ++i) REQUIRE(f.rig.service.send_property(f.send("n", "i", std::to_string(i))).ok());
  auto lines = f.urcs();
  CHECK(lines.size() == 50);
  REQUIRE(f.cloud.datapoints.size() == 50);
  for (int i = 0; i < 50; ++i) CHECK(f.cloud.datapoints[i]["value"] == i);

  CHECK(f.rig.service.send_property(f.send("cmd", "ss", "x")).error().explanation == "chunk order");
  REQUIRE(f.rig.service.send_property(f.send("cmd", "st", "abcdefg")).ok());
  REQUIRE(f.rig.service.send_property(f.send("cmd", "ss", "hijklmn")).ok());
  CHECK(f.urcs().empty());
  REQUIRE(f.rig.service.send_property(f.send("cmd", "sn", "1234567890")).ok());
  CHECK(f.urcs() == std::vector<std::string>{"+ADA: \"s\",\"cmd\",\"status\",0"});
  CHECK(f.cloud.datapoints.back()["value"] == "abcdefghijklmn1234567890");

  auto metadata = f.send("Blue_LED", "m", "why");
  metadata.metadata_key = "source";
  metadata.value = "button";
  REQUIRE(f.rig.service.send_property(metadata).ok());
  CHECK(f.urcs().empty());
  REQUIRE(f.rig.service.send_property(f.send("Blue_LED", "b", "0")).ok());
  f.urcs();
  CHECK(f.cloud.datapoints.back()["metadata"] == json{{"source", "button"}});
  REQUIRE(f.rig.service.send_property(f.send("Blue_LED", "b", "1")).ok());
  f.urcs();
  CHECK_FALSE(f.cloud.datapoints.back().contains("metadata"));
}

TEST_CASE("cloud: without a data call enable waits (status 3,3) and connects when the call comes up") {
  cloud_rig f;
  f.rig.service.start();
  f.rig.service.set_clock_synced(true);
  REQUIRE(f.rig.service.enable().ok());
  CHECK(f.rig.service.status() == apca::connection_status{3, 3});
  CHECK(f.cloud.requests.empty());
  f.rig.urcs.take();
  f.rig.service.set_data_call(true);  // connecting (15), then connected (0)
  CHECK(f.urcs() == std::vector<std::string>{"+ADA: \"status\",15", "+ADA: \"enable\",\"RDY\"",
                                             "+ADA: \"status\",0"});
  CHECK(f.rig.service.send_property(f.send("n", "i", "1")).ok());
  f.rig.service.set_data_call(false);  // hang-up: the connection goes
  CHECK(f.rig.service.status() == apca::connection_status{3, 3});
  CHECK(f.rig.service.send_property(f.send("n", "i", "2")).error().explanation == "connection down");
}

TEST_CASE("cloud: sends accepted before the data call drops arrive, in order, once it is back") {
  cloud_rig f;
  f.connect();
  for (int i = 1; i <= 5; ++i) REQUIRE(f.rig.service.send_property(f.send("n", "i", std::to_string(i))).ok());
  f.rig.service.set_data_call(false);  // the network takes the call before the cloud has answered any of them
  CHECK(f.rig.service.status() == apca::connection_status{3, 3});
  f.urcs();  // the request on the wire may still reach the service
  CHECK(f.cloud.datapoints.size() <= 1);
  f.rig.service.set_data_call(true);
  f.urcs();
  // Every value, in order; the one that was on the wire is sent again, so it may be there twice (at least once).
  std::vector<int> values;
  for (const auto& point : f.cloud.datapoints) {
    if (values.empty() || values.back() != point["value"]) values.push_back(point["value"]);
  }
  CHECK(values == std::vector<int>{1, 2, 3, 4, 5});
}

TEST_CASE("cloud: a lost service gives l down and status 3, then l up again after the backoff") {
  cloud_rig f;
  f.connect();
  REQUIRE(f.rig.service.listen({"l"}).ok());
  f.urcs();
  f.rig.service.status();
  f.cloud.crash("read: end of stream");
  CHECK(f.urcs() == std::vector<std::string>{"+ADA: \"l\",\"down\"", "+ADA: \"status\",3,3"});
  REQUIRE(f.rig.timers.armed.count(apca::timer_id::service_connect));
  f.rig.service.on_timer(apca::timer_id::service_connect);  // still down: backs off again
  CHECK(f.urcs().empty());
  f.cloud.transport_failure.reset();
  f.rig.service.on_timer(apca::timer_id::service_connect);
  CHECK(f.urcs() == std::vector<std::string>{"+ADA: \"status\",1", "+ADA: \"l\",\"up\""});
}

TEST_CASE("cloud: a refused device key is an enable error, not a hang, status says conf error") {
  cloud_rig f;
  f.bring_up();
  f.cloud.refuse_auth = true;
  REQUIRE(f.rig.service.enable().ok());
  CHECK(f.urcs() == std::vector<std::string>{"+ADA: \"enable\",\"err\",7,\"err: authentication failed\""});
  CHECK(f.rig.service.status() == apca::connection_status{3, 1});
  // The service is asked again, slowly; the host is not told again.
  REQUIRE(f.rig.timers.armed.count(apca::timer_id::service_connect) == 1);
  f.rig.service.on_timer(apca::timer_id::service_connect);
  CHECK(f.urcs().empty());
  f.cloud.refuse_auth = false;  // the service's records changed
  f.rig.service.on_timer(apca::timer_id::service_connect);
  CHECK(f.urcs() == std::vector<std::string>{"+ADA: \"enable\",\"RDY\"", "+ADA: \"status\",0"});
}

TEST_CASE("cloud: a connection failure at enable is said once, and retried") {
  cloud_rig f;
  f.bring_up();
  f.cloud.transport_failure = "handshake: certificate verify failed";
  REQUIRE(f.rig.service.enable().ok());
  CHECK(f.urcs() ==
        std::vector<std::string>{"+ADA: \"enable\",\"err\",7,\"err: handshake: certificate verify failed\""});
  f.rig.service.on_timer(apca::timer_id::service_connect);
  CHECK(f.urcs().empty());
  CHECK(f.rig.timers.armed.count(apca::timer_id::service_connect) == 1);
}

TEST_CASE("cloud: disable drains queued sends before disable ok, with seconds it rewakes") {
  cloud_rig f;
  f.connect();
  REQUIRE(f.rig.service.send_property(f.send("n", "i", "1")).ok());
  REQUIRE(f.rig.service.send_property(f.send("n", "i", "2")).ok());
  REQUIRE(f.rig.service.disable({30}).ok());
  CHECK(f.rig.service.send_property(f.send("n", "i", "3")).error().explanation == "connection down");
  CHECK(f.urcs() == std::vector<std::string>{"+ADA: \"s\",\"n\",\"status\",0", "+ADA: \"s\",\"n\",\"status\",0",
                                             "+ADA: \"disable\",\"ok\""});
  CHECK(f.rig.service.status() == apca::connection_status{15, 0});
  REQUIRE(f.rig.timers.armed.at(apca::timer_id::disable_rewake) == std::chrono::seconds(30));
  f.rig.service.on_timer(apca::timer_id::disable_rewake);
  CHECK(f.urcs() == std::vector<std::string>{"+ADA: \"disable\",\"rewake\"", "+ADA: \"status\",0"});
  CHECK(f.rig.service.status() == apca::connection_status{0, 0});
}

TEST_CASE("cloud: a rewake that cannot connect says the error once, then rewake (not RDY) once it can") {
  cloud_rig f;
  f.connect();
  REQUIRE(f.rig.service.disable({5}).ok());
  CHECK(f.urcs() == std::vector<std::string>{"+ADA: \"disable\",\"ok\""});
  f.cloud.transport_failure = "connect: connection refused";
  f.rig.service.on_timer(apca::timer_id::disable_rewake);
  CHECK(f.urcs() == std::vector<std::string>{"+ADA: \"enable\",\"err\",7,\"err: connect: connection refused\""});
  CHECK(f.rig.service.status() == apca::connection_status{3, 3});
  f.rig.service.on_timer(apca::timer_id::service_connect);  // still failing: not said again
  CHECK(f.urcs().empty());
  f.cloud.transport_failure.reset();
  f.rig.service.on_timer(apca::timer_id::service_connect);
  CHECK(f.urcs() == std::vector<std::string>{"+ADA: \"disable\",\"rewake\"", "+ADA: \"status\",0"});
}

TEST_CASE("cloud: a module OTA's result is PUT as ADA does, once, when the download completes, before apply") {
  cloud_rig f;
  f.connect();
  REQUIRE(f.rig.service.listen({"l"}).ok());
  f.urcs();
  f.cloud.offer_image(7, "module", "FW 2", std::string(3 * apca::ota_fetch_bytes + 100, 'm'));
  CHECK(f.urcs() == std::vector<std::string>{"+ADA: \"ota\",\"notify\",\"module\",\"idm7\""});
  using op = apca::ota_request::operation;
  using img = apca::ota_request::image;
  f.cloud.every_request.clear();
  REQUIRE(f.rig.service.ota({op::download, img::module, "idm7", {}}).ok());
  CHECK(f.urcs() == std::vector<std::string>{"+ADA: \"ota\",\"notify\",\"module\",\"idm7\",\"ready\""});
  // The image in four ranges, then the result with no body: before the host has even been asked to apply.
  CHECK(f.cloud.request_lines() == std::vector<std::string>{"GET /devices/12/images/7.bin",
                                                          "GET /devices/12/images/7.bin",
                                                          "GET /devices/12/images/7.bin",
                                                          "GET /devices/12/images/7.bin",
                                                          "PUT /devices/12/commands/7.json?cmd_id=7&status=200"});
  f.cloud.every_request.clear();
  REQUIRE(f.rig.service.ota({op::apply, img::module, "idm7", {}}).ok());
  f.urcs();
  CHECK(f.rig.reboots == 1);
  f.rig.service.power_cycle();
  f.bring_up();
  REQUIRE(f.rig.service.listen({"l"}).ok());
  REQUIRE(f.rig.service.enable().ok());
  CHECK(f.urcs() == std::vector<std::string>{"+ADA: \"enable\",\"RDY\"", "+ADA: \"l\",\"up\"",
                                             "+ADA: \"ota\",\"notify\",\"module\",\"idm7\",\"done\""});
  // After the reboot nothing more about command 7: the new version in the device record says it runs.
  const auto request_lines = f.cloud.request_lines();
  for (const auto& line : request_lines) CHECK(line.find("/commands/7.json") == std::string::npos);
  CHECK(std::count_if(request_lines.begin(), request_lines.end(), [](const std::string& line) {
          return line.rfind("PUT /devices/12.json", 0) == 0 && line.find("FW 2") != std::string::npos;
        }) == 1);
}

TEST_CASE("cloud: a remote OTA source is located with Ayla auth, then fetched from its host without it") {
  cloud_rig f;
  f.connect();
  REQUIRE(f.rig.service.listen({"l"}).ok());
  f.urcs();
  const std::string image(20000, 'r');
  const std::string hosted = "https://images.example:8444/images/3/0123456789abcdef.bin";
  f.cloud.locations["/devices/12/images/3/location.json"] = {{"ota", {{"url", hosted}, {"source", "remote"}}}};
  f.cloud.images[hosted] = image;
  f.cloud.offer_ota(8, {{"url", "https://ads-dev.aylanetworks.com/devices/12/images/3/location.json"},
                        {"ver", "FW 3"},
                        {"size", image.size()},
                        {"type", "module"},
                        {"checksum", ads_client::sha256_hex(image)},
                        {"source", "remote"}});
  f.urcs();
  f.cloud.every_request.clear();
  REQUIRE(f.rig.service.ota({apca::ota_request::operation::download, apca::ota_request::image::module, "idm8", {}})
              .ok());
  CHECK(f.urcs() == std::vector<std::string>{"+ADA: \"ota\",\"notify\",\"module\",\"idm8\",\"ready\""});
  auto ayla_auth = [](const http_request& request) {
    return std::count_if(request.headers.begin(), request.headers.end(),
                         [](const auto& header) { return header.first.rfind("x-Ayla-", 0) == 0; });
  };
  REQUIRE(f.cloud.every_request.size() == 4);  // the location, two ranges, the result
  CHECK(f.cloud.every_request[0].first == apca::cloud_channel::download);
  CHECK(f.cloud.every_request[0].second.target == "/devices/12/images/3/location.json");
  CHECK(ayla_auth(f.cloud.every_request[0].second) == 1);
  for (int i : {1, 2}) {
    CHECK(f.cloud.every_request[i].first == apca::cloud_channel::image_host);
    CHECK(f.cloud.every_request[i].second.target == hosted);
    CHECK(ayla_auth(f.cloud.every_request[i].second) == 0);
  }
  CHECK(f.cloud.every_request[3].second.target == "/devices/12/commands/8.json?cmd_id=8&status=200");
}

TEST_CASE("cloud: stop and reboot drop the connection") {
  cloud_rig f;
  f.connect();
  f.rig.service.stop();
  CHECK(f.rig.service.status() == apca::connection_status{15, 0});
  f.rig.service.start();
  REQUIRE(f.rig.service.enable().ok());
  CHECK(f.urcs() == std::vector<std::string>{"+ADA: \"start\",\"done\"", "+ADA: \"enable\",\"RDY\"",
                                             "+ADA: \"status\",0"});
  f.rig.service.power_cycle();
  CHECK(f.rig.service.status() == apca::connection_status{15, 3});
}

// Found by fuzz/module_core: a name or value that is not UTF-8 made the datapoint's JSON encoder throw.
TEST_CASE("cloud: a send whose name and value are not UTF-8 is sent with U+FFFD, the agent keeps running") {
  cloud_rig f;
  f.connect();
  REQUIRE(f.rig.service.send_property(f.send("Blue_\xe0\xe0", "s", "caf\xe9")).ok());
  CHECK(f.urcs() == std::vector<std::string>{"+ADA: \"s\",\"Blue_\\E0\\E0\",\"status\",0"});
  CHECK(f.cloud.datapoints.back()["name"] == "Blue_\xef\xbf\xbd\xef\xbf\xbd");
  CHECK(f.cloud.datapoints.back()["value"] == "caf\xef\xbf\xbd");
  REQUIRE(f.rig.service.send_property(f.send("Blue_LED", "b", "1")).ok());
  CHECK(f.urcs() == std::vector<std::string>{"+ADA: \"s\",\"Blue_LED\",\"status\",0"});
}

TEST_CASE("cloud: 100,000 pipelined sends while the cloud does not answer: a bounded queue, busy beyond it, none lost") {
  cloud_rig f;
  f.connect();
  std::vector<int> accepted;
  std::size_t busy = 0;
  for (int i = 0; i < 100000; ++i) {  // the cloud is not run: nothing is answered
    const auto sent = f.rig.service.send_property(f.send("n", "i", std::to_string(i)));
    if (sent.ok()) {
      accepted.push_back(i);
      continue;
    }
    REQUIRE(sent.error().code == apca::ada_code::busy);
    REQUIRE(sent.error().explanation == "send queue full");
    ++busy;
  }
  // The stated bound, plus the one request on the wire.
  CHECK(accepted.size() == apca::cloud_session::tuning{}.max_queued_requests + 1);
  CHECK(accepted.size() + busy == 100000);
  CHECK(f.rig.service.get_property({"n"}).error().code == apca::ada_code::busy);

  // The cloud answers again: every accepted value arrives, in order, each with its status URC.
  CHECK(f.urcs().size() == accepted.size());
  REQUIRE(f.cloud.datapoints.size() == accepted.size());
  for (std::size_t i = 0; i < accepted.size(); ++i) REQUIRE(f.cloud.datapoints[i]["value"] == accepted[i]);
  CHECK(f.rig.service.send_property(f.send("n", "i", "100000")).ok());
}

TEST_CASE("cloud: a busy sn keeps its string, so the same sn sent again completes it") {
  cloud_rig f;
  f.connect();
  while (f.rig.service.send_property(f.send("n", "i", "1")).ok()) {
  }
  REQUIRE(f.rig.service.send_property(f.send("cmd", "st", "abc")).ok());  // parts are not queued: taken
  REQUIRE(f.rig.service.send_property(f.send("cmd", "ss", "def")).ok());
  CHECK(f.rig.service.send_property(f.send("cmd", "sn", "ghi")).error().code == apca::ada_code::busy);
  f.urcs();
  REQUIRE(f.rig.service.send_property(f.send("cmd", "sn", "ghi")).ok());
  f.urcs();
  CHECK(f.cloud.datapoints.back()["value"] == "abcdefghi");
}

TEST_CASE("cloud: st and ss forever without sn stop at 1024 characters with len err, and start clean after") {
  cloud_rig f;
  f.connect();
  REQUIRE(f.rig.service.send_property(f.send("cmd", "st", std::string(90, 'a'))).ok());
  int parts = 1;
  apca::result<apca::accepted> sent = apca::accepted{};
  while (sent.ok() && parts < 100000) {
    sent = f.rig.service.send_property(f.send("cmd", "ss", std::string(90, 'b')));
    ++parts;
  }
  REQUIRE_FALSE(sent.ok());
  CHECK(sent.error().code == apca::ada_code::len_err);
  CHECK(parts == 1024 / 90 + 1);  // the part that would pass 1024 characters is refused
  // The parts were dropped: an ss now has no string to continue; a new st starts clean.
  CHECK(f.rig.service.send_property(f.send("cmd", "ss", "x")).error().code == apca::ada_code::invalid);
  REQUIRE(f.rig.service.send_property(f.send("cmd", "st", "new")).ok());
  REQUIRE(f.rig.service.send_property(f.send("cmd", "sn", "er")).ok());
  f.urcs();
  CHECK(f.cloud.datapoints.back()["value"] == "newer");
}
