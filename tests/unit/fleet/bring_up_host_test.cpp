// The built-in host against the module's own text, played by the test: bring-up, retries and giving up, reboots,
// property sends and read-backs, module and host OTAs, silence.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>

#include "ads_client/base64.hpp"
#include "host_rig.hpp"

using namespace fleet_test;

namespace {

struct exchange {
  std::string module_says;
  std::string host_writes;
};

// Runs `exchanges` on a fresh host, each text the module says cut in two at `cut` (or whole when shorter): after
// each the host must have written exactly what the exchange says. Returns the host's phase changes.
std::vector<host_phase> run_split(const fleet::group& group, const std::vector<exchange>& exchanges, std::size_t cut) {
  host_rig rig(group);
  for (const auto& step : exchanges) {
    const std::size_t at = std::min(cut, step.module_says.size());
    std::string written = rig.say(std::string_view(step.module_says).substr(0, at));
    written += rig.say(std::string_view(step.module_says).substr(at));
    INFO("cut at " << cut << " in: " << step.module_says);
    REQUIRE(written == step.host_writes);
  }
  return rig.phases();
}

std::size_t longest(const std::vector<exchange>& exchanges) {
  std::size_t size = 0;
  for (const auto& step : exchanges) size = std::max(size, step.module_says.size());
  return size;
}

fleet::group taking_module_otas() {
  fleet::group group;
  group.module_ota = fleet::module_ota_taking{};
  return group;
}

}  // namespace

TEST_CASE("bring-up: boot URCs, start, enable, l, with the module's echo, byte for byte at every split") {
  const std::vector<exchange> exchanges = {
      {std::string(boot_urcs), wrote(R"(AT+ADA="start")")},
      {ok_then(R"(AT+ADA="start")", {R"(+ADA: "start","done")"}), wrote(R"(AT+ADA="enable")")},
      {ok_then(R"(AT+ADA="enable")", {R"(+ADA: "enable","RDY")"}), wrote(R"(AT+ADA="l")")},
      {ok_then(R"(AT+ADA="l")", {R"(+ADA: "l","up")"}), ""},
  };
  for (std::size_t cut = 0; cut <= longest(exchanges); ++cut) {
    CHECK(run_split({}, exchanges, cut) == std::vector<host_phase>{host_phase::starting, host_phase::enabling,
                                                                   host_phase::connecting, host_phase::listening});
  }
}

TEST_CASE("bring-up: nothing is written before the boot URCs end, and a line is never written twice at once") {
  host_rig rig;
  CHECK(rig.host.phase() == host_phase::booting);
  CHECK_FALSE(rig.host.next_wake());
  CHECK(rig.say("\r\nRDY\r\n\r\n+CPIN: READY\r\n\r\nSMS DONE\r\n").empty());
  CHECK(rig.say("\r\nPB DONE\r\n") == wrote(R"(AT+ADA="start")"));
  // The answer has not come: nothing more, whatever else the module says meanwhile.
  CHECK(rig.say("\r\n+CREG: 1\r\n").empty());
  CHECK(rig.host.phase() == host_phase::starting);
}

