#include <catch2/catch.hpp>

#include "common/exit_code.hpp"
#include "common/result.hpp"

TEST_CASE("exit codes: 0 done, 1 could not do the work, 2 the command line is to blame") {
  CHECK(common::exit_status(common::exit_code::ok) == 0);
  CHECK(common::exit_status(common::exit_code::failed) == 1);
  CHECK(common::exit_status(common::exit_code::usage) == 2);
}

TEST_CASE("exit errors: a reason with its code, carried by a result") {
  const auto stop = [](bool bad_flag) -> common::result<common::done, common::exit_error> {
    if (bad_flag) return common::usage_error("--baud wants a number");
    return common::failed("cannot open /dev/ttyUSB9");
  };
  const auto flag = stop(true);
  REQUIRE_FALSE(flag.ok());
  CHECK(flag.error().code == common::exit_code::usage);
  CHECK(flag.error().reason == "--baud wants a number");
  const auto port = stop(false);
  REQUIRE_FALSE(port.ok());
  CHECK(port.error().code == common::exit_code::failed);
  CHECK(port.error().reason == "cannot open /dev/ttyUSB9");
}
