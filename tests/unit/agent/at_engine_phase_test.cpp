// The AT port's phases: every move that changes the phase is listed here, and every other (phase, event) pair is
// checked to leave the phase alone, so a new transition cannot slip in unlisted.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "agent/at_engine_phase.hpp"
#include "tests/support/transition_table.hpp"

namespace {

using agent::engine_event;
using agent::engine_phase;
using p = engine_phase;
using e = engine_event;

const std::vector<engine_phase> all_phases = {p::off,     p::idle, p::running,   p::calling,
                                              p::answered, p::held, p::collecting};
const std::vector<engine_event> all_events = {e::start,     e::stop,          e::line_read, e::call,
                                              e::returned,  e::returned_held, e::completed, e::data_asked,
                                              e::line_finished, e::discard};

// Every transition that changes the phase.
test_support::transition_moves<engine_phase, engine_event> legal_moves() {
  test_support::transition_moves<engine_phase, engine_event> moves;
  for (auto from : all_phases) {
    moves[{from, e::stop}] = p::off;
    if (from != p::off) moves[{from, e::discard}] = p::idle;
  }
  moves[{p::off, e::start}] = p::idle;
  moves[{p::idle, e::line_read}] = p::running;
  moves[{p::running, e::call}] = p::calling;
  moves[{p::collecting, e::call}] = p::calling;  // the data block ended: its continuation runs
  moves[{p::calling, e::returned}] = p::running;
  moves[{p::answered, e::returned}] = p::running;
  moves[{p::calling, e::returned_held}] = p::held;
  moves[{p::answered, e::returned_held}] = p::running;  // complete() already gave the result
  moves[{p::calling, e::completed}] = p::answered;
  moves[{p::held, e::completed}] = p::running;
  moves[{p::calling, e::data_asked}] = p::collecting;
  moves[{p::held, e::data_asked}] = p::collecting;
  moves[{p::running, e::line_finished}] = p::idle;
  return moves;
}

}  // namespace

TEST_CASE("engine phase: each listed move happens, every other event leaves the phase as it is") {
  const auto mismatches = test_support::transition_mismatches(legal_moves(), all_phases, all_events,
                                                              agent::next_engine_phase, agent::engine_phase_name);
  CHECK(mismatches == std::vector<std::string>{});  // on failure Catch lists each one
}

TEST_CASE("engine phase: a line is in progress from its reading to its final result code") {
  for (auto phase : all_phases) {
    INFO(agent::engine_phase_name(phase));
    const bool waits_for_its_final_result = phase == p::running || phase == p::calling || phase == p::answered ||
                                            phase == p::held || phase == p::collecting;
    CHECK(agent::line_in_progress(phase) == waits_for_its_final_result);
  }
}