TEST_CASE("bring-up: URCs interleaved with an answer are handled where they come") {
  fleet::group group;
  group.read_back = {"Blue_LED"};
  // A p URC the module printed before it read the command (so before its echo), a CREG after the OK.
  const std::vector<exchange> exchanges = {
      {std::string(boot_urcs), wrote(R"(AT+ADA="start")")},
      {ok_then(R"(AT+ADA="start")", {R"(+ADA: "start","done")"}), wrote(R"(AT+ADA="enable")")},
      {line(R"(+ADA: "p","Blue_LED","b",1)") + ok_then(R"(AT+ADA="enable")", {"+CREG: 1", R"(+ADA: "enable","RDY")"}),
       wrote(R"(AT+ADA="l")")},
      // Listening: the change the cloud made is read back with "g".
      {ok_then(R"(AT+ADA="l")", {R"(+ADA: "l","up")"}), wrote(R"(AT+ADA="g","Blue_LED")")},
      {ok_then(R"(AT+ADA="g","Blue_LED")", {R"(+ADA: "p","other","i",5)", R"(+ADA: "g","ok","Blue_LED","b",1)"}),
       ""},
  };
  for (std::size_t cut = 0; cut <= longest(exchanges); ++cut) {
    INFO("cut " << cut);
    run_split(group, exchanges, cut);
  }
  host_rig rig(group);
  for (const auto& step : exchanges) REQUIRE(rig.say(step.module_says) == step.host_writes);
  CHECK(rig.host.read_back_values() == std::map<std::string, std::string>{{"Blue_LED", "1"}});
  CHECK(rig.host.counters().to_device_read == 1);
  // A string value arrives decoded from the module's quoting.
  group.read_back = {"cmd"};
  host_rig strings(group);
  strings.bring_up();
  CHECK(strings.say(line(R"(+ADA: "p","cmd","s","say \22hi\22")")) == wrote(R"(AT+ADA="g","cmd")"));
  strings.say(ok_then(R"(AT+ADA="g","cmd")", {R"(+ADA: "g","ok","cmd","s","say \22hi\22")"}));
  CHECK(strings.host.read_back_values().at("cmd") == "say \"hi\"");
}

TEST_CASE("bring-up: an answer that comes before the final result still counts") {
  host_rig rig;
  rig.say(boot_urcs);
  CHECK(rig.say(R"(AT+ADA="start")" "\r" + line(R"(+ADA: "start","done")") + line("OK")) ==
        wrote(R"(AT+ADA="enable")"));
}

TEST_CASE("bring-up: ERROR is retried with a doubling wait, then the host gives up with the lines it saw") {
  host_rig rig;
  rig.say(boot_urcs);
  rig.say(ok_then(R"(AT+ADA="start")", {R"(+ADA: "start","done")"}));
  const std::string refusal = refused(R"(AT+ADA="enable")", R"(+ADA: "enable","err",1,"missing: oem/id")");
  std::vector<milliseconds> tries;
  for (int attempt = 1; attempt < fleet::max_attempts; ++attempt) {
    CHECK(rig.say(refusal).empty());  // not at once: after a wait
    CHECK(rig.host.phase() == host_phase::enabling);
    CHECK(rig.wake() == wrote(R"(AT+ADA="enable")"));
    tries.push_back(rig.now);
    CHECK(rig.host.counters().retries == static_cast<std::uint64_t>(attempt));
  }
  CHECK(tries == std::vector<milliseconds>{1s, 3s, 7s, 15s});
  CHECK(rig.say(refusal).empty());
  CHECK(rig.host.phase() == host_phase::failed);
  CHECK(rig.host.failure_reason() ==
        R"(AT+ADA="enable" (attempt 5 of 5): +ADA: "enable","err",1,"missing: oem/id" | ERROR)");
  CHECK_FALSE(rig.host.next_wake());
  CHECK(rig.phases().back() == host_phase::failed);
  // Failed is not forever: the module's next boot starts the bring-up again.
  CHECK(rig.say(boot_urcs) == wrote(R"(AT+ADA="start")"));
  CHECK(rig.host.phase() == host_phase::starting);
}

TEST_CASE("bring-up: an error once, then the answer, goes on") {
  host_rig rig;
  rig.say(boot_urcs);
  rig.say(ok_then(R"(AT+ADA="start")", {R"(+ADA: "start","done")"}));
  // The agent's first connection failed (said once as a URC after OK): enable again.
  CHECK(rig.say(ok_then(R"(AT+ADA="enable")", {R"(+ADA: "enable","err",7,"err: connection refused")"})).empty());
  CHECK(rig.wake() == wrote(R"(AT+ADA="enable")"));
  CHECK(rig.say(ok_then(R"(AT+ADA="enable")", {R"(+ADA: "enable","RDY")"})) == wrote(R"(AT+ADA="l")"));
  rig.say(ok_then(R"(AT+ADA="l")", {R"(+ADA: "l","up")"}));
  CHECK(rig.host.phase() == host_phase::listening);
  CHECK(rig.host.counters().retries == 1);
}

