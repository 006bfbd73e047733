// The AT+ADA table behind the real line engine: bytes in, bytes out, split at every offset.
#include <catch2/catch.hpp>
#include <memory>

#include "agent/ada_commands.hpp"
#include "agent/at_engine.hpp"
#include "agent_test_support.hpp"
#include "apca/service.hpp"
#include "tests/support/fake_ports.hpp"

namespace {

// A fresh engine + table + service per run, URCs going to the engine as the module wires them.
struct engine_rig {
  struct urcs_to_engine : apca::urc_sink {
    agent::at_engine* engine = nullptr;
    void urc(std::string line) override { engine->post_urc(std::move(line)); }
  };
  agent::command_table table;
  agent::at_engine engine{table};
  test_support::fake_timers timers;
  test_support::fake_clock clock;
  urcs_to_engine urcs;
  test_support::fake_nv nv;
  apca::service service{apca::service_ports{timers, clock, urcs, nv, nullptr, {}}, {}};
  agent_test::fake_profiles profiles;

  engine_rig() {
    urcs.engine = &engine;
    agent::add_v250_commands(table, engine, profiles);  // for ATE0
    agent::add_ada_commands(table, service,
                            [this](agent::command_result result) { engine.complete(std::move(result)); });
  }

  // Feeds the pieces; NV saves finish (ok) whenever they are pending, as a fast disk would.
  std::string run(const std::vector<std::string_view>& pieces) {
    std::string out;
    for (auto piece : pieces) {
      engine.feed(piece);
      nv.finish_all(true);
      out += engine.take_output();
    }
    return out;
  }
};

std::string run_split(std::string_view input) {
  return agent_test::same_output_at_every_split(input, [](std::vector<std::string_view> pieces) {
    engine_rig rig;
    return rig.run(pieces);
  });
}

}  // namespace

TEST_CASE("ADA through the engine: start answers OK, then the done URC") {
  CHECK(run_split("ATE0\rAT+ADA= \"start \"\r") == "ATE0\r\r\nOK\r\n\r\nOK\r\n\r\n+ADA: \"start\",\"done\"\r\n");
}

TEST_CASE("ADA through the engine: cs is held until durable, then OK, the next line waits") {
  CHECK(run_split("ATE0\rAT+ADA=\"start\"\rAT+ADA=\"cs\",\"oem/id\",\"ffa10123\"\rAT+ADA=\"cg\", \"oem/id\"\r") ==
        "ATE0\r\r\nOK\r\n"
        "\r\nOK\r\n\r\n+ADA: \"start\",\"done\"\r\n"
        "\r\nOK\r\n"
        "\r\n+ADA: \"cg\",\"oem/id\",\"ffa10123\"\r\n\r\nOK\r\n");
}

TEST_CASE("ADA through the engine: a held cs keeps later input until its save ends") {
  engine_rig rig;
  rig.engine.feed("ATE0\rAT+ADA=\"start\"\r");
  rig.engine.take_output();
  rig.engine.feed("AT+ADA=\"cs\",\"oem/id\",\"x\"\rAT+ADA=\"status\"\r");
  CHECK(rig.engine.take_output().empty());
  REQUIRE(rig.nv.pending.size() == 1);
  rig.nv.finish_save(false);
  CHECK(rig.engine.take_output() ==
        "\r\n+ADA: \"cs\",\"err\",7,\"err: nv write failed\"\r\n\r\nERROR\r\n"
        "\r\n+ADA: \"status\",15,3\r\n\r\nOK\r\n");
}

TEST_CASE("ADA through the engine: errors print the ADA line then ERROR") {
  CHECK(run_split("ATE0\rAT+ADA=\"cg\",\"abc\"\rAT+ADA=\"\"\rAT+ADA?\r") ==
        "ATE0\r\r\nOK\r\n"
        "\r\n+ADA: \"cg\",\"err\",7,\"err: service not started\"\r\n\r\nERROR\r\n"
        "\r\n+ADA: \"\",\"err\",1,\"missing: command\"\r\n\r\nERROR\r\n"
        "\r\nERROR\r\n");
}
