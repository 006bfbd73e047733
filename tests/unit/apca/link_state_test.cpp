// The cloud link's states: every move that changes the state is listed here, and every other (state, event) pair
// is checked to leave the state alone, so a new transition cannot slip in unlisted. Plus what each state shows.
#include <catch2/catch.hpp>

#include <string>
#include <tuple>
#include <vector>

#include "apca/link_state.hpp"
#include "tests/support/transition_table.hpp"

namespace {

using apca::link_event;
using apca::link_state;
using s = link_state;
using e = link_event;

const std::vector<link_state> all_states = {s::disabled, s::draining,       s::connecting, s::rewaking,
                                            s::connect_failed, s::rewake_failed, s::refused, s::rewake_refused,
                                            s::online, s::lost, s::lost_refused};
const std::vector<link_event> all_events = {e::enable, e::disable, e::disable_after_sends, e::drained, e::rewake,
                                            e::up, e::failed, e::refused, e::network_lost, e::stop};

const std::vector<link_state> enabled_states = {s::connecting, s::rewaking, s::connect_failed, s::rewake_failed,
                                                s::refused, s::rewake_refused, s::online, s::lost, s::lost_refused};

// Every transition that changes the state.
test_support::transition_moves<link_state, link_event> legal_moves() {
  test_support::transition_moves<link_state, link_event> moves;
  for (auto from : all_states) {
    moves[{from, e::enable}] = s::connecting;
    moves[{from, e::disable}] = s::disabled;
    moves[{from, e::disable_after_sends}] = from == s::online ? s::draining : s::disabled;
    moves[{from, e::stop}] = s::disabled;
  }
  for (auto from : enabled_states) moves[{from, e::up}] = s::online;
  moves[{s::draining, e::drained}] = s::disabled;
  moves[{s::draining, e::failed}] = s::disabled;
  moves[{s::draining, e::refused}] = s::disabled;
  moves[{s::disabled, e::rewake}] = s::rewaking;
  moves[{s::connecting, e::failed}] = s::connect_failed;
  moves[{s::rewaking, e::failed}] = s::rewake_failed;
  moves[{s::online, e::failed}] = s::lost;
  moves[{s::connecting, e::refused}] = s::refused;
  moves[{s::connect_failed, e::refused}] = s::refused;
  moves[{s::rewaking, e::refused}] = s::rewake_refused;
  moves[{s::rewake_failed, e::refused}] = s::rewake_refused;
  moves[{s::online, e::refused}] = s::lost_refused;
  moves[{s::lost, e::refused}] = s::lost_refused;
  moves[{s::online, e::network_lost}] = s::lost;
  return moves;
}

}  // namespace

TEST_CASE("link state: each listed move happens, every other event leaves the state as it is") {
  const auto mismatches = test_support::transition_mismatches(legal_moves(), all_states, all_events,
                                                              apca::next_link_state, apca::link_state_name);
  CHECK(mismatches == std::vector<std::string>{});  // on failure Catch lists each one
}

TEST_CASE("link state: what the host hears when the connection comes up") {
  using g = apca::link_greeting;
  CHECK(apca::greeting_of(s::connecting) == g::ready);
  CHECK(apca::greeting_of(s::connect_failed) == g::ready);
  CHECK(apca::greeting_of(s::refused) == g::ready);
  CHECK(apca::greeting_of(s::rewaking) == g::rewake);
  CHECK(apca::greeting_of(s::rewake_failed) == g::rewake);
  CHECK(apca::greeting_of(s::rewake_refused) == g::rewake);
  CHECK(apca::greeting_of(s::lost) == g::none);
  CHECK(apca::greeting_of(s::lost_refused) == g::none);
  CHECK(apca::greeting_of(s::online) == g::none);
}

TEST_CASE("link state: the status code and reason of each enabled state") {
  using status = apca::connection_status;
  CHECK(apca::status_of(s::online, false) == status{0, 0});
  CHECK(apca::status_of(s::online, true) == status{1, 0});
  CHECK(apca::status_of(s::connecting, true) == status{15, 0});
  CHECK(apca::status_of(s::rewaking, false) == status{15, 0});
  for (auto failed : {s::connect_failed, s::rewake_failed, s::lost}) CHECK(apca::status_of(failed, true) == status{3, 3});
  for (auto refused : {s::refused, s::rewake_refused, s::lost_refused}) {
    CHECK(apca::status_of(refused, true) == status{3, 1});
    CHECK(apca::link_refused(refused));
    CHECK(apca::link_error_said(refused));
  }
  // A lost connection was announced (RDY): its failure is a net error, not an enable error.
  CHECK_FALSE(apca::link_error_said(s::lost));
  CHECK_FALSE(apca::link_enabled(s::disabled));
  CHECK_FALSE(apca::link_enabled(s::draining));
  for (auto enabled : enabled_states) CHECK(apca::link_enabled(enabled));
}
