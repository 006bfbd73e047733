// AT+CNTP through the module: settings, a query answered, lost, refused or cut by a reboot, and the clock AT+CCLK
// reads afterwards. The NTP port is a fake the test answers; the answer wait is a fake timer the test fires.
#include <catch2/catch.hpp>

#include "agent/module_core.hpp"
#include "agent/ntp_client.hpp"
#include "agent_test_support.hpp"
#include "module_test_rig.hpp"
#include "network_test_rig.hpp"

using apca::timer_id;

namespace {

constexpr std::int64_t server_time = 1'893'553'445;  // 2030-01-02 03:04:05 UTC

struct ntp_rig : agent_test::network_rig {
  using network_rig::network_rig;
  std::string fire_ntp_timer() {
    timers.fire(timer_id::ntp, module);
    return module.take_output();
  }
  std::string answer(std::string_view datagram) { return answer_query(ntp.asks.back().query, datagram); }
  std::string answer_query(std::uint64_t query, std::string_view datagram) {
    module.ntp().on_answer(query, datagram);
    return module.take_output();
  }
  // The server's answer to the `n`th request.
  std::string server_answer(std::size_t n, std::int64_t unix_time) {
    return agent_test::ntp_server_answer(ntp.asks.at(n).request, unix_time);
  }
  // AT+CNTP sent; the query is on its way.
  void start_query() {
    REQUIRE(feed("AT+CNTP\r") == "\r\nOK\r\n");
    REQUIRE(timers.armed.count(timer_id::ntp) == 1);
  }
};

}  // namespace

TEST_CASE("ntp: AT+CNTP's test, read and set forms") {
  ntp_rig rig;
  CHECK(rig.feed("AT+CNTP=?\r") == "\r\n+CNTP: \"HOST\",(-96~96)\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CNTP?\r") == "\r\n+CNTP: \"\",32\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CNTP=\"pool.ntp.org\",-20\r") == "\r\nOK\r\n");
  CHECK(rig.feed("AT+CNTP?\r") == "\r\n+CNTP: \"pool.ntp.org\",-20\r\n\r\nOK\r\n");
  CHECK(rig.feed("AT+CNTP=\"time.example\"\r") == "\r\nOK\r\n");  // the zone stays
  CHECK(rig.feed("AT+CNTP?\r") == "\r\n+CNTP: \"time.example\",-20\r\n\r\nOK\r\n");
  for (const char* bad : {"AT+CNTP=\"x\",97\r", "AT+CNTP=\"x\",-97\r", "AT+CNTP=\"x\",1,2\r", "AT+CNTP=\r",
                          "AT+CNTP=\"x\",\"8\"\r"}) {
    INFO(bad);
    CHECK(rig.feed(bad) == "\r\nERROR\r\n");
  }
  CHECK(rig.feed("AT+CNTP?\r") == "\r\n+CNTP: \"time.example\",-20\r\n\r\nOK\r\n");  // refused: nothing changed
  CHECK(rig.ntp.asks.empty());
  CHECK(rig.timers.armed.count(timer_id::ntp) == 0);  // no timer without a query
}

TEST_CASE("ntp: a server's answer sets the clock AT+CCLK reads, in the zone AT+CNTP named") {
  ntp_rig rig;
  REQUIRE(rig.feed("AT+CNTP=\"pool.ntp.org\",32\r") == "\r\nOK\r\n");
  rig.start_query();
  REQUIRE(rig.ntp.asks.size() == 1);
  CHECK(rig.ntp.asks[0].host == "pool.ntp.org");
  CHECK(rig.ntp.asks[0].request.size() == 48);
  rig.clock.now += 2;  // a two-second round trip: the server's time plus one
  CHECK(rig.answer(rig.server_answer(0, server_time)) == "\r\n+CNTP: 0\r\n");
  CHECK(rig.timers.armed.count(timer_id::ntp) == 0);
  CHECK(rig.ntp.stops == 1);
  CHECK(rig.feed("AT+CCLK?\r") == "\r\n+CCLK: \"30/01/02,11:04:06+32\"\r\n\r\nOK\r\n");
  rig.clock.now += 60;
  CHECK(rig.feed("AT+CCLK?\r") == "\r\n+CCLK: \"30/01/02,11:05:06+32\"\r\n\r\nOK\r\n");
  // A late copy of the answer changes nothing.
  CHECK(rig.answer(rig.server_answer(0, server_time + 999)).empty());
  CHECK(rig.feed("AT+CCLK?\r") == "\r\n+CCLK: \"30/01/02,11:05:06+32\"\r\n\r\nOK\r\n");
}

