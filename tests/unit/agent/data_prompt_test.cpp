#include <catch2/catch.hpp>

#include "agent/data_prompt.hpp"
#include "agent_test_support.hpp"

using agent::data_block;

namespace {

// An SMS-style command (AT+CMGS="<to>"): "> " prompt, text until Ctrl-Z, ESC abandons; the body is recorded.
struct prompt_rig : agent_test::v250_engine_rig {
  std::vector<std::string> bodies;
  explicit prompt_rig(bool echo = false) : v250_engine_rig(echo) {
    table.add({.name = "+XSEND",
               .set =
                   [this](const agent::at_params&) {
                     engine.ask_for_data({.prompt = "> ",
                                          .length = std::nullopt,
                                          .max_length = 10,
                                          .done = [this](data_block block) {
                                            if (block.how == data_block::end::cancelled) return agent::command_result::ok();
                                            if (block.how == data_block::end::too_long) return agent::command_result::cms(304);
                                            bodies.push_back(block.bytes);
                                            return agent::command_result::ok({"+XSEND: 1"});
                                          }});
                     return agent::command_result::held();
                   },
               .set_args = {agent::text()}});
  }
};

}  // namespace

TEST_CASE("data prompt: a '> ' block ended by Ctrl-Z, the rest of the line runs after it") {
  std::string out = agent_test::same_output_at_every_split(
      "AT+XSEND=\"1\";+CMEE?\rhi\r\nthere\x1A" "AT\r", [](std::vector<std::string_view> pieces) {
        prompt_rig rig;
        std::string all;
        for (auto piece : pieces) all += rig.feed(piece);
        REQUIRE(rig.bodies == std::vector<std::string>{"hi\r\nthere"});
        return all;
      });
  CHECK(out == "\r\n> \r\n+XSEND: 1\r\n\r\n+CMEE: 0\r\n\r\nOK\r\n\r\nOK\r\n");
}

TEST_CASE("data prompt: ESC abandons the block, an over-long block is refused and the port still answers") {
  prompt_rig rig;
  CHECK(rig.feed("AT+XSEND=\"1\"\rnever\x1B") == "\r\n> \r\nOK\r\n");
  CHECK(rig.feed("AT+CMEE=1\r") == "\r\nOK\r\n");
  CHECK(rig.feed("AT+XSEND=\"1\"\r" + std::string(200 * 1024, 'x') + "\x1A") == "\r\n> \r\n+CMS ERROR: 304\r\n");
  CHECK(rig.bodies.empty());
  CHECK(rig.feed("AT\r") == "\r\nOK\r\n");
}

TEST_CASE("data prompt: URCs wait until the block's command has answered, echo follows ATE") {
  prompt_rig rig(true);
  CHECK(rig.feed("AT+XSEND=\"1\"\rab") == "AT+XSEND=\"1\"\r\r\n> ab");
  rig.engine.post_urc("+URC: 1");
  CHECK(rig.engine.take_output().empty());
  CHECK(rig.feed("\x1A") == "\r\n+XSEND: 1\r\n\r\nOK\r\n\r\n+URC: 1\r\n");  // Ctrl-Z ends the block, unechoed
}
