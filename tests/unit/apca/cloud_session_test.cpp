// cloud_session against a scripted device service: every request is inspected (including the RSA client-auth and
// oem_key, decrypted with the device's private key) and answered by the test. No sockets, no clocks.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "ads_client/base64.hpp"
#include "ads_client/rsa_key.hpp"
#include "ads_client/ans_packet.hpp"
#include "apca/cloud_session.hpp"
#include "tests/support/fake_cloud.hpp"
#include "tests/support/fake_ports.hpp"

namespace {

using ads_client::http_outcome;
using ads_client::http_request;
using ads_client::http_response;
using nlohmann::json;

http_response answer(int status, json body = nullptr, std::map<std::string, std::string> headers = {}) {
  http_response response{status, std::move(headers), body.is_null() ? std::string() : body.dump()};
  response.headers["x-ayla-server-time"] = "1000000";
  return response;
}

struct session_recorder : apca::cloud_session::listener {
  std::vector<std::string> events;
  std::function<void(bool)> pending_store;
  void on_online() override { events.push_back("online"); }
  void on_offline(const apca::ada_error& why, bool fatal) override {
    events.push_back(std::string(fatal ? "refused: " : "offline: ") + why.explanation);
  }
  void on_provisioned(const std::string& dsn, const std::string& key, std::function<void(bool)> stored) override {
    events.push_back("provisioned " + dsn + " " + std::to_string(key.size()));
    pending_store = std::move(stored);
  }
  void on_send_status(const std::string& name, int code) override {
    events.push_back("status " + name + " " + std::to_string(code));
  }
  void on_get_result(const std::string& name,
                     const apca::result<ads_client::device_api::property_update>& got) override {
    events.push_back(got.ok() ? "got " + name + " " + got.value().value.dump()
                              : "get failed " + name + ": " + got.error().explanation);
  }
  void on_to_device(const ads_client::device_api::property_update& update) override {
    events.push_back("to-device " + update.name + " " + update.value.dump());
  }
  void on_command(const ads_client::device_api::command& command) override {
    events.push_back("command " + command.resource);
  }
};

const ads_client::rsa_key& device_key() {
  static const ads_client::rsa_key key = ads_client::rsa_key::generate(2048);
  return key;
}

std::string decrypt_header(const std::string& value) {
  REQUIRE(value.rfind("Ayla1.0 ", 0) == 0);
  auto cipher = ads_client::base64_decode(value.substr(8));
  REQUIRE(cipher);
  auto plain = device_key().decrypt_pkcs1(*cipher);
  REQUIRE(plain);
  return *plain;
}

apca::cloud_credentials factory_credentials() {
  apca::cloud_credentials credentials;
  credentials.dsn = "AC000W000000001";
  credentials.public_key = device_key().public_base64_body();
  credentials.oem_id = "71866f33";
  credentials.oem_model = "myoemmodel";
  credentials.oem_secret = "s3cret";
  credentials.template_version = "1.0-pwb";
  credentials.region = "CN";
  credentials.sw_version = "FW 1";
  return credentials;
}

struct session_fixture {
  explicit session_fixture(bool with_notifier = false) : cloud(with_notifier ? &udp : nullptr) {}
  test_support::fake_udp udp;
  test_support::fake_cloud cloud;
  test_support::fake_timers timers;
  test_support::fake_clock clock{1000000};
  session_recorder events;
  apca::cloud_session session{cloud, timers, clock, events, [] { return 0.5; }};

