// Firmware updates end to end (SPEC §5, note §3.11–3.14 and sample 4.3): the real daemon on a real PTY, a real
// ads-sim driven through its admin API as the FOTA console would, and faults injected on the way.
#include <catch2/catch.hpp>

#include <random>
#include <regex>
#include <thread>

#include "e2e_helpers.hpp"
#include "ads_client/base64.hpp"
#include "harness/cloud_fixtures.hpp"

using namespace e2e;

namespace {

const std::string old_firmware =
    "LE11B01SIM7600M11_NA_OTA_191012 B01V06 MDM9x07_AP_M_AT_V1.05_180525 APCA-1.0 ADA-2.4.1 BUILD-a88da1c.132a03a";
const std::string new_firmware =
    "LE11B01SIM7600M11_NA_OTA_191012 B01V06 MDM9x07_AP_M_AT_V1.05_180525 APCA-1.0 ADA-2.4.1 BUILD-183c9ba.132a03a";

std::string random_image(std::size_t size, unsigned seed) {
  std::mt19937 random(seed);
  std::string bytes(size, '\0');
  for (auto& byte : bytes) byte = static_cast<char>(random() & 0xFF);
  return bytes;
}

std::int64_t upload(const admin_client& admin, const std::string& type, const std::string& version,
                    const std::string& bytes) {
  const auto uploaded = admin.post("/images", {{"type", type},
                                               {"model", "SIMCOM_SIM7600E-L1C"},
                                               {"version", version},
                                               {"data_base64", ads_client::base64_encode(bytes)}});
  INFO(uploaded.raw);
  REQUIRE(uploaded.status == 201);
  return uploaded.body.at("image_id");
}

// Creates and starts a job of `image` for these DSNs (the console's CREATE OTA JOB and start), returns its id.
std::int64_t start_job(const admin_client& admin, std::int64_t image, const std::vector<std::string>& dsns) {
  const auto created = admin.post("/ota_jobs", {{"image_id", image}, {"dsns", dsns}});
  REQUIRE(created.status == 201);
  const std::int64_t job = created.body.at("job_id");
  REQUIRE(admin.post("/ota_jobs/" + std::to_string(job) + "/start", nlohmann::json::object()).status == 200);
  return job;
}

nlohmann::json job_status(const admin_client& admin, std::int64_t job) {
  return admin.get("/ota_jobs/" + std::to_string(job)).body;
}

// Waits (with a deadline) until the job has no device left in progress; returns its final state.
nlohmann::json finished_job(const admin_client& admin, std::int64_t job, milliseconds deadline = 30s) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  nlohmann::json state = job_status(admin, job);
  while (state.at("status") != "completed" && std::chrono::steady_clock::now() < end) {
    // The job ends on the device's report, which the test has just caused and which has no event of its own to
    // wait on: ask again, at a modest pace, until it is in.
    std::this_thread::sleep_for(20ms);
    state = job_status(admin, job);
  }
  return state;
}

