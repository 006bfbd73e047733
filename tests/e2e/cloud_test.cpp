// The module against a real device service (ads-sim as its own process, or the embedded default): in-field
// provisioning (sample 4.2), to-device changes, 1,000 pipelined sends, the service dying and coming back,
// an untrusted certificate, a wrong device key, a device token on another device's path.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <boost/asio/io_context.hpp>

#include "e2e_helpers.hpp"
#include "ads_client/device_auth.hpp"
#include "ads_client/device_protocol.hpp"
#include "ads_client/https_client.hpp"
#include "harness/cloud_fixtures.hpp"

using namespace e2e;

namespace {

factory_device make_factory_device(const admin_client& admin, const std::string& oem_id, int count = 1) {
  return make_factory_devices(admin, oem_id, count).front();
}

// Note sample 4.2 on `port`, with the OEM and its provisioning key made through `admin` as note §5.1.5–5.1.6 do.
void run_sample_4_2(host_port& port, const admin_client& admin) {
  REQUIRE(admin.post("/oems", {{"oem_id", "ffa10123"}, {"name", "oem"}, {"email", "oem@example.com"}}).status == 201);
  temp_dir keys;
  // Note §5.1.5, exactly.
  REQUIRE(run_to_exit("/usr/bin/openssl", {"genrsa", "-out", (keys.path() / "rsa_private_key_2048.pem").string(),
                                           "2048"}).exit_code == 0);
  REQUIRE(run_to_exit("/usr/bin/openssl", {"pkcs8", "-in", (keys.path() / "rsa_private_key_2048.pem").string(),
                                           "-out", (keys.path() / "rsa_private_key_2048_pkcs8.pem").string(),
                                           "-nocrypt", "-topk8"}).exit_code == 0);
  REQUIRE(run_to_exit("/usr/bin/openssl", {"rsa", "-in", (keys.path() / "rsa_private_key_2048.pem").string(),
                                           "-out", (keys.path() / "rsa_public_key_2048.pem").string(), "-pubout"})
              .exit_code == 0);
  const auto uploaded = admin.post("/oems/ffa10123/provision_keys",
                                   {{"public_key", slurp(keys.path() / "rsa_public_key_2048.pem")}});
  REQUIRE(uploaded.status == 201);
  const std::string key_id = uploaded.body.at("key_id");

  bring_up_network(port);
  const auto ok = [&](const std::string& line) { CHECK(port.command(line) == echoed(line, "\r\nOK\r\n")); };
  ok("AT+ADA= \"start\"");
  CHECK(port.read_until("\r\n+ADA: \"start\",\"done\"\r\n") == "\r\n+ADA: \"start\",\"done\"\r\n");
  ok("AT+ADA=\"cs\", \"oem/id\", \"ffa10123\"");
  ok("AT+ADA=\"cs\", \"oem/model\", \"ledevb\"");
  ok("AT+ADA=\"cs\", \"oem/keyid\", \"" + key_id + "\"");
  ok("AT+ADA=\"cs\",\"oem/region\",\"CN\"");
  ok("AT+ADA=\"cs\",\"oem/hwid\",\"myhwid1\"");
  const std::string body = pem_body(slurp(keys.path() / "rsa_private_key_2048_pkcs8.pem"));
  for (std::size_t at = 0; at < body.size(); at += 64) {
    const char* kind = at == 0 ? "st" : at + 64 >= body.size() ? "sn" : "ss";
    ok("AT+ADA=\"sign\", \"" + std::string(kind) + "\", \"" + body.substr(at, 64) + "\"");
  }
  ok("AT+ADA= \"enable\"");
  CHECK(port.read_until("\r\n+ADA: \"enable\",\"RDY\"\r\n", 30s) == "\r\n+ADA: \"enable\",\"RDY\"\r\n");
  ok("AT+ADA=\"I\"");
  CHECK(port.read_until("\r\n+ADA: \"I\",\"up\"\r\n") == "\r\n+ADA: \"I\",\"up\"\r\n");

  // The service allocated a DSN for this hardware id; the module stored it.
  const auto devices = admin.get("/devices");
  REQUIRE(devices.status == 200);
  std::string dsn;
  for (const auto& device : devices.body.at("devices"))
    if (device.at("hwid") == "myhwid1") dsn = device.at("dsn");
  REQUIRE_FALSE(dsn.empty());
  CHECK(port.command("AT+ADA=\"cg\",\"id/dev_id\"") ==
        echoed("AT+ADA=\"cg\",\"id/dev_id\"", "\r\n+ADA: \"cg\",\"id/dev_id\",\"" + dsn + "\"\r\n\r\nOK\r\n"));
  const auto device = admin.get("/devices/" + dsn);
  CHECK(device.body.at("listening") == true);
  CHECK(device.body.at("oem_id") == "ffa10123");
}

}  // namespace

