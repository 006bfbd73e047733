// sim7600-scenario's flags.
#include <catch2/catch.hpp>

#include "tools/sim7600-scenario/command_line.hpp"
#include "tools/sim7600-scenario/control_client.hpp"

using namespace scenario;

TEST_CASE("flags and files", "[scenario][flags]") {
  const auto parsed = parse_command_line({"--junit", "out.xml", "-j", "2", "--keep-going", "a.yaml", "b.yaml"});
  REQUIRE(parsed.ok());
  CHECK(parsed.value().junit_file == "out.xml");
  CHECK(parsed.value().jobs == 2);
  CHECK(parsed.value().keep_going);
  CHECK(parsed.value().files == std::vector<std::string>{"a.yaml", "b.yaml"});
  CHECK(parse_command_line({"-j4", "a.yaml"}).value().jobs == 4);
}

TEST_CASE("bad flags get a one-line reason", "[scenario][flags]") {
  CHECK(parse_command_line({"-j", "0", "a.yaml"}).error() == "-j wants a number of cases from 1 to 64, got '0'");
  CHECK(parse_command_line({"--junit"}).error() == "--junit wants a value");
  CHECK(parse_command_line({"--frob", "a.yaml"}).error() == "unknown flag --frob (see --help)");
  CHECK(parse_command_line({}).error() == "no scenario file given (see --help)");
  CHECK(parse_command_line({"--from-transcript", "t", "a.yaml"}).error() == "--from-transcript takes no scenario files");
}

TEST_CASE("control API requests, as SPEC §7 names them", "[scenario][control]") {
  CHECK(control_request_for("coverage lost") ==
        "POST /v1/coverage HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 17\r\n"
        "Connection: close\r\n\r\n{\"args\":[\"lost\"]}");
  CHECK(control_request_for("state").rfind("GET /v1/state HTTP/1.1\r\n", 0) == 0);
  const auto reply = parse_http_response("HTTP/1.1 409 Conflict\r\nContent-Length: 18\r\n\r\n{\"error\":\"no SIM\"}");
  CHECK(reply.status == 409);
  CHECK(reply.body == "{\"error\":\"no SIM\"}");
  CHECK(parse_http_response("garbage").status == 0);
}