TEST_CASE("bring-up: no final result, or no promised answer, within the deadline counts as a failure") {
  host_rig rig;
  rig.say(boot_urcs);
  CHECK(rig.host.next_wake() == fleet::answer_deadline);
  CHECK(rig.wake().empty());  // the deadline: a wait of 1 s before the next try
  CHECK(rig.wake() == wrote(R"(AT+ADA="start")"));
  CHECK(rig.now == fleet::answer_deadline + 1s);
  rig.say(ok_then(R"(AT+ADA="start")", {R"(+ADA: "start","done")"}));
  // OK, but no "enable","RDY": the same.
  CHECK(rig.say(ok_then(R"(AT+ADA="enable")")).empty());
  CHECK(rig.host.next_wake() == rig.now + fleet::answer_deadline);
  CHECK(rig.wake().empty());
  CHECK(rig.wake() == wrote(R"(AT+ADA="enable")"));
  CHECK(rig.host.counters().retries == 2);
}

TEST_CASE("bring-up: an answer late for its deadline, while the host waits to try again, is taken") {
  host_rig rig;
  rig.say(boot_urcs);
  CHECK(rig.wake().empty());  // no answer to start within 30 s: the next try is 1 s away
  rig.now += 500ms;
  CHECK(rig.say(R"(AT+ADA="start")" "\r" + line("OK") + line(R"(+ADA: "start","done")")) ==
        wrote(R"(AT+ADA="enable")"));
  CHECK(rig.host.phase() == host_phase::enabling);
}

TEST_CASE("bring-up: with an mcu_mode chosen, it is set after start, as note 3.14 does") {
  fleet::group group;
  group.module_ota = fleet::module_ota_taking{.chunk = 12800, .mcu_mode = "0"};
  host_rig rig(group);
  rig.say(boot_urcs);
  CHECK(rig.say(ok_then(R"(AT+ADA="start")", {R"(+ADA: "start","done")"})) ==
        wrote(R"(AT+ADA="ota","mcu_mode","module","idm1",0)"));
  CHECK(rig.host.phase() == host_phase::starting);
  CHECK(rig.say(ok_then(R"(AT+ADA="ota","mcu_mode","module","idm1",0)")) == wrote(R"(AT+ADA="enable")"));
}

TEST_CASE("link: l down while listening waits for the agent's own l up, sends nothing meanwhile") {
  fleet::group group;
  group.sends.push_back(fleet::property_send{.name = "n", .type = "i", .values = {"1"}, .every = 10s, .jitter = 0});
  host_rig rig(group);
  rig.bring_up();
  CHECK(rig.say(line(R"(+ADA: "l","down")") + line("+CAPNET: 1,0")).empty());
  CHECK(rig.host.phase() == host_phase::connecting);
  CHECK_FALSE(rig.host.next_wake());  // no send is due while the link is down, and no deadline runs
  rig.now = 60s;
  CHECK(rig.say(line(R"(+ADA: "l","up")")) == wrote(R"(AT+ADA="s","n","i","1")"));  // overdue: at once
  CHECK(rig.host.phase() == host_phase::listening);
  CHECK(rig.host.counters().retries == 0);
}