TEST_CASE("4.2 in-field provisioning with an OEM key made by openssl, byte for byte", "[e2e][cloud]") {
  device_service service;
  booted_module m({"--ads-url", service.url(), "--ads-ca", service.ca_file().string()});
  run_sample_4_2(m.port, admin_of(service));
}

TEST_CASE("4.2 in-field provisioning against the embedded default with a blank module", "[e2e][cloud]") {
  booted_module m({"--factory-identity", "none"});
  run_sample_4_2(m.port, embedded_admin(m.module));
}

TEST_CASE("1,000 pipelined sends all arrive as datapoints, in order", "[e2e][cloud]") {
  device_service service;
  const admin_client admin = admin_of(service);
  const factory_device device = make_factory_device(admin, "0badf00d");
  auto m = module_for(service, device);
  enable_and_listen(m->port);
  // The host waits for each OK, never for the status: sends overlap with the cloud's answers.
  std::string seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string line = "AT+ADA=\"s\",\"counter\",\"i\",\"" + std::to_string(i) + "\"";
    const std::string answer = m->port.command(line);
    REQUIRE(answer.ends_with("\r\nOK\r\n"));
    seen += answer;
  }
  const std::string status = "+ADA: \"s\",\"counter\",\"status\",0\r\n";
  std::size_t count = 0;
  for (auto at = seen.find(status); at != std::string::npos; at = seen.find(status, at + 1)) ++count;
  seen += read_until_count(m->port, status, 1000 - count, 60s);
  count = 0;
  for (auto at = seen.find(status); at != std::string::npos; at = seen.find(status, at + 1)) ++count;
  CHECK(count == 1000);

  const auto datapoints = admin.get("/devices/" + device.dsn + "/properties/counter/datapoints");
  REQUIRE(datapoints.status == 200);
  const auto& list = datapoints.body.at("datapoints");
  REQUIRE(list.size() == 1000);
  for (int i = 0; i < 1000; ++i) REQUIRE(list.at(i).at("value") == i);
}

TEST_CASE("the service killed and restarted: l down, status 3, then l up with the properties still there",
          "[e2e][cloud]") {
  device_service service;
  const admin_client admin = admin_of(service);
  const factory_device device = make_factory_device(admin, "7ead0001");
  auto m = module_for(service, device);
  auto& port = m->port;
  enable_and_listen(port);
  REQUIRE(port.command("AT+ADA=\"s\",\"Blue_LED\",\"b\",\"1\"").ends_with("OK\r\n"));
  REQUIRE(port.read_until("+ADA: \"s\",\"Blue_LED\",\"status\",0\r\n").ends_with("status\",0\r\n"));
  CHECK(port.command("AT+ADA=\"status\"") ==
        echoed("AT+ADA=\"status\"", "\r\n+ADA: \"status\",1\r\n\r\nOK\r\n"));

  // No request is held open (ANS pushes), so an idle module learns of the loss from its unanswered keep-alives:
  // 27 s to the next one, 3 tries 3 s apart, then GET /dsns fails.
  service.kill_hard();
  CHECK(port.read_until("\r\n+ADA: \"l\",\"down\"\r\n", 60s).ends_with("\r\n+ADA: \"l\",\"down\"\r\n"));
  CHECK(port.read_until("\r\n+ADA: \"status\",3,3\r\n").ends_with("\r\n+ADA: \"status\",3,3\r\n"));
  CHECK(port.command("AT+ADA=\"s\",\"Blue_LED\",\"b\",\"0\"") ==
        echoed("AT+ADA=\"s\",\"Blue_LED\",\"b\",\"0\"",
               "\r\n+ADA: \"s\",\"err\",7,\"err: connection down\"\r\n\r\nERROR\r\n"));

  service.start();
  CHECK(port.read_until("\r\n+ADA: \"l\",\"up\"\r\n", 30s).ends_with("\r\n+ADA: \"l\",\"up\"\r\n"));
  REQUIRE(port.command("AT+ADA=\"g\",\"Blue_LED\"").ends_with("OK\r\n"));
  CHECK(port.read_until("\r\n+ADA: \"g\",\"ok\",\"Blue_LED\",\"b\",1\r\n")
            .ends_with("\r\n+ADA: \"g\",\"ok\",\"Blue_LED\",\"b\",1\r\n"));
}

