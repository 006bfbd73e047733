#include <catch2/catch.hpp>

#include "pty_bridge/output_pacer.hpp"

using pty_bridge::output_pacer;
using namespace std::chrono_literals;

namespace {
// Writes as much as the pacer allows, sleeping as it asks plus `late` (a timer that fires late), over `span` of
// simulated time.
std::size_t bytes_through(unsigned baud, output_pacer::clock::duration span,
                          output_pacer::clock::duration late = {}) {
  const auto start = output_pacer::clock::time_point{} + 1h;
  output_pacer pacer(baud, start);
  std::size_t total = 0;
  auto now = start;
  while (now - start < span) {
    const std::size_t n = pacer.allowance(now);
    pacer.spend(n);
    total += n;
    now += std::max<output_pacer::clock::duration>(pacer.wait(now), 1us) + late;
  }
  return total;
}
}  // namespace

TEST_CASE("output_pacer lets out baud/10 bytes a second") {
  // 9600 baud: 960 bytes a second, give or take the FIFO filled at the start and the last slice.
  const std::size_t at_9600 = bytes_through(9600, 10s);
  CHECK(at_9600 >= 9600);
  CHECK(at_9600 <= 9600 + 3 * 9);
  const std::size_t at_115200 = bytes_through(115200, 1s);
  CHECK(at_115200 >= 11520);
  CHECK(at_115200 <= 11520 + 3 * 115);
}

TEST_CASE("output_pacer keeps the line rate when its timer fires late") {
  // A loaded machine wakes the timer up to a few ms late; the slice kept in hand must cover it, or every late
  // wake-up is line time lost (a FIFO of one slice measured 97% of the rate at 115200).
  for (unsigned baud : {9600u, 115200u, 921600u}) {
    const std::size_t nominal = baud / 10 * 10;  // 10 s of line time
    const std::size_t sent = bytes_through(baud, 10s, 3ms);
    CHECK(sent >= nominal);
    CHECK(sent <= nominal + nominal / 100);
  }
}

TEST_CASE("output_pacer writes in small slices and says how long to wait") {
  const auto start = output_pacer::clock::time_point{} + 1h;
  output_pacer pacer(9600, start);
  CHECK(pacer.slice() == 9);  // ~10 ms of line time
  CHECK(pacer.allowance(start) == 18);  // an empty FIFO of two slices
  pacer.spend(18);
  CHECK(pacer.allowance(start) == 0);
  const auto wait = pacer.wait(start);
  CHECK(wait > 9ms);  // one slice drained
  CHECK(wait < 10ms);
  CHECK(pacer.allowance(start + wait) == 9);
}

TEST_CASE("output_pacer does not bank idle time into a burst") {
  const auto start = output_pacer::clock::time_point{} + 1h;
  output_pacer pacer(9600, start);
  CHECK(pacer.allowance(start + 10min) == pacer.fifo_size());
}