TEST_CASE("reboot: boot URCs while listening start the bring-up again") {
  host_rig rig;
  rig.bring_up();
  rig.phases();
  CHECK(rig.say(boot_urcs) == wrote(R"(AT+ADA="start")"));
  CHECK(rig.phases() == std::vector<host_phase>{host_phase::booting, host_phase::starting});
  // A reboot in the middle of a command: its answer never comes; the bring-up starts over all the same.
  CHECK(rig.say(line("RDY")).empty());
  CHECK(rig.host.phase() == host_phase::booting);
  CHECK(rig.say(line("+CPIN: READY") + line("SMS DONE") + line("PB DONE")) == wrote(R"(AT+ADA="start")"));
  rig.say(ok_then(R"(AT+ADA="start")", {R"(+ADA: "start","done")"}));
  rig.say(ok_then(R"(AT+ADA="enable")", {R"(+ADA: "enable","RDY")"}));
  rig.say(ok_then(R"(AT+ADA="l")", {R"(+ADA: "l","up")"}));
  CHECK(rig.host.phase() == host_phase::listening);
  CHECK(rig.host.counters().retries == 0);
}

TEST_CASE("sends: every `every` give or take the jitter, values round robin, acks counted, the same for a seed") {
  fleet::group group;
  group.sends.push_back(
      fleet::property_send{.name = "temp", .type = "d", .values = {"21.5", "22", "x y"}, .every = 10s, .jitter = 0.2});
  auto run = [&group](std::uint64_t seed) {
    host_rig rig(group, seed);
    rig.bring_up();
    std::vector<milliseconds> times;
    std::vector<std::string> written;
    for (int i = 0; i < 30; ++i) {
      const std::string command = rig.wake();
      REQUIRE_FALSE(command.empty());
      times.push_back(rig.now);
      written.push_back(command);
      rig.say(ok_then(command.substr(0, command.size() - 1), {R"(+ADA: "s","temp","status",0)"}));
    }
    CHECK(written[0] == wrote(R"(AT+ADA="s","temp","d","21.5")"));
    CHECK(written[1] == wrote(R"(AT+ADA="s","temp","d","22")"));
    CHECK(written[2] == wrote(R"(AT+ADA="s","temp","d","x y")"));
    CHECK(written[3] == written[0]);
    CHECK(rig.host.counters().properties_sent == 30);
    CHECK(rig.host.counters().properties_acked == 30);
    return times;
  };
  const auto times = run(7);
  std::vector<milliseconds> gaps{times[0]};  // listening began at 0
  for (std::size_t i = 1; i < times.size(); ++i) gaps.push_back(times[i] - times[i - 1]);
  for (auto gap : gaps) {
    CHECK(gap >= 8s);
    CHECK(gap <= 12s);
  }
  CHECK(std::adjacent_find(gaps.begin(), gaps.end(), std::not_equal_to<>()) != gaps.end());  // they do vary
  CHECK(run(7) == times);
  CHECK(run(8) != times);
}

TEST_CASE("sends: one refused or unanswered is counted, and the pace goes on") {
  fleet::group group;
  group.sends.push_back(fleet::property_send{.name = "n", .type = "i", .values = {"1"}, .every = 5s, .jitter = 0});
  host_rig rig(group);
  rig.bring_up();
  const std::string send = R"(AT+ADA="s","n","i","1")";
  CHECK(rig.wake() == wrote(send));
  CHECK(rig.say(refused(send, R"(+ADA: "s","err",2,"busy: agent busy")")).empty());
  CHECK(rig.wake() == wrote(send));
  CHECK(rig.now == 10s);
  CHECK(rig.wake() == wrote(send));  // no answer at all: given up on at its deadline, and the overdue send goes
  CHECK(rig.now == 40s);
  CHECK(rig.host.counters().properties_sent == 3);
  CHECK(rig.host.counters().properties_refused == 2);
  CHECK(rig.host.counters().properties_acked == 0);
}