  // Walks the connect sequence with a well-behaved service and checks every request on the way.
  // `device` may add GET /dsns fields (the notifier's).
  void connect_online(json dsn_fields = json::object()) {
    session.connect(factory_credentials());
    CHECK(cloud.server_name == "myoemmodel-71866f33-device.ayla.com.cn");
    auto dsn = cloud.take();
    CHECK(dsn.request.method == "GET");
    CHECK(dsn.request.target == "/dsns/AC000W000000001.json");
    CHECK(decrypt_header(*dsn.header("x-Ayla-client-auth")) == "1000000 GET /dsns/AC000W000000001.json");
    dsn_fields.update(json{{"key", 12}, {"dsn", "AC000W000000001"}});
    dsn.done(answer(200, {{"device", dsn_fields}}, {{"x-ayla-auth-key", "tok"}}));
    auto device = cloud.take();
    CHECK(device.request.target == "/devices/12.json");
    CHECK(device.header("x-Ayla-auth-key") == "Ayla1.0 tok");
    CHECK(json::parse(device.request.body)["device"]["sw_version"] == "FW 1");
    device.done(answer(204));
    auto oem = cloud.take();
    CHECK(oem.request.target == "/devices/12/oem_info.json");
    json body = json::parse(oem.request.body);
    CHECK(body["template_version"] == "1.0-pwb");
    auto oem_key = ads_client::base64_decode(body["oem_key"].get<std::string>());
    REQUIRE(oem_key);
    CHECK(device_key().decrypt_pkcs1(*oem_key) == "1000000 s3cret 71866f33 myoemmodel");
    oem.done(answer(204));
    REQUIRE(events.events.back() == "online");
  }
};

}  // namespace

TEST_CASE("cloud_session connects: auth, device registration, OEM info, then online") {
  session_fixture f;
  f.connect_online();
  CHECK(f.session.online());
  CHECK(f.cloud.requests.empty());
}

TEST_CASE("cloud_session retries a 401 with fresh client auth and a corrected clock, and backs off after three") {
  session_fixture f;
  f.session.connect(factory_credentials());
  auto first = f.cloud.take();
  auto stale = answer(401, {{"error", "stale time"}});
  stale.headers["x-ayla-server-time"] = "1000100";
  first.done(stale);
  auto second = f.cloud.take();
  CHECK(decrypt_header(*second.header("x-Ayla-client-auth")) == "1000100 GET /dsns/AC000W000000001.json");
  second.done(answer(401, {{"error", "no"}}));
  f.cloud.take().done(answer(401, {{"error", "no"}}));
  CHECK(f.events.events.back() == "refused: authentication failed");
  CHECK_FALSE(f.session.online());
  REQUIRE(f.timers.armed.count(apca::timer_id::service_connect) == 1);
  CHECK(f.timers.armed[apca::timer_id::service_connect] >= std::chrono::seconds(6));  // the longest backoff
  f.session.on_timer(apca::timer_id::service_connect);
  CHECK(f.cloud.take().request.target == "/dsns/AC000W000000001.json");
}

TEST_CASE("cloud_session backs off after a transport failure and reconnects when the timer fires") {
  session_fixture f;
  f.session.connect(factory_credentials());
  f.cloud.take().done(ads_client::transport_error{"connect: Connection refused"});
  CHECK(f.events.events.back() == "offline: connect: Connection refused");
  REQUIRE(f.timers.armed.count(apca::timer_id::service_connect) == 1);
  const auto first_delay = f.timers.armed[apca::timer_id::service_connect];
  f.session.on_timer(apca::timer_id::service_connect);
  f.cloud.take().done(ads_client::transport_error{"connect: Connection refused"});
  CHECK(f.timers.armed[apca::timer_id::service_connect] == 2 * first_delay);  // exponential
  f.timers.armed.clear();
  f.session.on_timer(apca::timer_id::service_connect);
  CHECK(f.cloud.take().request.target == "/dsns/AC000W000000001.json");
}

TEST_CASE("cloud_session sends datapoints one at a time in order, and resends the one cut by a loss") {
  session_fixture f;
  f.connect_online();
  for (int i = 0; i < 3; ++i) f.session.send({"Blue_LED", "integer", std::to_string(i), {}});
  REQUIRE(f.cloud.requests.size() == 1);  // window of one keeps order under 401 retries
  auto first = f.cloud.take();
  CHECK(first.request.target == "/devices/12/properties/Blue_LED/datapoints.json");
  CHECK(json::parse(first.request.body)["datapoint"]["value"] == 0);
  first.done(answer(201, {{"datapoint", {{"value", 0}}}}));
  CHECK(f.events.events.back() == "status Blue_LED 0");
  f.cloud.take().done(ads_client::transport_error{"read: end of stream"});
  CHECK(f.events.events.back() == "offline: read: end of stream");
  CHECK(f.session.pending_work() == 2);
  f.session.on_timer(apca::timer_id::service_connect);
  f.cloud.take().done(answer(200, {{"device", {{"key", 12}}}}, {{"x-ayla-auth-key", "tok2"}}));
  f.cloud.take().done(answer(204));
  f.cloud.take().done(answer(204));
  auto resent = f.cloud.take();
  CHECK(json::parse(resent.request.body)["datapoint"]["value"] == 1);
  resent.done(answer(422, {{"error", "value does not match base_type"}}));
  CHECK(f.events.events.back() == "status Blue_LED 1");
  auto last = f.cloud.take();
  CHECK(json::parse(last.request.body)["datapoint"]["value"] == 2);
}

