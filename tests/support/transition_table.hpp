#pragma once
// The expected moves of an enum state machine, for tests that check its transition function over every
// (state, event) pair: a listed pair moves, every other pair leaves the state as it is, so a new transition cannot
// slip in unlisted. Without Catch: the test asserts that the list of mismatches is empty, which names each one.
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace test_support {

template <class State, class Event>
using transition_moves = std::map<std::pair<State, Event>, State>;

// Each pair where next(from, event) is not the listed move (or, unlisted, not `from`), as
// "<from> + event <n>: <got>, expected <expected>" with states named by `name`.
template <class State, class Event, class Next, class Name>
std::vector<std::string> transition_mismatches(const transition_moves<State, Event>& moves,
                                               const std::vector<State>& states, const std::vector<Event>& events,
                                               Next next, Name name) {
  std::vector<std::string> mismatches;
  for (auto from : states) {
    for (auto event : events) {
      const auto listed = moves.find({from, event});
      const State expected = listed == moves.end() ? from : listed->second;
      const State got = next(from, event);
      if (got == expected) continue;
      mismatches.push_back(std::string(name(from)) + " + event " + std::to_string(static_cast<int>(event)) + ": " +
                           std::string(name(got)) + ", expected " + std::string(name(expected)));
    }
  }
  return mismatches;
}

}  // namespace test_support