TEST_CASE("module OTA: notify, dl, ready, apply, the reboot, bring-up again, done") {
  host_rig rig(taking_module_otas());
  rig.bring_up();
  rig.phases();
  const std::string dl = R"(AT+ADA="ota","dl","module","idm7",12800)";
  const std::string apply = R"(AT+ADA="ota","apply","module","idm7")";
  CHECK(rig.say(line(R"(+ADA: "ota","notify","module","idm7")")) == wrote(dl));
  CHECK(rig.host.module_ota().state == fleet::ota_state::in_progress);
  CHECK(rig.host.module_ota().id == "idm7");
  CHECK(rig.say(ok_then(dl)).empty());
  CHECK(rig.host.phase() == host_phase::ota_downloading);
  CHECK(rig.say(line(R"(+ADA: "ota","notify","module","idm7","ready")")) == wrote(apply));
  CHECK(rig.say(ok_then(apply)).empty());
  CHECK(rig.host.phase() == host_phase::ota_applying);
  CHECK(rig.say(boot_urcs) == wrote(R"(AT+ADA="start")"));
  rig.say(ok_then(R"(AT+ADA="start")", {R"(+ADA: "start","done")"}));
  // The new firmware confirms itself once connected: "done" right after RDY, before the host listens.
  CHECK(rig.say(ok_then(R"(AT+ADA="enable")",
                        {R"(+ADA: "enable","RDY")", R"(+ADA: "ota","notify","module","idm7","done")"})) ==
        wrote(R"(AT+ADA="l")"));
  CHECK(rig.host.module_ota().state == fleet::ota_state::succeeded);
  rig.say(ok_then(R"(AT+ADA="l")", {R"(+ADA: "l","up")"}));
  CHECK(rig.phases() == std::vector<host_phase>{host_phase::ota_downloading, host_phase::ota_applying,
                                                host_phase::booting, host_phase::starting, host_phase::enabling,
                                                host_phase::connecting, host_phase::listening});
}

TEST_CASE("module OTA: a group that does not take module OTAs leaves the offer alone") {
  host_rig rig;
  rig.bring_up();
  CHECK(rig.say(line(R"(+ADA: "ota","notify","module","idm7")")).empty());
  CHECK(rig.host.module_ota().state == fleet::ota_state::none);
}

TEST_CASE("module OTA: the module's own failure ends it, with its line as the reason") {
  host_rig rig(taking_module_otas());
  rig.bring_up();
  const std::string dl = R"(AT+ADA="ota","dl","module","idm7",12800)";
  rig.say(line(R"(+ADA: "ota","notify","module","idm7")"));
  rig.say(ok_then(dl));
  CHECK(rig.say(line(R"(+ADA: "ota","err",6,"invalid: image checksum")")).empty());
  CHECK(rig.host.module_ota().state == fleet::ota_state::failed);
  CHECK(rig.host.module_ota().reason == R"(+ADA: "ota","err",6,"invalid: image checksum")");
  CHECK(rig.host.phase() == host_phase::listening);
}

TEST_CASE("module OTA: a dl refused is tried again after a wait, an unknown id is given up at once") {
  host_rig rig(taking_module_otas());
  rig.bring_up();
  const std::string dl = R"(AT+ADA="ota","dl","module","idm7",12800)";
  rig.say(line(R"(+ADA: "ota","notify","module","idm7")"));
  CHECK(rig.say(refused(dl, R"(+ADA: "ota","err",7,"err: connection down")")).empty());
  CHECK(rig.wake() == wrote(dl));
  CHECK(rig.host.counters().retries == 1);
  rig.say(refused(dl, R"(+ADA: "ota","err",9,"cmd id: unknown ota id")"));
  CHECK(rig.host.module_ota().state == fleet::ota_state::failed);
  CHECK(rig.host.module_ota().reason == dl + R"(: +ADA: "ota","err",9,"cmd id: unknown ota id" | ERROR)");
}