json commands_answer(json properties = json::array()) {
  return {{"commands", {{"cmds", json::array()}, {"properties", std::move(properties)}}}};
}

TEST_CASE("cloud_session without a notifier GETs commands.json while listening, then only at Ayla's interval") {
  session_fixture f;
  f.connect_online();
  f.session.set_listening(true);
  auto poll = f.cloud.take(apca::cloud_channel::poll);
  CHECK(poll.request.target == "/devices/12/commands.json?polling=2");  // ADA: polling, ANS never up
  poll.done(answer(200, commands_answer({{{"property", {{"name", "Blue_LED"}, {"base_type", "boolean"},
                                                         {"value", 1}}}}})));
  CHECK(f.events.events.back() == "to-device Blue_LED 1");
  CHECK(f.cloud.requests.empty());  // the service answers at once: no tight loop
  REQUIRE(f.timers.armed.count(apca::timer_id::service_poll) == 1);
  CHECK(f.timers.armed[apca::timer_id::service_poll] == std::chrono::seconds(300));
  f.session.set_listening(true);  // listening again does not start a second poll
  CHECK(f.cloud.requests.empty());
  f.session.on_timer(apca::timer_id::service_poll);
  CHECK(f.cloud.take(apca::cloud_channel::poll).request.target == "/devices/12/commands.json?polling=2");
}

TEST_CASE("cloud_session asks again at once when the service says more is queued (206)") {
  session_fixture f;
  f.connect_online();
  f.session.set_listening(true);
  f.cloud.take(apca::cloud_channel::poll).done(answer(206, commands_answer()));
  f.cloud.take(apca::cloud_channel::poll).done(answer(200, commands_answer()));
  CHECK(f.cloud.requests.empty());
}

namespace {

namespace ans = ads_client::ans;
const std::string ans_key = "0123456789abcdef";

// Connected with a notifier at ans.example:55056, registered, the host listening, its first GET answered empty.
struct notified_fixture : session_fixture {
  notified_fixture() : session_fixture(true) {
    connect_online({{"ans_server", "ans.example"}, {"ans_port", 55056},
                    {"ans_cipher_key", ads_client::base64_encode(ans_key)}});
    CHECK(udp.host == "ans.example");
    CHECK(udp.port == 55056);
    const auto reg = ans::decode_registration(udp.take(), [](std::string_view) { return ans_key; });
    REQUIRE(reg);
    CHECK(reg->dsn == "AC000W000000001");
    udp.to->on_datagram(seal(ans::op::reg_resp, reg->head.seq, ans::period_field(30) + ans::error_field(0)));
    REQUIRE(session.notified());
    session.set_listening(true);
    auto first = cloud.take(apca::cloud_channel::poll);
    CHECK(first.request.target == "/devices/12/commands.json");
    first.done(answer(200, commands_answer()));
    CHECK(cloud.requests.empty());
  }
  static std::string seal(ans::op code, std::uint16_t seq, std::string fields) {
    return ans::encode_message({7, {code, seq, 0}, std::move(fields)}, ans_key, std::string(16, '\x01'));
  }
};

}  // namespace