TEST_CASE("ntp: no answer is asked again once, then +CNTP: 6, and the timer is gone") {
  ntp_rig rig;
  REQUIRE(rig.feed("AT+CNTP=\"10.0.0.1\",0\r") == "\r\nOK\r\n");
  rig.start_query();
  CHECK(rig.timers.armed.at(timer_id::ntp) == agent::ntp_client::answer_wait);
  CHECK(rig.fire_ntp_timer().empty());  // the first wait ends: asked again, with a request of its own
  REQUIRE(rig.ntp.asks.size() == 2);
  CHECK(rig.ntp.asks[1].query != rig.ntp.asks[0].query);
  CHECK(rig.ntp.asks[1].request != rig.ntp.asks[0].request);
  CHECK(rig.timers.armed.count(timer_id::ntp) == 1);
  // An answer to the first request is stale now.
  CHECK(rig.answer_query(rig.ntp.asks[0].query, rig.server_answer(0, server_time)).empty());
  CHECK(rig.fire_ntp_timer() == "\r\n+CNTP: 6\r\n");
  CHECK(rig.timers.armed.count(timer_id::ntp) == 0);
  CHECK(rig.ntp.asks.size() == 2);
  CHECK(rig.feed("AT+CCLK?\r") == "\r\n+CCLK: \"23/11/14,22:13:20+00\"\r\n\r\nOK\r\n");  // unchanged
  // The client is free again.
  rig.start_query();
  CHECK(rig.ntp.asks.size() == 3);
}

TEST_CASE("ntp: an unreachable server, no data call, no server set and a query already running") {
  SECTION("the name does not resolve: network error") {
    ntp_rig rig;
    REQUIRE(rig.feed("AT+CNTP=\"nowhere.invalid\"\r") == "\r\nOK\r\n");
    rig.start_query();
    rig.module.ntp().on_unreachable(rig.ntp.asks[0].query);
    CHECK(rig.module.take_output() == "\r\n+CNTP: 4\r\n");
    CHECK(rig.timers.armed.count(timer_id::ntp) == 0);
  }
  SECTION("no data call: network error, nothing sent") {
    ntp_rig rig(false);
    REQUIRE(rig.feed("AT+CNTP=\"pool.ntp.org\"\r") == "\r\nOK\r\n");
    CHECK(rig.feed("AT+CNTP\r") == "\r\nOK\r\n\r\n+CNTP: 4\r\n");
    CHECK(rig.ntp.asks.empty());
    CHECK(rig.timers.armed.count(timer_id::ntp) == 0);
  }
  SECTION("no server set: wrong parameter") {
    ntp_rig rig;
    CHECK(rig.feed("AT+CNTP\r") == "\r\nOK\r\n\r\n+CNTP: 2\r\n");
    CHECK(rig.ntp.asks.empty());
  }
  SECTION("a second AT+CNTP while one runs: ERROR, the first goes on") {
    ntp_rig rig;
    REQUIRE(rig.feed("AT+CNTP=\"pool.ntp.org\"\r") == "\r\nOK\r\n");
    rig.start_query();
    CHECK(rig.feed("AT+CNTP\r") == "\r\nERROR\r\n");
    CHECK(rig.ntp.asks.size() == 1);
    CHECK(rig.answer(rig.server_answer(0, server_time)) == "\r\n+CNTP: 0\r\n");
  }
  SECTION("a reboot forgets the query and the settings, and reports nothing") {
    ntp_rig rig;
    REQUIRE(rig.feed("AT+CNTP=\"pool.ntp.org\",4\r") == "\r\nOK\r\n");
    rig.start_query();
    REQUIRE(rig.feed("AT+CRESET\r") == "\r\nOK\r\n");
    CHECK(rig.timers.armed.count(timer_id::ntp) == 0);
    CHECK(rig.ntp.stops == 1);
    rig.timers.fire(timer_id::boot, rig.module);
    CHECK(rig.answer_query(rig.ntp.asks[0].query, rig.server_answer(0, server_time)) == agent_test::boot_banner);
    CHECK(rig.feed("AT+CNTP?\r") == "AT+CNTP?\r\r\n+CNTP: \"\",32\r\n\r\nOK\r\n");
  }
}

TEST_CASE("ntp: bad answers — short ones and others' are ignored, unusable ones end with +CNTP: 3") {
  ntp_rig rig;
  REQUIRE(rig.feed("AT+CNTP=\"pool.ntp.org\"\r") == "\r\nOK\r\n");
  rig.start_query();
  const std::string good = rig.server_answer(0, server_time);
  CHECK(rig.answer(good.substr(0, 47)).empty());
  std::string someone_elses = good;
  someone_elses[31] ^= 0x40;
  CHECK(rig.answer(someone_elses).empty());
  CHECK(rig.timers.armed.count(timer_id::ntp) == 1);  // still waiting
  std::string kiss_of_death = good;
  kiss_of_death[1] = 0;
  CHECK(rig.answer(kiss_of_death) == "\r\n+CNTP: 3\r\n");
  CHECK(rig.timers.armed.count(timer_id::ntp) == 0);
  CHECK(rig.feed("AT+CCLK?\r") == "\r\n+CCLK: \"23/11/14,22:13:20+00\"\r\n\r\nOK\r\n");
}

TEST_CASE("ntp: the AT+CNTP lines give the same answers split at every offset") {
  const std::string input = "AT+CNTP=\"pool.ntp.org\",8\rAT+CNTP?\rAT+CNTP\r";
  agent_test::same_output_at_every_split(input, [](std::vector<std::string_view> pieces) {
    ntp_rig rig;
    std::string out;
    for (auto piece : pieces) out += rig.feed(piece);
    CHECK(rig.ntp.asks.size() == 1);
    return out;
  });
}
