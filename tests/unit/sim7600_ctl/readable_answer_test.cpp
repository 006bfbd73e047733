#include <catch2/catch.hpp>

#include "control/readable_answer.hpp"

using sim7600_control::control_request;
using sim7600_control::json;
using sim7600_control::readable_answer;

namespace {
const control_request state_request{"GET", "/v1/state"};
const control_request sms_sent_request{"POST", "/v1/sms", {{"action", "sent"}}};
}  // namespace

TEST_CASE("readable answer: labels aligned, yes/no, small objects on one line, larger ones indented", "[ctl]") {
  const json state = {{"powered", true},
                      {"data_call", false},
                      {"cloud", {{"fault", "none"}, {"latency_ms", 0}}},
                      {"world",
                       {{"sim", "ready"},
                        {"signal", {{"rssi", 23}, {"ber", 99}}},
                        {"contexts", json::object()},
                        {"operator", {{"name", "CHINA MOBILE"}, {"mccmnc", "46000"}, {"act", 7}}}}}};
  CHECK(readable_answer(state_request, state) ==
        "cloud      fault none, latency 0 ms\n"
        "data call  no\n"
        "powered    yes\n"
        "world\n"
        "  contexts  -\n"
        "  operator  act 7, mccmnc 46000, name CHINA MOBILE\n"
        "  signal    ber 99, rssi 23\n"
        "  sim       ready\n");
}

TEST_CASE("readable answer: a unit in the key is written after the value", "[ctl]") {
  CHECK(readable_answer(state_request, {{"battery_mv", 3800}, {"temperature_c", 25}}) ==
        "battery      3800 mV\n"
        "temperature  25 °C\n");
  CHECK(readable_answer(state_request, {{"alt_m", 35.5}, {"course_deg", 90}, {"speed_mps", 2.5}, {"fix_in_s", 30}}) ==
        "alt     35.5 m\n"
        "course  90°\n"
        "fix in  30 s\n"
        "speed   2.5 m/s\n");
  const json cell = {{"accuracy_m", 550}, {"latitude", 31.230416}, {"longitude", 121.473701}};
  CHECK(readable_answer(state_request, {{"cell", cell}}) ==
        "cell  accuracy 550 m, latitude 31.230416, longitude 121.473701\n");
}

TEST_CASE("readable answer: arrays count their items, one per line, and empty text reads as a dash", "[ctl]") {
  const json answer = {{"fixes", json::array({json{{"lat", 1}}, json{{"lat", 2}}})}, {"name", ""}, {"none", json::array()}};
  CHECK(readable_answer(state_request, answer) ==
        "fixes  2\n"
        "  - lat 1\n"
        "  - lat 2\n"
        "name   -\n"
        "none   none\n");
}

TEST_CASE("readable answer: sms sent lists each message, or says none", "[ctl]") {
  CHECK(readable_answer(sms_sent_request, {{"sent", json::array()}}) == "no SMS sent\n");
  const json two = {{"sent", {{{"to", "10010"}, {"text", "bye"}}, {{"to", "+8613900000000"}, {"text", "hi there"}}}}};
  CHECK(readable_answer(sms_sent_request, two) == "2 SMS sent\n  to 10010: bye\n  to +8613900000000: hi there\n");
}

TEST_CASE("asks_something: state and sms sent are questions, actions are not", "[ctl]") {
  CHECK(sim7600_control::asks_something(state_request));
  CHECK(sim7600_control::asks_something(sms_sent_request));
  CHECK_FALSE(sim7600_control::asks_something({"POST", "/v1/sms", {{"action", "deliver"}}}));
  CHECK_FALSE(sim7600_control::asks_something({"POST", "/v1/reboot"}));
  CHECK_FALSE(sim7600_control::asks_something({"GET", "/v1/nonsense"}));
}