TEST_CASE("cloud_session with ANS up waits for events, not a poll timer, and GETs commands.json on each") {
  notified_fixture f;
  CHECK(f.events.events.back() == "online");
  CHECK(f.timers.armed.count(apca::timer_id::service_poll) == 0);
  f.udp.to->on_datagram(notified_fixture::seal(ans::op::notify, 1, {}));
  CHECK(ans::decode_message(f.udp.take(), ans_key)->head.code == ans::op::notify_resp);
  auto get = f.cloud.take(apca::cloud_channel::poll);
  CHECK(get.request.target == "/devices/12/commands.json");
  get.done(answer(200, commands_answer({{{"property", {{"name", "Blue_LED"}, {"base_type", "boolean"},
                                                        {"value", 0}}}}})));
  CHECK(f.events.events.back() == "to-device Blue_LED 0");
  CHECK(f.cloud.requests.empty());
  CHECK(f.timers.armed.count(apca::timer_id::service_poll) == 0);
}

TEST_CASE("cloud_session asks again after an answer when an event came while its GET was out") {
  notified_fixture f;
  f.udp.to->on_datagram(notified_fixture::seal(ans::op::notify, 1, {}));
  auto first = f.cloud.take(apca::cloud_channel::poll);
  f.udp.to->on_datagram(notified_fixture::seal(ans::op::notify, 2, {}));
  CHECK(f.cloud.requests.empty());  // one GET at a time
  first.done(answer(200, commands_answer()));
  CHECK(f.cloud.take(apca::cloud_channel::poll).request.target == "/devices/12/commands.json");
}

TEST_CASE("cloud_session polls at Ayla's interval while ANS is lost, asks where the notifier is, stops it offline") {
  notified_fixture f;
  f.session.on_timer(apca::timer_id::ans);  // keep-alive time
  for (int unanswered = 0; unanswered < 3; ++unanswered) {
    CHECK_FALSE(f.udp.take().empty());
    f.session.on_timer(apca::timer_id::ans);
  }
  CHECK_FALSE(f.session.notified());
  // As ADA: is the service there, and where is its notifier now? It moved: the next registration goes there.
  auto check = f.cloud.take(apca::cloud_channel::control);
  CHECK(check.request.target == "/dsns/AC000W000000001.json");
  check.done(answer(200, {{"device", {{"key", 12}, {"dsn", "AC000W000000001"}, {"ans_server", "ans2.example"},
                                      {"ans_port", 55057}, {"ans_cipher_key", ads_client::base64_encode(ans_key)}}}}));
  CHECK(f.udp.host == "ans2.example");
  CHECK(f.udp.port == 55057);
  REQUIRE(f.timers.armed.count(apca::timer_id::service_poll) == 1);
  CHECK(f.timers.armed[apca::timer_id::service_poll] == std::chrono::seconds(300));
  f.session.on_timer(apca::timer_id::service_poll);
  CHECK(f.cloud.take(apca::cloud_channel::poll).request.target == "/devices/12/commands.json?polling=1");
  f.session.on_timer(apca::timer_id::ans);  // the backoff ended: registering at the new address
  CHECK(ans::decode_registration(f.udp.take(), [](std::string_view) { return ans_key; }));
  f.session.disconnect();
  CHECK_FALSE(f.udp.open_now);
  CHECK(f.timers.armed.count(apca::timer_id::ans) == 0);
}

TEST_CASE("cloud_session goes offline when the check after an ANS loss finds the service gone") {
  notified_fixture f;
  f.session.on_timer(apca::timer_id::ans);
  for (int unanswered = 0; unanswered < 3; ++unanswered) {
    f.udp.take();
    f.session.on_timer(apca::timer_id::ans);
  }
  f.cloud.take(apca::cloud_channel::control).done(ads_client::transport_error{"connect: Connection refused"});
  CHECK(f.events.events.back() == "offline: connect: Connection refused");
  CHECK_FALSE(f.udp.open_now);
  REQUIRE(f.timers.armed.count(apca::timer_id::service_connect) == 1);
}

TEST_CASE("cloud_session reads a property and reports an unknown one") {
  session_fixture f;
  f.connect_online();
  f.session.get("Blue_LED");
  f.cloud.take().done(answer(200, {{"property", {{"name", "Blue_LED"}, {"base_type", "boolean"}, {"value", 1}}}}));
  CHECK(f.events.events.back() == "got Blue_LED 1");
  f.session.get("nope");
  f.cloud.take().done(answer(404, {{"error", "no such property"}}));
  CHECK(f.events.events.back() == "get failed nope: unknown property");
}