// The OTA id in a notify URC: +ADA: "ota","notify","module","idm7"
std::string notified_id(const std::string& text) {
  std::smatch match;
  REQUIRE(std::regex_search(text, match, std::regex(R"re(\+ADA: "ota","notify","(?:module|host)","([^"]+)")re")));
  return match[1];
}

std::string version_line(const std::string& version) {
  return echoed("AT+ADA=\"version\",\"fota\"", "\r\n+ADA: " + version + "\r\n\r\nOK\r\n");
}

// After a reboot into any firmware: the host brings the link up, starts, listens and enables (note §5.1.13).
void restart_agent(host_port& port) {
  CHECK(port.command("AT+CGDCONT=6,\"IP\",\"3gnet\"") == echoed("AT+CGDCONT=6,\"IP\",\"3gnet\"", "\r\nOK\r\n"));
  CHECK(port.command("AT+CAPNET=6,1") == echoed("AT+CAPNET=6,1", "\r\nOK\r\n"));
  CHECK(port.read_until("\r\n+CAPNET: 6,1\r\n") == "\r\n+CAPNET: 6,1\r\n");
  start_service(port);
  CHECK(port.command("AT+ADA=\"I\"") == echoed("AT+ADA=\"I\"", "\r\nOK\r\n"));
  CHECK(port.command("AT+ADA=\"enable\"") == echoed("AT+ADA=\"enable\"", "\r\nOK\r\n"));
}

// After a power cut (the process killed and started again) the clock is lost too: the whole bring-up again.
void power_on_agent(host_port& port) {
  bring_up_network(port);
  start_service(port);
  CHECK(port.command("AT+ADA=\"I\"") == echoed("AT+ADA=\"I\"", "\r\nOK\r\n"));
  CHECK(port.command("AT+ADA=\"enable\"") == echoed("AT+ADA=\"enable\"", "\r\nOK\r\n"));
}

struct ota_world {
  device_service service;
  admin_client admin = admin_of(service);
  std::vector<factory_device> devices;
  std::unique_ptr<booted_module> module;

  explicit ota_world(const std::string& oem_id, int count = 1)
      : devices(make_factory_devices(admin, oem_id, count)) {
    module = module_for(service, devices.front());
    enable_and_listen(module->port);
  }
  host_port& port() { return module->port; }

  // kill -9 and start again on the same NV; the host brings the agent back up until it listens.
  void power_cut() {
    module->module.kill_hard();
    module->module.start();
    module->port = host_port::open_tty(module->module.link());
    CHECK(port().read_until("PB DONE\r\n") == boot_urcs);
    power_on_agent(port());
    CHECK(port().read_until("\r\n+ADA: \"I\",\"up\"\r\n", 30s).ends_with("\r\n+ADA: \"I\",\"up\"\r\n"));
  }

  // Job started, notify seen, downloaded and verified: returns the job and the OTA id.
  std::pair<std::int64_t, std::string> ready_module_image(const std::string& image) {
    const std::int64_t job = start_job(admin, upload(admin, "module", new_firmware, image), {devices.front().dsn});
    const std::string id = notified_id(port().read_until("\"\r\n"));
    CHECK(port().command("AT+ADA=\"ota\",\"dl\",\"module\",\"" + id + "\"") ==
          echoed("AT+ADA=\"ota\",\"dl\",\"module\",\"" + id + "\"", "\r\nOK\r\n"));
    const std::string ready = "\r\n+ADA: \"ota\",\"notify\",\"module\",\"" + id + "\",\"ready\"\r\n";
    REQUIRE(port().read_until(ready, 30s).ends_with(ready));
    return {job, id};
  }
};

// Note sample 4.3 from the moment the module listens: the console's job, notify, dl, ready, apply, the reboot, the
// host bringing it back, done, and the new version in the module and in the cloud.
void run_sample_4_3(host_port& port, const admin_client& admin, const std::string& dsn) {
  CHECK(port.command("AT+ADA=\"version\",\"fota\"") == version_line(old_firmware));
  const std::string image = random_image(300 * 1024, 1);
  const std::int64_t job = start_job(admin, upload(admin, "module", new_firmware, image), {dsn});
  CHECK(job_status(admin, job).at("processing") == 1);

  const std::string notify = port.read_until("\"\r\n");
  const std::string id = notified_id(notify);
  CHECK(notify == "\r\n+ADA: \"ota\",\"notify\",\"module\",\"" + id + "\"\r\n");
  CHECK(port.command("AT+ADA=\"ota\",\"dl\",\"module\",\"" + id + "\",12800") ==
        echoed("AT+ADA=\"ota\",\"dl\",\"module\",\"" + id + "\",12800", "\r\nOK\r\n"));
  CHECK(port.read_until("\"ready\"\r\n", 30s) ==
        "\r\n+ADA: \"ota\",\"notify\",\"module\",\"" + id + "\",\"ready\"\r\n");
  CHECK(port.command("AT+ADA=\"ota\",\"apply\",\"module\",\"" + id + "\"") ==
        echoed("AT+ADA=\"ota\",\"apply\",\"module\",\"" + id + "\"", "\r\nOK\r\n"));
  CHECK(port.read_until("PB DONE\r\n") == boot_urcs);  // the module rebooted

  restart_agent(port);
  CHECK(port.read_until("\"done\"\r\n", 30s) ==
        "\r\n+ADA: \"enable\",\"RDY\"\r\n\r\n+ADA: \"I\",\"up\"\r\n\r\n+ADA: \"ota\",\"notify\",\"module\",\"" + id +
            "\",\"done\"\r\n");
  CHECK(port.command("AT+ADA=\"version\",\"fota\"") == version_line(new_firmware));
  const auto state = finished_job(admin, job);
  CHECK(state.at("succeeded") == 1);
  CHECK(state.at("failed") == 0);
  CHECK(admin.get("/devices/" + dsn).body.at("fw_version") == new_firmware);
}

}  // namespace

TEST_CASE("4.3 the module OTA: notify, dl, ready, apply, reboot, done, new version", "[e2e][ota]") {
  ota_world world("0fa70001");
  run_sample_4_3(world.port(), world.admin, world.devices.front().dsn);
}

TEST_CASE("4.3 the module OTA from ads-sim's image host: located, fetched there without Ayla auth, done",
          "[e2e][ota]") {
  device_service service({"--remote-images"});  // ota.json says source "remote": ask where, fetch from there
  const admin_client admin = admin_of(service);
  const auto devices = make_factory_devices(admin, "0fa70009", 1);
  auto module = module_for(service, devices.front());
  enable_and_listen(module->port);
  run_sample_4_3(module->port, admin, devices.front().dsn);  // ready only once the SHA-256 of the bytes matched

  // The service answered where the image is; every byte came from the image host, none from the service's path.
  const std::string log = service.log_text();
  CHECK(std::regex_search(log, std::regex(R"re(GET /devices/[0-9]+/images/[0-9]+/location\.json 200 )re")));
  CHECK_FALSE(std::regex_search(log, std::regex(R"re(GET /devices/[0-9]+/images/[0-9]+\.bin )re")));
  const std::regex hosted(R"re(GET /images/[0-9]+/[0-9a-f]{32}\.bin 206 ([0-9]+)B)re");
  std::size_t bytes = 0;
  for (std::sregex_iterator it(log.begin(), log.end(), hosted), end; it != end; ++it) bytes += std::stoul((*it)[1]);
  CHECK(bytes == 300 * 1024);
}

TEST_CASE("module OTA from an image host whose certificate names another host: not one byte is taken, the cloud "
          "is told, the old firmware stays", "[e2e][ota][faults]") {
  // 127.0.0.2 is loopback, but the service's certificate names localhost and 127.0.0.1 only.
  device_service service({"--remote-images", "--image-listen", "127.0.0.2:0"});
  const admin_client admin = admin_of(service);
  const auto devices = make_factory_devices(admin, "0fa7000a", 1);
  auto module = module_for(service, devices.front());
  auto& port = module->port;
  enable_and_listen(port);
  const std::int64_t job = start_job(admin, upload(admin, "module", new_firmware, random_image(32 * 1024, 10)),
                                     {devices.front().dsn});
  const std::string id = notified_id(port.read_until("\"\r\n"));
  CHECK(port.command("AT+ADA=\"ota\",\"dl\",\"module\",\"" + id + "\"").ends_with("\r\nOK\r\n"));
  const std::string refused = port.read_until("\"\r\n", 30s);
  INFO(refused);
  CHECK(refused == "\r\n+ADA: \"ota\",\"err\",7,\"err: image host: handshake: certificate verify failed\"\r\n");
  CHECK(port.command("AT+ADA=\"version\",\"fota\"") == version_line(old_firmware));
  const auto state = finished_job(admin, job);
  CHECK(state.at("failed") == 1);
  CHECK(state.at("succeeded") == 0);
  // The handshake failed before any request: the image host served nothing.
  CHECK_FALSE(std::regex_search(service.log_text(), std::regex(R"re(GET /images/)re")));
}

TEST_CASE("4.3 the module OTA against the embedded default", "[e2e][ota]") {
  booted_module m;  // the embedded service, the factory identity, the note's manual bring-up
  bring_up_network(m.port);
  start_service(m.port);
  enable_and_listen(m.port);
  std::string dsn = m.port.command("AT+ADA=\"cg\",\"id/dev_id\"");
  dsn = dsn.substr(dsn.find("\"id/dev_id\",\"") + 13);
  dsn = dsn.substr(0, dsn.find('"'));
  run_sample_4_3(m.port, embedded_admin(m.module), dsn);
}

TEST_CASE("host OTA: a 1 MiB image in 4 KiB windows is reassembled byte-identical, status reported", "[e2e][ota]") {
  ota_world world("0fa70002");
  auto& port = world.port();
  const std::string image = random_image(1024 * 1024, 2);
  const std::int64_t job = start_job(world.admin, upload(world.admin, "host", "mcu 2.0", image),
                                     {world.devices.front().dsn});
  const std::string notify = port.read_until("\"\r\n");
  const std::string id = notified_id(notify);
  CHECK(notify == "\r\n+ADA: \"ota\",\"notify\",\"host\",\"" + id + "\",1048576,\"mcu 2.0\"\r\n");

  const std::regex line(R"re(\+ADA: "ota","(part|ok)",")re" + id + R"re(","([A-Za-z0-9+/=]+)"\r\n)re");
  std::string assembled;
  std::string finish_seen;
  for (std::size_t window = 0; assembled.size() < image.size(); ++window) {
    INFO("window " << window);
    const std::string dl = "AT+ADA=\"ota\",\"dl\",\"host\",\"" + id + "\",4096";
    REQUIRE(port.command(dl) == echoed(dl, "\r\nOK\r\n"));
    std::string text = port.read_until("+ADA: \"ota\",\"ok\",\"" + id + "\",\"");
    text += port.read_until("\r\n");
    std::size_t parts = 0;
    for (std::sregex_iterator it(text.begin(), text.end(), line), end; it != end; ++it) {
      const auto bytes = ads_client::base64_decode((*it)[2].str());
      REQUIRE(bytes);
      if ((*it)[1] == "part") {
        REQUIRE(bytes->size() == 48);  // the README's fixed part size
        ++parts;
      }
      assembled += *bytes;
    }
    CHECK(parts == 85);  // 85 x 48 bytes, and 16 in the closing ok line
    REQUIRE(assembled.size() == (window + 1) * 4096);
  }
  const std::string finish = "\r\n+ADA: \"ota\",\"dl\",\"host\",\"" + id + "\",\"finish\"\r\n";
  CHECK(port.read_until(finish) == finish);
  CHECK(assembled == image);
  const std::string status = "AT+ADA=\"ota\",\"status\",\"host\",\"" + id + "\",0";
  CHECK(port.command(status) == echoed(status, "\r\nOK\r\n"));
  const auto state = finished_job(world.admin, job);
  CHECK(state.at("succeeded") == 1);
  CHECK(port.command("AT+ADA=\"ota\",\"dl\",\"host\",\"" + id + "\"") ==
        echoed("AT+ADA=\"ota\",\"dl\",\"host\",\"" + id + "\"",
               "\r\n+ADA: \"ota\",\"err\",9,\"cmd id: unknown ota id\"\r\n\r\nERROR\r\n"));
}

TEST_CASE("module OTA: a corrupted image is never applied, the cloud is told, the old firmware stays",
          "[e2e][ota][faults]") {
  ota_world world("0fa70003");
  auto& port = world.port();
  const std::string image = random_image(64 * 1024, 3);
  const std::int64_t image_id = upload(world.admin, "module", new_firmware, image);
  REQUIRE(world.admin.post("/faults", {{"corrupt_image", image_id}}).status == 200);
  const std::int64_t job = start_job(world.admin, image_id, {world.devices.front().dsn});
  const std::string id = notified_id(port.read_until("\"\r\n"));
  CHECK(port.command("AT+ADA=\"ota\",\"dl\",\"module\",\"" + id + "\"").ends_with("\r\nOK\r\n"));
  CHECK(port.read_until("\"\r\n", 30s) == "\r\n+ADA: \"ota\",\"err\",6,\"invalid: image checksum\"\r\n");
  const std::string apply = "AT+ADA=\"ota\",\"apply\",\"module\",\"" + id + "\"";
  CHECK(port.command(apply) == echoed(apply, "\r\n+ADA: \"ota\",\"err\",9,\"cmd id: unknown ota id\"\r\n\r\nERROR\r\n"));
  CHECK(port.command("AT+ADA=\"version\",\"fota\"") == version_line(old_firmware));
  const auto state = finished_job(world.admin, job);
  CHECK(state.at("failed") == 1);
  CHECK(state.at("succeeded") == 0);
}

TEST_CASE("module OTA: apply before ready is an error", "[e2e][ota][faults]") {
  ota_world world("0fa70004");
  auto& port = world.port();
  start_job(world.admin, upload(world.admin, "module", new_firmware, random_image(4096, 4)),
            {world.devices.front().dsn});
  const std::string id = notified_id(port.read_until("\"\r\n"));
  const std::string apply = "AT+ADA=\"ota\",\"apply\",\"module\",\"" + id + "\"";
  CHECK(port.command(apply) == echoed(apply, "\r\n+ADA: \"ota\",\"err\",7,\"err: image not ready\"\r\n\r\nERROR\r\n"));
}

TEST_CASE("module OTA: a download cut by a network loss resumes from where it stopped", "[e2e][ota][faults]") {
  ota_world world("0fa70005");
  auto& port = world.port();
  const std::string image = random_image(200 * 1024, 5);
  const std::int64_t image_id = upload(world.admin, "module", new_firmware, image);
  REQUIRE(world.admin.post("/faults", {{"cut_download", {{"image_id", image_id}, {"at", 100000}, {"times", 2}}}}).status == 200);
  const std::int64_t job = start_job(world.admin, image_id, {world.devices.front().dsn});
  const std::string id = notified_id(port.read_until("\"\r\n"));
  CHECK(port.command("AT+ADA=\"ota\",\"dl\",\"module\",\"" + id + "\"").ends_with("\r\nOK\r\n"));
  // The connection drops (and its quiet retry too): the listening host hears it, the module reconnects and
  // finishes the download.
  CHECK(port.read_until("\r\n+ADA: \"l\",\"down\"\r\n", 30s).ends_with("\r\n+ADA: \"l\",\"down\"\r\n"));
  CHECK(port.read_until("\r\n+ADA: \"l\",\"up\"\r\n", 30s).ends_with("\r\n+ADA: \"l\",\"up\"\r\n"));
  const std::string ready = "\r\n+ADA: \"ota\",\"notify\",\"module\",\"" + id + "\",\"ready\"\r\n";
  CHECK(port.read_until(ready, 30s).ends_with(ready));
  // Resumed, not restarted: the bytes served for this image add up to its size plus the one range cut.
  const std::string log = world.service.log_text();
  const std::regex served("GET /devices/[0-9]+/images/" + std::to_string(image_id) + R"re(\.bin 206 ([0-9]+)B)re");
  std::size_t bytes = 0;
  for (std::sregex_iterator it(log.begin(), log.end(), served), end; it != end; ++it) bytes += std::stoul((*it)[1]);
  CHECK(bytes == image.size());
  CHECK(log.find("dropped (injected fault)") != std::string::npos);
  CHECK(log.find("dropped (injected fault)", log.find("dropped (injected fault)") + 1) != std::string::npos);

  CHECK(port.command("AT+ADA=\"ota\",\"apply\",\"module\",\"" + id + "\"").ends_with("\r\nOK\r\n"));
  CHECK(port.read_until("PB DONE\r\n").ends_with("PB DONE\r\n"));
  restart_agent(port);
  CHECK(port.read_until("\"done\"\r\n", 30s).ends_with("\"done\"\r\n"));
  CHECK(finished_job(world.admin, job).at("succeeded") == 1);
}

TEST_CASE("module OTA: the answer carrying the offer lost in flight, the offer comes again and the job completes",
          "[e2e][ota][faults]") {
  ota_world world("0fa7000b");
  auto& port = world.port();
  // The service counts the offer delivered, then loses its answer (and the quiet retry's): the module reconnects.
  REQUIRE(world.admin.post("/faults", {{"lose_command_answers", 2}}).status == 200);
  const std::int64_t job =
      start_job(world.admin, upload(world.admin, "module", new_firmware, random_image(16 * 1024, 11)),
                {world.devices.front().dsn});
  // The host hears the link go down and up, then the offer.
  const std::string offer = "+ADA: \"ota\",\"notify\",\"module\",\"";
  const std::string heard = port.read_until(offer, 30s);
  INFO(heard);
  REQUIRE(heard.ends_with(offer));
  CHECK(heard.find("+ADA: \"l\",\"down\"") != std::string::npos);
  const std::string id = notified_id(offer + port.read_until("\"\r\n"));
  CHECK(port.command("AT+ADA=\"ota\",\"dl\",\"module\",\"" + id + "\"").ends_with("\r\nOK\r\n"));
  const std::string ready = "\r\n+ADA: \"ota\",\"notify\",\"module\",\"" + id + "\",\"ready\"\r\n";
  CHECK(port.read_until(ready, 30s).ends_with(ready));
  CHECK(port.command("AT+ADA=\"ota\",\"apply\",\"module\",\"" + id + "\"").ends_with("\r\nOK\r\n"));
  CHECK(port.read_until("PB DONE\r\n").ends_with("PB DONE\r\n"));
  restart_agent(port);
  CHECK(port.read_until("\"done\"\r\n", 30s).ends_with("\"done\"\r\n"));
  CHECK(finished_job(world.admin, job).at("succeeded") == 1);
  // Both answers that carried it were lost; the offer came on the third.
  const std::string log = world.service.log_text();
  const std::regex lost(R"re(GET /devices/[0-9]+/commands\.json[^ ]* dropped \(injected fault\))re");
  CHECK(std::distance(std::sregex_iterator(log.begin(), log.end(), lost), std::sregex_iterator()) == 2);
  CHECK(world.admin.get("/faults").body.at("lose_command_answers") == 0);
}

TEST_CASE("module OTA: killed between ready and apply, it boots the old firmware and the job ends failed",
          "[e2e][ota][faults]") {
  ota_world world("0fa70006");
  const auto [job, id] = world.ready_module_image(random_image(32 * 1024, 6));
  world.power_cut();
  auto& port = world.port();
  const auto state = finished_job(world.admin, job);
  CHECK(state.at("failed") == 1);
  CHECK(state.at("processing") == 0);
  CHECK(port.command("AT+ADA=\"version\",\"fota\"") == version_line(old_firmware));
  const std::string apply = "AT+ADA=\"ota\",\"apply\",\"module\",\"" + id + "\"";
  CHECK(port.command(apply) == echoed(apply, "\r\n+ADA: \"ota\",\"err\",9,\"cmd id: unknown ota id\"\r\n\r\nERROR\r\n"));
}

TEST_CASE("module OTA: killed during apply, it boots one whole firmware and the job ends to match",
          "[e2e][ota][faults]") {
  ota_world world("0fa70007");
  const auto [job, id] = world.ready_module_image(random_image(32 * 1024, 7));
  world.port().send("AT+ADA=\"ota\",\"apply\",\"module\",\"" + id + "\"\r");
  world.power_cut();  // somewhere in the apply: before, during or after its NV switch
  auto& port = world.port();
  const auto state = finished_job(world.admin, job);
  CHECK(state.at("processing") == 0);
  if (state.at("succeeded") == 1) {
    // The new firmware runs: the host hears "done" right after the link comes up, then reads the new version.
    const std::string done = "\r\n+ADA: \"ota\",\"notify\",\"module\",\"" + id + "\",\"done\"\r\n";
    CHECK(port.read_until(done, 30s).ends_with(done));
    CHECK(port.command("AT+ADA=\"version\",\"fota\"") == version_line(new_firmware));
  } else {
    CHECK(state.at("failed") == 1);
    CHECK(port.command("AT+ADA=\"version\",\"fota\"") == version_line(old_firmware));
  }
}

TEST_CASE("an OTA job over 20 devices ends with 20 succeeded", "[e2e][ota]") {
  device_service service;
  const admin_client admin = admin_of(service);
  const auto devices = make_factory_devices(admin, "0fa70020", 20);
  std::vector<std::unique_ptr<booted_module>> modules;
  for (const auto& device : devices) {
    modules.push_back(module_for(service, device));
    enable_and_listen(modules.back()->port);
  }
  const std::string image = random_image(16 * 1024, 20);
  const auto created = admin.post("/ota_jobs", {{"image_id", upload(admin, "module", new_firmware, image)},
                                                {"oem_model", "ledevb"}});
  REQUIRE(created.status == 201);
  const std::int64_t job = created.body.at("job_id");
  REQUIRE(admin.post("/ota_jobs/" + std::to_string(job) + "/start", nlohmann::json::object()).status == 200);
  CHECK(job_status(admin, job).at("total") == 20);
  for (auto& m : modules) {
    auto& port = m->port;
    const std::string id = notified_id(port.read_until("\"\r\n"));
    REQUIRE(port.command("AT+ADA=\"ota\",\"dl\",\"module\",\"" + id + "\"").ends_with("\r\nOK\r\n"));
    REQUIRE(port.read_until("\"ready\"\r\n", 30s).ends_with("\"ready\"\r\n"));
    REQUIRE(port.command("AT+ADA=\"ota\",\"apply\",\"module\",\"" + id + "\"").ends_with("\r\nOK\r\n"));
    REQUIRE(port.read_until("PB DONE\r\n").ends_with("PB DONE\r\n"));
    restart_agent(port);
    REQUIRE(port.read_until("\"done\"\r\n", 30s).ends_with("\"done\"\r\n"));
  }
  const auto state = finished_job(admin, job);
  CHECK(state.at("succeeded") == 20);
  CHECK(state.at("failed") == 0);
  CHECK(state.at("processing") == 0);
}