TEST_CASE("a server certificate the CA did not sign is refused with a clear error", "[e2e][cloud]") {
  device_service service;
  const admin_client admin = admin_of(service);
  const factory_device device = make_factory_device(admin, "bad0ca00");
  temp_dir other;
  REQUIRE(run_to_exit("/usr/bin/openssl",
                      {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=Some Other CA", "-days", "1",
                       "-keyout", (other.path() / "key.pem").string(), "-out", (other.path() / "ca.pem").string()})
              .exit_code == 0);
  booted_module m({"--ads-url", service.url(), "--ads-ca", (other.path() / "ca.pem").string()});
  bring_up_network(m.port);
  start_service(m.port);
  configure_device(m.port, device, device.public_key);
  REQUIRE(m.port.command("AT+ADA=\"enable\"").ends_with("OK\r\n"));
  const std::string error = m.port.read_until("\"\r\n", 30s);
  CHECK(error.find("+ADA: \"enable\",\"err\",7,\"err: handshake: certificate verify failed") != std::string::npos);
  CHECK(m.port.command("AT+ADA=\"status\"") == echoed("AT+ADA=\"status\"", "\r\n+ADA: \"status\",3,3\r\n\r\nOK\r\n"));
  CHECK(admin.get("/devices/" + device.dsn).body.at("connected") == false);
}

TEST_CASE("a wrong device key is an enable error, not a hang", "[e2e][cloud]") {
  device_service service;
  const admin_client admin = admin_of(service);
  const factory_device device = make_factory_device(admin, "0e770001", 2);
  const auto devices = admin.get("/devices").body.at("devices");
  std::string other_dsn;
  for (const auto& d : devices)
    if (d.at("dsn") != device.dsn) other_dsn = d.at("dsn");
  REQUIRE_FALSE(other_dsn.empty());
  // The other device's key, from a second factory batch: a valid RSA key, but not this DSN's.
  const auto other = admin.post("/oems/0e770001/devices", {{"model", "ledevb"}, {"count", 1}});
  const std::string wrong_key = other.body.at("devices").at(0).at("public_key");
  booted_module m({"--ads-url", service.url(), "--ads-ca", service.ca_file().string()});
  bring_up_network(m.port);
  start_service(m.port);
  configure_device(m.port, device, wrong_key);
  REQUIRE(m.port.command("AT+ADA=\"enable\"").ends_with("OK\r\n"));
  CHECK(m.port.read_until("\r\n", 30s) == "\r\n");
  CHECK(m.port.read_until("\r\n", 30s) == "+ADA: \"enable\",\"err\",7,\"err: authentication failed\"\r\n");
  CHECK(m.port.command("AT+ADA=\"status\"") == echoed("AT+ADA=\"status\"", "\r\n+ADA: \"status\",3,1\r\n\r\nOK\r\n"));
}

