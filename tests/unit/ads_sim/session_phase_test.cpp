// The HTTPS session's phases, driven by events alone: the connection's rules without a socket.
#include "tools/ads-sim/session_phase.hpp"

#include <catch2/catch.hpp>
#include <initializer_list>

using ads_sim::next_phase;
using ads_sim::reads_in;
using ads_sim::session_event;
using ads_sim::session_phase;
using ads_sim::writes_in;
using e = session_event;
using p = session_phase;

namespace {

// Feeds `events` from `start` and returns the phase reached.
session_phase run(session_phase start, std::initializer_list<session_event> events) {
  for (const auto event : events) start = next_phase(start, event);
  return start;
}

}  // namespace

TEST_CASE("a kept-alive connection reads, has the core answer, writes, and reads again", "[ads_sim][session]") {
  CHECK(run(p::handshaking, {e::handshake_done}) == p::reading);
  CHECK(run(p::reading, {e::request_read}) == p::handling);
  CHECK(run(p::reading, {e::request_read, e::core_answered}) == p::answering);
  CHECK(run(p::reading, {e::request_read, e::core_answered, e::write_done}) == p::reading);
  // Connection: close from the client.
  CHECK(run(p::reading, {e::request_read, e::core_answered_last, e::write_done}) == p::closing);
  CHECK_FALSE(reads_in(p::handling));
  CHECK_FALSE(reads_in(p::answering));
  CHECK(writes_in(p::answering));
}

TEST_CASE("a held poll keeps reading and is answered when woken or when its time is up", "[ads_sim][session]") {
  const auto held = run(p::reading, {e::request_read, e::core_held});
  CHECK(held == p::held);
  CHECK(reads_in(held));
  CHECK(run(held, {e::poll_due}) == p::finishing_poll);
  CHECK(run(held, {e::poll_due, e::core_answered}) == p::answering_poll);
  CHECK(run(held, {e::poll_due, e::core_answered, e::write_done}) == p::reading);
  CHECK(reads_in(p::answering_poll));
}

TEST_CASE("a request read while a poll is held gets the poll's answer out first, then its own", "[ads_sim][session]") {
  const auto held = run(p::reading, {e::request_read, e::core_held});
  CHECK(run(held, {e::request_read}) == p::finishing_poll_queued);
  CHECK_FALSE(reads_in(p::finishing_poll_queued));
  CHECK(run(held, {e::request_read, e::core_answered}) == p::answering_poll_queued);
  CHECK(run(held, {e::request_read, e::core_answered, e::write_done}) == p::handling);
  // The same when it arrives while the poll's answer is being made or written.
  CHECK(run(held, {e::poll_due, e::request_read, e::core_answered, e::write_done}) == p::handling);
  CHECK(run(held, {e::poll_due, e::core_answered, e::request_read, e::write_done}) == p::handling);
}

TEST_CASE("a wake that comes before the core's hold ends that hold at once", "[ads_sim][session]") {
  CHECK(run(p::reading, {e::request_read, e::poll_due, e::core_held}) == p::finishing_poll);
  // A wake for a request that is answered directly changes nothing.
  CHECK(run(p::reading, {e::request_read, e::poll_due, e::core_answered, e::write_done}) == p::reading);
}

TEST_CASE("a bad request is refused and the connection ends after the refusal", "[ads_sim][session]") {
  CHECK(run(p::reading, {e::request_bad}) == p::answering_last);
  CHECK(run(p::reading, {e::request_bad, e::write_done}) == p::closing);
  // While a poll is held there is no one to answer: it just ends; while its answer is written, after it.
  CHECK(run(p::reading, {e::request_read, e::core_held, e::request_bad}) == p::closing);
  CHECK(run(p::answering_poll, {e::request_bad}) == p::answering_last);
}

TEST_CASE("closing waits for a write in flight, and nothing happens after it", "[ads_sim][session]") {
  CHECK(run(p::answering, {e::close}) == p::answering_last);
  CHECK(run(p::answering, {e::close, e::write_done}) == p::closing);
  CHECK(run(p::answering_poll, {e::read_ended}) == p::answering_last);
  CHECK(run(p::held, {e::read_ended}) == p::closing);
  CHECK(run(p::handling, {e::close}) == p::closing);
  CHECK(run(p::answering, {e::write_failed}) == p::closing);
  CHECK(run(p::reading, {e::request_read, e::core_dropped}) == p::closing);
  for (const auto late : {e::core_answered, e::core_held, e::poll_due, e::request_read, e::handshake_done,
                          e::write_done})
    CHECK(next_phase(p::closing, late) == p::closing);
  // Events that do not apply leave the phase as it is.
  CHECK(next_phase(p::reading, e::write_done) == p::reading);
  CHECK(next_phase(p::answering, e::poll_due) == p::answering);
}
