// --from-transcript: records into a replay; boot URCs and echoes left to the runner.
#include <catch2/catch.hpp>

#include "scenario/scenario_parser.hpp"
#include "scenario/transcript_import.hpp"

using namespace scenario;

namespace {
const std::string transcript =
    "2026-11-24T05:14:15.000000Z < \\r\\nRDY\\r\\n\n"
    "2026-11-24T05:14:15.100000Z < \\r\\nPB DONE\\r\\n\n"
    "2026-11-24T05:14:16.123456Z > AT+ADA=\"status\"\\r\n"
    "2026-11-24T05:14:16.123501Z < AT+ADA=\"status\"\\r\n"
    "2026-11-24T05:14:16.123601Z < \\r\\n\n"
    "2026-11-24T05:14:16.123701Z < +ADA: \"status\",15,3\\r\\n\n"
    "2026-11-24T05:14:16.123801Z < \\r\\nOK\\r\\n\n"
    "2026-11-24T05:14:17.000000Z > AT\\x07\\r\n";
}  // namespace

TEST_CASE("a transcript becomes host lines, without the boot and the echo", "[scenario][transcript]") {
  const auto yaml = scenario_from_transcript(transcript, "replay of it's");
  REQUIRE(yaml.ok());
  CHECK(yaml.value().find("      > AT+ADA=\"status\"\n      < +ADA: \"status\",15,3\n      < OK\n") != std::string::npos);
  CHECK(yaml.value().find("RDY") == std::string::npos);
  CHECK(yaml.value().find("AT\\x07") == std::string::npos);  // raw bytes are no line a host types
  // What it writes reads back as a scenario, one step a line.
  const auto parsed = parse_scenario(yaml.value(), "replay.yaml");
  REQUIRE(parsed.ok());
  CHECK(parsed.value().cases.at(0).name == "replay of it's");
  CHECK(parsed.value().cases.at(0).steps.size() == 3);
}

TEST_CASE("unescaping is the inverse of the transcript's escaping", "[scenario][transcript]") {
  CHECK(unescape_traffic("\\r\\n\\\\x\\x1A") == std::string("\r\n\\x\x1A"));
}

TEST_CASE("a line that is no record is refused with its number", "[scenario][transcript]") {
  const auto yaml = scenario_from_transcript("2026-11-24T05:14:16Z > AT\\r\nhello\n", "x");
  REQUIRE_FALSE(yaml.ok());
  CHECK(yaml.error().reason == "line 2 is not a transcript record: hello");
}
