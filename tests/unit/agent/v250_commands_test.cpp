#include <catch2/catch.hpp>

#include "agent/at_engine.hpp"
#include "agent/v250_commands.hpp"
#include "agent_test_support.hpp"

using agent::at_engine;

using v250_rig = agent_test::v250_engine_rig;

TEST_CASE("v250: ATE, ATV, ATQ take 0 or 1 (nothing means 0)") {
  v250_rig r;
  REQUIRE(r.feed("ATE2\r") == "\r\nERROR\r\n");
  REQUIRE(r.feed("ATE\r") == "\r\nOK\r\n");
  REQUIRE(r.feed("ATE1\r") == "\r\nOK\r\n");  // echoed before it ran
  REQUIRE(r.feed("ATV\r") == "ATV\r0\r");
  REQUIRE(r.feed("ATV1Q1\r") == "ATV1Q1\r");
  REQUIRE(r.feed("ATQ0\r") == "ATQ0\r\r\nOK\r\n");
}

TEST_CASE("v250: S registers read as three digits and are set in range") {
  v250_rig r;
  REQUIRE(r.feed("ATS3?\r") == "\r\n013\r\n\r\nOK\r\n");
  REQUIRE(r.feed("ATS5?\r") == "\r\n008\r\n\r\nOK\r\n");
  REQUIRE(r.feed("ATS3=128\r") == "\r\nERROR\r\n");
  REQUIRE(r.feed("ATS5=127\r") == "\r\nOK\r\n");
  REQUIRE(r.feed("ATE1\r") == "\r\nOK\r\n");
  // DEL (127) now edits the line; backspace is an ordinary (invalid) byte.
  REQUIRE(r.feed("ATS3?X\x7f\r") == "ATS3?X\x7f\r\r\n013\r\n\r\nOK\r\n");
}

TEST_CASE("v250: a new S3 ends lines and frames results") {
  v250_rig r;
  // V.250: the result code of the line that changed S3 already uses the new value.
  REQUIRE(r.feed("ATS3=64\r") == "@\nOK@\n");
  REQUIRE(r.feed("ATS3?@") == "@\n064@\n@\nOK@\n");
}

TEST_CASE("v250: AT+CMEE forms") {
  v250_rig r;
  REQUIRE(r.feed("AT+CMEE?\r") == "\r\n+CMEE: 0\r\n\r\nOK\r\n");
  REQUIRE(r.feed("AT+CMEE=?\r") == "\r\n+CMEE: (0-2)\r\n\r\nOK\r\n");
  REQUIRE(r.feed("AT+CMEE=2;+CMEE?\r") == "\r\n+CMEE: 2\r\n\r\nOK\r\n");
  REQUIRE(r.feed("AT+CMEE=3\r") == "\r\nERROR\r\n");
}

TEST_CASE("v250: AT+IPR forms") {
  v250_rig r;
  REQUIRE(r.feed("AT+IPR?\r") == "\r\n+IPR: 115200\r\n\r\nOK\r\n");
  REQUIRE(r.feed("AT+IPR=921600;+IPR?\r") == "\r\n+IPR: 921600\r\n\r\nOK\r\n");
  REQUIRE(r.feed("AT+IPR=12345\r") == "\r\nERROR\r\n");
  REQUIRE(r.feed("AT+IPR=?\r") ==
          "\r\n+IPR: (0,300,600,1200,2400,4800,9600,19200,38400,57600,115200,230400,460800,921600,3000000,3200000,"
          "3686400)\r\n\r\nOK\r\n");
}

TEST_CASE("v250: AT&F restores factory settings") {
  v250_rig r;
  REQUIRE(r.feed("AT+CMEE=2;V0\r") == "0\r");
  REQUIRE(r.feed("AT&F\r") == "\r\nOK\r\n");
  REQUIRE(r.engine.settings() == agent::v250_settings{});
}

TEST_CASE("v250: AT&W answers OK only once the profile is durable, ATZ restores it") {
  v250_rig r;
  REQUIRE(r.feed("AT+CMEE=1;&W\r").empty());
  REQUIRE(r.profiles.stored.echo == false);
  REQUIRE(r.profiles.stored.cmee == 1);
  r.profiles.pending(true);
  REQUIRE(r.engine.take_output() == "\r\nOK\r\n");
  REQUIRE(r.feed("ATE1V0+CMEE=0\r") == "0\r");
  REQUIRE(r.feed("ATZ\r") == "ATZ\r\r\nOK\r\n");
  REQUIRE(r.engine.settings().cmee == 1);
  REQUIRE(r.feed("AT\r") == "\r\nOK\r\n");
}

TEST_CASE("v250: a failed AT&W answers ERROR") {
  v250_rig r;
  REQUIRE(r.feed("AT&W\r").empty());
  r.profiles.pending(false);
  REQUIRE(r.engine.take_output() == "\r\nERROR\r\n");
}

TEST_CASE("v250: the profile in NV") {
  agent::v250_settings profile;
  profile.echo = false;
  profile.cmee = 2;
  profile.ipr = 9600;
  config_store::nv_image nv;
  for (auto& [key, value] : agent::profile_to_nv(profile)) nv.values[key] = value;
  REQUIRE(agent::profile_from_nv(nv) == profile);
  REQUIRE(agent::profile_from_nv({}) == agent::v250_settings{});
}

TEST_CASE("v250: a terminal program's modem init string is accepted and its registers read back") {
  v250_rig r;  // echo off
  CHECK(r.feed("AT S7=45 S0=0 L1 V1 X4 &c1 E0 Q0\r") == "\r\nOK\r\n");
  CHECK(r.feed("ATS7?\r") == "\r\n045\r\n\r\nOK\r\n");
  CHECK(r.feed("ATS0?\r") == "\r\n000\r\n\r\nOK\r\n");
  CHECK(r.feed("ATS10?\r") == "\r\n014\r\n\r\nOK\r\n");  // never set: the factory value
  CHECK(r.feed("ATL4\r") == "\r\nERROR\r\n");
  CHECK(r.feed("ATS7=256\r") == "\r\nERROR\r\n");
  CHECK(r.feed("AT&D2&C1\r") == "\r\nOK\r\n");
}