TEST_CASE("module OTA: no done after the reboot (power lost during the apply) fails it at the deadline") {
  host_rig rig(taking_module_otas());
  rig.bring_up();
  const std::string dl = R"(AT+ADA="ota","dl","module","idm7",12800)";
  const std::string apply = R"(AT+ADA="ota","apply","module","idm7")";
  rig.say(line(R"(+ADA: "ota","notify","module","idm7")"));
  rig.say(ok_then(dl));
  rig.say(line(R"(+ADA: "ota","notify","module","idm7","ready")"));
  rig.say(ok_then(apply));
  rig.now = 5s;
  rig.bring_up();  // the old firmware came back: no done
  CHECK(rig.host.module_ota().state == fleet::ota_state::in_progress);
  CHECK(rig.wake().empty());
  CHECK(rig.now == 5s + fleet::answer_deadline);
  CHECK(rig.host.module_ota().state == fleet::ota_state::failed);
  CHECK(rig.host.module_ota().reason ==
        R"(no +ADA: "ota","notify","module","idm7","done" within 30 s of listening again after the reboot)");
}

TEST_CASE("module OTA: a reboot during the download fails it (the module forgets the download)") {
  host_rig rig(taking_module_otas());
  rig.bring_up();
  rig.say(line(R"(+ADA: "ota","notify","module","idm7")"));
  rig.say(ok_then(R"(AT+ADA="ota","dl","module","idm7",12800)"));
  rig.say(boot_urcs);
  CHECK(rig.host.module_ota().state == fleet::ota_state::failed);
  CHECK(rig.host.module_ota().reason == "the module rebooted before the apply");
}

TEST_CASE("module OTA: with mcu_mode 0 the module downloads unasked, and ready is applied all the same") {
  host_rig rig(taking_module_otas());
  rig.bring_up();
  CHECK(rig.say(line(R"(+ADA: "ota","notify","module","idm9","ready")")) ==
        wrote(R"(AT+ADA="ota","apply","module","idm9")"));
  CHECK(rig.host.module_ota().id == "idm9");
}

TEST_CASE("host OTA: notify, windows through the AT port, finish, status 0, as note 3.12 does") {
  fleet::group group;
  group.host_ota = fleet::host_ota_taking{.window = 8};
  host_rig rig(group);
  rig.bring_up();
  rig.phases();
  const std::string image = "hello host firmware";  // 19 bytes: windows of 8, 8 and 3
  auto dl = [](int window) { return R"(AT+ADA="ota","dl","host","idh3",)" + std::to_string(window); };
  auto part = [&image](const char* word, std::size_t from, std::size_t size) {
    return "+ADA: \"ota\",\"" + std::string(word) + "\",\"idh3\",\"" +
           ads_client::base64_encode(image.substr(from, size)) + "\"";
  };
  CHECK(rig.say(line(R"(+ADA: "ota","notify","host","idh3",19,"mcu 2.0")")) == wrote(dl(8)));
  CHECK(rig.say(ok_then(dl(8))).empty());
  CHECK(rig.host.phase() == host_phase::ota_downloading);
  // A window's parts (48 bytes each in the module; 5 here to have more than one), closed by "ok".
  CHECK(rig.say(line(part("part", 0, 5))).empty());
  CHECK(rig.say(line(part("ok", 5, 3))) == wrote(dl(8)));
  CHECK(rig.say(ok_then(dl(8), {part("ok", 8, 8)})) == wrote(dl(8)));
  CHECK(rig.say(ok_then(dl(8), {part("ok", 16, 3)})).empty());
  const std::string status = R"(AT+ADA="ota","status","host","idh3",0)";
  CHECK(rig.say(line(R"(+ADA: "ota","dl","host","idh3","finish")")) == wrote(status));
  CHECK(rig.host.host_ota().state == fleet::ota_state::in_progress);
  CHECK(rig.say(ok_then(status)).empty());
  CHECK(rig.host.host_ota().state == fleet::ota_state::succeeded);
  CHECK(rig.phases() == std::vector<host_phase>{host_phase::ota_downloading, host_phase::listening});
}

