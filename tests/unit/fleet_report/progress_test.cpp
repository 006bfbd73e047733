// The live status: the line's text, and when the printer writes it on a terminal and in a log.
#include <catch2/catch.hpp>

#include "fleet/fleet_progress.hpp"

using namespace fleet;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

fleet_counts campaign_counts() {
  fleet_counts counts;
  counts.total = 1000;
  counts.listening = 950;
  counts.connecting = 30;
  counts.booting = 20;
  counts.ota_downloading = 120;
  counts.ota_applying = 40;
  counts.ota_succeeded = 800;
  counts.ota_failed = 5;
  counts.errors = 3;
  return counts;
}

fleet_counts booting(std::size_t total, std::size_t listening) {
  fleet_counts counts;
  counts.total = total;
  counts.listening = listening;
  counts.booting = total - listening;
  return counts;
}

}  // namespace

TEST_CASE("the progress line counts modules, then OTAs, then errors", "[fleet][progress]") {
  CHECK(progress_line(campaign_counts(), seconds(42)) ==
        "[00:42] 1000 modules: 950 listening, 30 connecting, 20 booting | OTA 120 downloading, 40 applying, "
        "800 done, 5 failed | 3 errors");
}

TEST_CASE("the progress line leaves out what has nothing in it", "[fleet][progress]") {
  CHECK(progress_line(booting(1000, 0), milliseconds(999)) == "[00:00] 1000 modules: 1000 booting");
  fleet_counts ended = booting(10, 7);
  ended.booting = 0;
  ended.failed = 2;
  ended.silent = 1;
  ended.errors = 1;
  CHECK(progress_line(ended, std::chrono::minutes(61) + seconds(2)) ==
        "[1:01:02] 10 modules: 7 listening, 2 failed, 1 silent | 1 error");
  fleet_counts one;
  one.total = 1;
  one.ota_succeeded = 1;
  CHECK(progress_line(one, std::chrono::minutes(12)) == "[12:00] 1 module | OTA 1 done");
}

TEST_CASE("on a terminal the line is rewritten in place, at most every 200 ms", "[fleet][progress]") {
  progress_printer printer(progress_printer::output::terminal);
  CHECK(printer.update(booting(4, 0), milliseconds(0)) == "\r[00:00] 4 modules: 4 booting\x1b[K");
  CHECK(printer.update(booting(4, 1), milliseconds(150)).empty());  // too soon
  CHECK(printer.update(booting(4, 1), milliseconds(200)) == "\r[00:00] 4 modules: 1 listening, 3 booting\x1b[K");
  CHECK(printer.update(booting(4, 1), milliseconds(600)).empty());  // the same text
  CHECK(printer.update(booting(4, 1), milliseconds(1000)) == "\r[00:01] 4 modules: 1 listening, 3 booting\x1b[K");
  CHECK(printer.finish(booting(4, 4), milliseconds(1100)) == "\r[00:01] 4 modules: 4 listening\x1b[K\n");
}

TEST_CASE("on a terminal the line is cut to its width", "[fleet][progress]") {
  progress_printer printer(progress_printer::output::terminal, 20);
  CHECK(printer.update(booting(1000, 10), milliseconds(0)) == "\r[00:00] 1000 module\x1b[K");  // 19 columns
}

TEST_CASE("other output clears the terminal line, which comes back at once", "[fleet][progress]") {
  progress_printer printer(progress_printer::output::terminal);
  CHECK(printer.clear_line().empty());  // nothing shown yet
  CHECK_FALSE(printer.update(booting(2, 2), milliseconds(0)).empty());
  CHECK(printer.clear_line() == "\r\x1b[K");
  CHECK(printer.update(booting(2, 2), milliseconds(10)) == "\r[00:00] 2 modules: 2 listening\x1b[K");
}

TEST_CASE("in a log a plain line every 5 s when counts change, every 30 s when not", "[fleet][progress]") {
  progress_printer printer(progress_printer::output::plain);
  CHECK(printer.update(booting(4, 0), milliseconds(0)) == "[00:00] 4 modules: 4 booting\n");
  CHECK(printer.update(booting(4, 1), milliseconds(4999)).empty());  // changed, but too soon
  CHECK(printer.update(booting(4, 1), milliseconds(5000)) == "[00:05] 4 modules: 1 listening, 3 booting\n");
  CHECK(printer.update(booting(4, 1), milliseconds(10000)).empty());  // nothing changed
  CHECK(printer.update(booting(4, 1), milliseconds(34999)).empty());
  CHECK(printer.update(booting(4, 1), milliseconds(35000)) == "[00:35] 4 modules: 1 listening, 3 booting\n");
  CHECK(printer.update(booting(4, 4), milliseconds(36000)).empty());
  CHECK(printer.update(booting(4, 4), milliseconds(40000)) == "[00:40] 4 modules: 4 listening\n");
  CHECK(printer.clear_line().empty());
  CHECK(printer.finish(booting(4, 4), milliseconds(41000)) == "[00:41] 4 modules: 4 listening\n");
}