TEST_CASE("the embedded default connects with start, enable, l, a cloud change arrives as a p URC",
          "[e2e][cloud]") {
  booted_module m({"--network", "auto"});
  auto& port = m.port;
  start_service(port);
  enable_and_listen(port);
  CHECK(port.command("AT+ADA=\"status\"") == echoed("AT+ADA=\"status\"", "\r\n+ADA: \"status\",1\r\n\r\nOK\r\n"));

  const admin_client admin = embedded_admin(m.module);
  std::string dsn = port.command("AT+ADA=\"cg\",\"id/dev_id\"");
  dsn = dsn.substr(dsn.find("\"id/dev_id\",\"") + 13);
  dsn = dsn.substr(0, dsn.find('"'));
  const auto set = admin.put("/devices/" + dsn + "/properties/Blue_LED", {{"value", 1}, {"base_type", "boolean"}});
  REQUIRE(set.status == 200);
  CHECK(port.read_until("\r\n+ADA: \"p\",\"Blue_LED\",\"b\",1\r\n").ends_with("\r\n+ADA: \"p\",\"Blue_LED\",\"b\",1\r\n"));
  const auto text = admin.put("/devices/" + dsn + "/properties/cmd", {{"value", "say \"hi\""}, {"base_type", "string"}});
  REQUIRE(text.status == 200);
  CHECK(port.read_until("\r\n+ADA: \"p\",\"cmd\",\"s\",\"say \\22hi\\22\"\r\n")
            .ends_with("\r\n+ADA: \"p\",\"cmd\",\"s\",\"say \\22hi\\22\"\r\n"));
}

TEST_CASE("cloud changes reach the host through ANS: the module holds no poll and polls only every 300 s",
          "[e2e][cloud]") {
  booted_module m({"--network", "auto"});
  auto& port = m.port;
  start_service(port);
  enable_and_listen(port);
  const admin_client admin = embedded_admin(m.module);
  std::string dsn = port.command("AT+ADA=\"cg\",\"id/dev_id\"");
  dsn = dsn.substr(dsn.find("\"id/dev_id\",\"") + 13);
  dsn = dsn.substr(0, dsn.find('"'));
  // The module asks for no held poll, so "listening" can only be its ANS registration.
  const auto started = std::chrono::steady_clock::now();
  bool listening = false;
  while (!listening && std::chrono::steady_clock::now() - started < 10s)
    listening = admin.get("/devices/" + dsn).body.at("listening") == true;
  REQUIRE(listening);
  // Each change arrives long before the 300 s fallback poll could have fetched it: only ANS's event explains it.
  for (int value : {1, 0, 1}) {
    const auto set = admin.put("/devices/" + dsn + "/properties/Blue_LED", {{"value", value}, {"base_type", "boolean"}});
    REQUIRE(set.status == 200);
    const std::string urc = "\r\n+ADA: \"p\",\"Blue_LED\",\"b\"," + std::to_string(value) + "\r\n";
    CHECK(port.read_until(urc, 20s).ends_with(urc));
  }
  CHECK(std::chrono::steady_clock::now() - started < 100s);
}

TEST_CASE("a device token used on another device's path is refused with 403", "[e2e][cloud]") {
  device_service service;
  const auto devices = make_factory_devices(admin_of(service), "0f0f0403", 2);
  boost::asio::io_context io;
  auto client = ads_client::https_client::create(
      io.get_executor(), {service.host(), service.port(), "localhost", service.ca_file().string()});
  ads_client::device_auth auth;
  auth.set_key(ads_client::rsa_key::public_from_base64_body(devices[0].public_key));
  const auto now = [] {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  const auto exchange = [&](ads_client::http_request request) {
    auth.sign(request, now());
    ads_client::http_response answer;
    client->request(std::move(request), 10s, [&](ads_client::http_outcome outcome) {
      REQUIRE(std::holds_alternative<ads_client::http_response>(outcome));
      answer = std::get<ads_client::http_response>(outcome);
      auth.on_response(answer, now());
    });
    io.run();
    io.restart();
    return answer;
  };
  const auto own = exchange(ads_client::device_api::get_dsn(devices[0].dsn));
  REQUIRE(own.status == 200);
  REQUIRE(auth.has_token());
  const auto other_key = ads_client::device_api::parse_dsn(own)->key + 1;
  CHECK(exchange(ads_client::device_api::get_dsn(devices[1].dsn)).status == 403);
  CHECK(exchange(ads_client::device_api::get_commands(other_key, 0)).status == 403);
  CHECK(exchange(ads_client::device_api::post_datapoint(other_key, "x", "integer", 1, {})).status == 403);
  client->close();
}
