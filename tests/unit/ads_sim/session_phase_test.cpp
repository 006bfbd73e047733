// The HTTPS session's phases, driven by events alone: the connection's rules without a socket.
#include "ads_sim/session_phase.hpp"

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

TEST_CASE("no request is held: a read during handling or answering waits for the answer", "[ads_sim][session]") {
  // The next request is read only once the answer is out (PROTOCOL.md §2.4: commands.json is answered at once).
  CHECK(run(p::reading, {e::request_read, e::request_read}) == p::handling);
  CHECK(run(p::reading, {e::request_read, e::core_answered, e::request_read}) == p::answering);
  CHECK_FALSE(reads_in(p::answering_last));
}

TEST_CASE("a bad request is refused and the connection ends after the refusal", "[ads_sim][session]") {
  CHECK(run(p::reading, {e::request_bad}) == p::answering_last);
  CHECK(run(p::reading, {e::request_bad, e::write_done}) == p::closing);
  // While an answer is written, the connection ends after it; while the core works, at once.
  CHECK(run(p::answering, {e::request_bad}) == p::answering_last);
  CHECK(run(p::handling, {e::request_bad}) == p::closing);
}

TEST_CASE("closing waits for a write in flight, and nothing happens after it", "[ads_sim][session]") {
  CHECK(run(p::answering, {e::close}) == p::answering_last);
  CHECK(run(p::answering, {e::close, e::write_done}) == p::closing);
  CHECK(run(p::answering, {e::read_ended}) == p::answering_last);
  CHECK(run(p::reading, {e::read_ended}) == p::closing);
  CHECK(run(p::handling, {e::close}) == p::closing);
  CHECK(run(p::answering, {e::write_failed}) == p::closing);
  CHECK(run(p::reading, {e::request_read, e::core_dropped}) == p::closing);
  for (const auto late : {e::core_answered, e::core_answered_last, e::core_dropped, e::request_read,
                          e::handshake_done, e::write_done})
    CHECK(next_phase(p::closing, late) == p::closing);
  // Events that do not apply leave the phase as it is.
  CHECK(next_phase(p::reading, e::write_done) == p::reading);
  CHECK(next_phase(p::answering, e::core_answered) == p::answering);
}

TEST_CASE("a terminal upgrade hands the connection over: no event moves it afterwards", "[ads_sim][session]") {
  CHECK(run(p::reading, {e::request_read, e::core_upgraded}) == p::upgraded);
  // Only a request the core has may be upgraded.
  CHECK(run(p::reading, {e::core_upgraded}) == p::reading);
  CHECK(run(p::answering, {e::core_upgraded}) == p::answering);
  for (const auto event : {e::handshake_done, e::request_read, e::request_bad, e::read_ended, e::core_answered,
                           e::core_answered_last, e::core_dropped, e::core_upgraded, e::write_done, e::write_failed,
                           e::close})
    CHECK(next_phase(p::upgraded, event) == p::upgraded);
  CHECK_FALSE(reads_in(p::upgraded));
  CHECK_FALSE(writes_in(p::upgraded));
}