TEST_CASE("cloud_session provisions in the field when there is no DSN, then authenticates with the new key") {
  session_fixture f;
  apca::cloud_credentials credentials;
  credentials.oem_id = "ffa10123";
  credentials.oem_model = "ledevb";
  credentials.region = "CN";
  credentials.key_id = "OAGHAWp9TXUBIDxE";
  credentials.hwid = "myhwid1";
  credentials.provisioning_rand = "r4nd";
  credentials.provisioning_signature = "\x01\x02sig";
  f.session.connect(credentials);
  auto provision = f.cloud.take();
  CHECK(provision.request.method == "POST");
  CHECK(provision.request.target == "/provisions/OAGHAWp9TXUBIDxE");
  CHECK_FALSE(provision.header("x-Ayla-client-auth"));
  json body = json::parse(provision.request.body);
  // Ayla's body: the model and the signature only (hwid and rand travel inside the signature).
  CHECK(body == json{{"oem_model", "ledevb"}, {"signature", ads_client::base64_encode("\x01\x02sig")}});
  provision.done(answer(201, {{"dsn", "AC000W000000007"},
                              {"public_key", device_key().public_base64_body()},
                              {"oem_cipher", "c2VhbGVk"}}));
  REQUIRE(f.events.pending_store);
  CHECK(f.cloud.requests.empty());  // nothing before the identity is durable
  f.events.pending_store(true);
  auto dsn = f.cloud.take();
  CHECK(dsn.request.target == "/dsns/AC000W000000007.json");
  CHECK(decrypt_header(*dsn.header("x-Ayla-client-auth")) == "1000000 GET /dsns/AC000W000000007.json");
}

TEST_CASE("cloud_session reports a refused provisioning signature as a refusal, and a key it cannot use as final") {
  session_fixture f;
  apca::cloud_credentials credentials;
  credentials.key_id = "k";
  credentials.provisioning_signature = "x";
  f.session.connect(credentials);
  f.cloud.take().done(answer(403, {{"error", "bad signature"}}));
  CHECK(f.events.events.back() == "refused: provisioning refused: bad signature");

  apca::cloud_credentials broken = factory_credentials();
  broken.public_key = "not a key";
  f.timers.armed.clear();
  f.session.connect(broken);
  CHECK(f.events.events.back() == "refused: id/key");
  CHECK_FALSE(f.session.active());
  CHECK(f.timers.armed.count(apca::timer_id::service_connect) == 0);
}

TEST_CASE("cloud_session: an image host that fails TLS or answers 5xx ends that fetch only, the service link stays") {
  session_fixture f;
  f.connect_online();
  const int disconnects = f.cloud.disconnects;
  std::vector<apca::fetch_result> ends;
  auto keep = [&ends](apca::fetch_result outcome) { ends.push_back(std::move(outcome)); };
  f.session.fetch_range("https://images.example:8444/images/3/t.bin", false, 0, 100, keep);
  f.session.fetch_range("https://images.example:8444/images/3/t.bin", false, 0, 100, keep);
  f.cloud.take(apca::cloud_channel::image_host)
      .done(ads_client::transport_error{"handshake: certificate verify failed"});
  f.cloud.take(apca::cloud_channel::image_host).done(answer(503, {{"error", "slow down"}}));
  REQUIRE(ends.size() == 2);
  CHECK_FALSE(ends[0].ok());
  CHECK_FALSE(ends[0].error().lost_link());
  CHECK(ends[0].error().why.explanation == "image host: handshake: certificate verify failed");
  REQUIRE_FALSE(ends[1].ok());
  CHECK_FALSE(ends[1].error().lost_link());
  CHECK(f.session.online());
  CHECK(f.events.events.back() == "online");  // no "offline"
  CHECK(f.cloud.disconnects == disconnects);

  // The same failure on the service's own connection is the link's: the fetch ends as lost, the session retries.
  f.session.fetch_range("/devices/12/images/3.bin", true, 0, 100, keep);
  f.cloud.take(apca::cloud_channel::download).done(ads_client::transport_error{"read: end of stream"});
  REQUIRE(ends.size() == 3);
  REQUIRE_FALSE(ends[2].ok());
  CHECK(ends[2].error().lost_link());
  CHECK_FALSE(f.session.online());
}