TEST_CASE("host OTA: the module giving the image up is reported with status 1") {
  fleet::group group;
  group.host_ota = fleet::host_ota_taking{};
  host_rig rig(group);
  rig.bring_up();
  const std::string dl = R"(AT+ADA="ota","dl","host","idh3",1024)";
  rig.say(line(R"(+ADA: "ota","notify","host","idh3",4000,"mcu 2.0")"));
  rig.say(ok_then(dl));
  const std::string status = R"(AT+ADA="ota","status","host","idh3",1)";
  CHECK(rig.say(line(R"(+ADA: "ota","err",7,"err: image refused")")) == wrote(status));
  CHECK(rig.host.host_ota().state == fleet::ota_state::failed);
  CHECK(rig.host.host_ota().reason == R"(+ADA: "ota","err",7,"err: image refused")");
  // The module may have forgotten the id already: that answer changes nothing.
  rig.say(refused(status, R"(+ADA: "ota","err",9,"cmd id: unknown ota id")"));
  CHECK(rig.host.host_ota().reason == R"(+ADA: "ota","err",7,"err: image refused")");
  CHECK(rig.host.phase() == host_phase::listening);
}

TEST_CASE("host OTA: a window paused by a link down goes on once the link is back") {
  fleet::group group;
  group.host_ota = fleet::host_ota_taking{.window = 8};
  host_rig rig(group);
  rig.bring_up();
  rig.say(line(R"(+ADA: "ota","notify","host","idh3",8,"v")"));
  rig.say(ok_then(R"(AT+ADA="ota","dl","host","idh3",8)"));
  rig.say(line(R"(+ADA: "l","down")"));
  rig.now = 10min;  // no deadline runs while the link is down
  CHECK_FALSE(rig.host.next_wake());
  rig.say(line(R"(+ADA: "l","up")"));
  CHECK(rig.say(line(R"(+ADA: "ota","ok","idh3","aGVsbG8gaG8=")") +
                line(R"(+ADA: "ota","dl","host","idh3","finish")")) ==
        wrote(R"(AT+ADA="ota","status","host","idh3",0)"));
}

TEST_CASE("host OTA: a window that goes quiet with the link up fails at the deadline, reported with status 1") {
  fleet::group group;
  group.host_ota = fleet::host_ota_taking{};
  host_rig rig(group);
  rig.bring_up();
  rig.say(line(R"(+ADA: "ota","notify","host","idh3",4000,"mcu 2.0")"));
  rig.say(ok_then(R"(AT+ADA="ota","dl","host","idh3",1024)"));
  CHECK(rig.wake() == wrote(R"(AT+ADA="ota","status","host","idh3",1)"));
  CHECK(rig.now == fleet::answer_deadline);
  CHECK(rig.host.host_ota().reason == "no line of the window within 30 s");
}

TEST_CASE("silent: from go_silent on, the host writes nothing and wants no time") {
  fleet::group group;
  group.sends.push_back(fleet::property_send{.name = "n", .type = "i", .values = {"1"}, .every = 1s, .jitter = 0});
  host_rig rig(group);
  rig.say(boot_urcs);  // AT+ADA="start" written and taken
  rig.phases();
  rig.host.go_silent(rig.now);
  CHECK(rig.host.phase() == host_phase::silent);
  CHECK(rig.phases() == std::vector<host_phase>{host_phase::silent});
  CHECK_FALSE(rig.host.next_wake());
  CHECK(rig.say(ok_then(R"(AT+ADA="start")", {R"(+ADA: "start","done")"})).empty());
  CHECK(rig.say(boot_urcs).empty());
  rig.host.on_time(1h);
  CHECK(rig.host.take_input().empty());
  CHECK(rig.host.phase() == host_phase::silent);
}

TEST_CASE("silent: input not yet taken is never written") {
  host_rig rig;
  rig.host.on_output(boot_urcs, 0ms);  // AT+ADA="start" is waiting to be taken
  rig.host.go_silent(0ms);
  CHECK(rig.host.take_input().empty());
}
