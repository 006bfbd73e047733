// ads-admin's argument parser and request planning: pure, no service.
#include <catch2/catch.hpp>

#include "ads_admin/command_line.hpp"

using ads_admin::admin_command;
using ads_admin::parse_command_line;
using ads_admin::verb;
using nlohmann::json;

namespace {

common::outcome<ads_admin::command_line> parse(std::vector<std::string_view> args, const char* xdg = "/xdg",
                                                const char* home = "/home/u") {
  return parse_command_line(args, xdg, home);
}

// Parses a command line that must be valid and returns its command.
admin_command command_of(std::vector<std::string_view> args) {
  const auto parsed = parse(args);
  INFO((parsed ? std::string() : parsed.error().reason));
  REQUIRE(parsed.ok());
  REQUIRE(parsed->what == cli::request::run);
  return parsed->args.command;
}

std::string error_of(std::vector<std::string_view> args) {
  const auto parsed = parse(args);
  REQUIRE_FALSE(parsed.ok());
  return parsed.error().reason;
}

}  // namespace

TEST_CASE("every verb parses into its command", "[ads_admin][command_line]") {
  admin_command expected;

  SECTION("listings take no operands") {
    for (const auto& [name, which] : std::vector<std::pair<std::string_view, verb>>{
             {"oems", verb::oems}, {"devices", verb::devices}, {"images", verb::images}, {"jobs", verb::jobs}}) {
      expected.which = which;
      CHECK(command_of({name}) == expected);
    }
  }
  SECTION("create-oem, with and without --id") {
    expected.which = verb::create_oem;
    expected.name = "Acme Lights";
    expected.email = "ops@acme.example";
    CHECK(command_of({"create-oem", "Acme Lights", "ops@acme.example"}) == expected);
    expected.oem_id = "0a1b2c3d";
    CHECK(command_of({"create-oem", "--id", "0a1b2c3d", "Acme Lights", "ops@acme.example"}) == expected);
    CHECK(command_of({"create-oem", "Acme Lights", "ops@acme.example", "--id=0a1b2c3d"}) == expected);
  }
  SECTION("upload-provision-key") {
    expected.which = verb::upload_provision_key;
    expected.oem_id = "0a1b2c3d";
    expected.file = "keys/oem.pub.pem";
    CHECK(command_of({"upload-provision-key", "0a1b2c3d", "keys/oem.pub.pem"}) == expected);
  }
  SECTION("create-devices") {
    expected.which = verb::create_devices;
    expected.oem_id = "0a1b2c3d";
    expected.model = "ledevb";
    expected.count = 3;
    CHECK(command_of({"create-devices", "0a1b2c3d", "ledevb", "3"}) == expected);
  }
  SECTION("device, properties") {
    expected.dsn = "AC000W000000001";
    expected.which = verb::device;
    CHECK(command_of({"device", "AC000W000000001"}) == expected);
    expected.which = verb::properties;
    CHECK(command_of({"properties", "AC000W000000001"}) == expected);
  }
  SECTION("get-property, datapoints") {
    expected.dsn = "AC000W000000001";
    expected.property = "Blue_LED";
    expected.which = verb::get_property;
    CHECK(command_of({"get-property", "AC000W000000001", "Blue_LED"}) == expected);
    expected.which = verb::datapoints;
    CHECK(command_of({"datapoints", "AC000W000000001", "Blue_LED"}) == expected);
  }
  SECTION("set-property converts VALUE to the JSON type of TYPE, given as the AT letter or the full name") {
    struct example {
      std::string_view type, value, base_type;
      json converted;
    };
    for (const auto& e : std::vector<example>{{"b", "1", "boolean", 1},
                                              {"boolean", "false", "boolean", 0},
                                              {"b", "true", "boolean", 1},
                                              {"i", "-42", "integer", -42},
                                              {"integer", "9223372036854775807", "integer", INT64_MAX},
                                              {"d", "2.5", "decimal", 2.5},
                                              {"decimal", "-1e3", "decimal", -1000.0},
                                              {"s", "hello world", "string", "hello world"},
                                              {"string", "", "string", ""},
                                              {"s", "-5", "string", "-5"}}) {
      INFO(e.type << " " << e.value);
      const auto c = command_of({"set-property", "AC000W000000001", "Blue_LED", e.type, e.value});
      CHECK(c.which == verb::set_property);
      CHECK(c.dsn == "AC000W000000001");
      CHECK(c.property == "Blue_LED");
      CHECK(c.base_type == e.base_type);
      CHECK(c.value == e.converted);
      CHECK(c.value.type() == e.converted.type());
    }
  }
  SECTION("a string VALUE starting with -- comes after --") {
    const auto c = command_of({"set-property", "--", "AC000W000000001", "cmd", "s", "--reboot"});
    CHECK(c.value == "--reboot");
  }
  SECTION("upload-image") {
    expected.which = verb::upload_image;
    expected.image_type = "module";
    expected.model = "SIMCOM_SIM7600E-L1C";
    expected.version = "LE20B04SIM7600M22 V2";
    expected.file = "fw.bin";
    CHECK(command_of({"upload-image", "module", "SIMCOM_SIM7600E-L1C", "LE20B04SIM7600M22 V2", "fw.bin"}) ==
          expected);
    expected.image_type = "host";
    CHECK(command_of({"upload-image", "host", "SIMCOM_SIM7600E-L1C", "LE20B04SIM7600M22 V2", "fw.bin"}) == expected);
  }
  SECTION("create-job for a model or for DSNs") {
    expected.which = verb::create_job;
    expected.image_id = 3;
    expected.model = "ledevb";
    CHECK(command_of({"create-job", "3", "--model", "ledevb"}) == expected);
    expected.model.clear();
    expected.dsns = {"AC000W000000001", "AC000W000000002"};
    CHECK(command_of({"create-job", "--dsn", "AC000W000000001", "3", "--dsn=AC000W000000002"}) == expected);
  }
  SECTION("start-job, job, wait-job") {
    expected.job_id = 7;
    expected.which = verb::start_job;
    CHECK(command_of({"start-job", "7"}) == expected);
    expected.which = verb::job;
    CHECK(command_of({"job", "7"}) == expected);
    expected.which = verb::wait_job;
    CHECK(command_of({"wait-job", "7"}) == expected);
    CHECK(command_of({"wait-job", "7"}).timeout == ads_admin::default_wait_timeout);
    expected.timeout = std::chrono::seconds(0);
    CHECK(command_of({"wait-job", "7", "--timeout", "0"}) == expected);
    expected.timeout = std::chrono::seconds(90);
    CHECK(command_of({"wait-job", "--timeout=90", "7"}) == expected);
  }
  SECTION("create-app, create-user, register-device") {
    expected.which = verb::create_app;
    expected.oem_id = "0a1b2c3d";
    expected.name = "Acme Home";
    CHECK(command_of({"create-app", "0a1b2c3d", "Acme Home"}) == expected);
    CHECK(ads_admin::plan_request(expected).path == "/oems/0a1b2c3d/applications");
    expected = {};
    expected.which = verb::create_user;
    expected.email = "ann@example.com";
    expected.password = "s3cret-pass";
    expected.app_id = "app-0a1b2c3d4e5f";
    CHECK(command_of({"create-user", "ann@example.com", "s3cret-pass", "--app", "app-0a1b2c3d4e5f"}) == expected);
    CHECK(command_of({"create-user", "--app=app-0a1b2c3d4e5f", "ann@example.com", "s3cret-pass"}) == expected);
    CHECK(ads_admin::plan_request(expected).body ==
          json{{"email", "ann@example.com"}, {"password", "s3cret-pass"}, {"app_id", "app-0a1b2c3d4e5f"}});
    expected = {};
    expected.which = verb::register_device;
    expected.dsn = "AC000W000000001";
    expected.email = "ann@example.com";
    CHECK(command_of({"register-device", "AC000W000000001", "ann@example.com"}) == expected);
    const auto planned = ads_admin::plan_request(expected);
    CHECK(planned.method == "PUT");
    CHECK(planned.path == "/devices/AC000W000000001/owner");
    expected = {};
    expected.which = verb::idp_token;
    expected.email = "ann@example.com";
    expected.app_id = "app-0a1b2c3d4e5f";
    CHECK(command_of({"idp-token", "ann@example.com", "--app", "app-0a1b2c3d4e5f"}) == expected);
    const auto minted = ads_admin::plan_request(expected);
    CHECK(minted.method == "POST");
    CHECK(minted.path == "/identity_tokens");
    CHECK(minted.body == json{{"email", "ann@example.com"}, {"app_id", "app-0a1b2c3d4e5f"}});
    expected = {};
    expected.which = verb::registration_token;
    expected.dsn = "AC000W000000001";
    CHECK(command_of({"registration-token", "AC000W000000001"}) == expected);
    const auto token = ads_admin::plan_request(expected);
    CHECK(token.method == "GET");
    CHECK(token.path == "/devices/AC000W000000001/registration_token");
    CHECK_FALSE(token.body);
  }
}

TEST_CASE("a verb with missing or extra operands is refused with its synopsis", "[ads_admin][command_line]") {
  CHECK(error_of({"create-oem", "Acme"}) == "create-oem wants NAME EMAIL [--id ID]");
  CHECK(error_of({"create-user", "ann@example.com", "s3cret-pass"}) == "create-user wants --app APP_ID");
  CHECK(error_of({"register-device", "AC000W000000001"}) == "register-device wants DSN EMAIL");
  CHECK(error_of({"idp-token", "ann@example.com"}) == "idp-token wants --app APP_ID");
  CHECK(error_of({"idp-token", "--app", "app-1"}) == "idp-token wants EMAIL --app APP_ID");
  CHECK(error_of({"registration-token"}) == "registration-token wants DSN");
  CHECK(error_of({"upload-provision-key", "0a1b2c3d"}) == "upload-provision-key wants OEM_ID PEM_FILE");
  CHECK(error_of({"create-devices", "0a1b2c3d", "ledevb"}) == "create-devices wants OEM_ID MODEL COUNT");
  CHECK(error_of({"device"}) == "device wants DSN");
  CHECK(error_of({"properties"}) == "properties wants DSN");
  CHECK(error_of({"get-property", "AC000W000000001"}) == "get-property wants DSN NAME");
  CHECK(error_of({"set-property", "AC000W000000001", "Blue_LED", "b"}) == "set-property wants DSN NAME TYPE VALUE");
  CHECK(error_of({"datapoints", "AC000W000000001"}) == "datapoints wants DSN NAME");
  CHECK(error_of({"upload-image", "module", "M", "1.0"}) == "upload-image wants module|host MODEL VERSION FILE");
  CHECK(error_of({"create-job", "--model", "ledevb"}) ==
        "create-job wants IMAGE_ID (--model OEM_MODEL | --dsn DSN [--dsn DSN...])");
  CHECK(error_of({"start-job"}) == "start-job wants JOB_ID");
  CHECK(error_of({"job"}) == "job wants JOB_ID");
  CHECK(error_of({"wait-job"}) == "wait-job wants JOB_ID [--timeout SECS]");
  CHECK(error_of({"oems", "extra"}) == "oems takes no operands");
  CHECK(error_of({"devices", "AC000W000000001"}) == "devices takes no operands");
  CHECK(error_of({"device", "AC000W000000001", "AC000W000000002"}) == "device wants DSN");
  CHECK(error_of({}) == "no verb given (see --help)");
  CHECK(error_of({"--url", "https://127.0.0.1:8443"}) == "no verb given (see --help)");
}

TEST_CASE("bad numbers and bad typed values are refused", "[ads_admin][command_line]") {
  for (const std::string_view count : {"0", "-1", "x", "3x", "", " 3", "1.5", "99999999999999999999"}) {
    INFO(count);
    CHECK(error_of({"create-devices", "0a1b2c3d", "ledevb", count}) ==
          "COUNT must be a positive integer, got '" + std::string(count) + "'");
  }
  CHECK(error_of({"create-job", "abc", "--model", "m"}) == "IMAGE_ID must be a positive integer, got 'abc'");
  CHECK(error_of({"start-job", "0"}) == "JOB_ID must be a positive integer, got '0'");
  CHECK(error_of({"job", "7a"}) == "JOB_ID must be a positive integer, got '7a'");
  CHECK(error_of({"wait-job", "-7"}) == "JOB_ID must be a positive integer, got '-7'");
  CHECK(error_of({"wait-job", "7", "--timeout", "soon"}) == "--timeout wants seconds (0..86400), got 'soon'");
  CHECK(error_of({"wait-job", "7", "--timeout", "-1"}) == "--timeout wants seconds (0..86400), got '-1'");
  CHECK(error_of({"wait-job", "7", "--timeout", "86401"}) == "--timeout wants seconds (0..86400), got '86401'");
  CHECK(error_of({"wait-job", "7", "--timeout", "1", "--timeout", "2"}) == "--timeout given twice");

  CHECK(error_of({"set-property", "D", "P", "x", "1"}) ==
        "TYPE must be b, i, d, s, boolean, integer, decimal or string, got 'x'");
  CHECK(error_of({"set-property", "D", "P", "b", "2"}) == "VALUE '2' is not a valid boolean");
  CHECK(error_of({"set-property", "D", "P", "b", "yes"}) == "VALUE 'yes' is not a valid boolean");
  CHECK(error_of({"set-property", "D", "P", "i", "1.5"}) == "VALUE '1.5' is not a valid integer");
  CHECK(error_of({"set-property", "D", "P", "i", "9223372036854775808"}) ==
        "VALUE '9223372036854775808' is not a valid integer");
  CHECK(error_of({"set-property", "D", "P", "integer", ""}) == "VALUE '' is not a valid integer");
  CHECK(error_of({"set-property", "D", "P", "d", "abc"}) == "VALUE 'abc' is not a valid decimal");
  CHECK(error_of({"set-property", "D", "P", "d", "inf"}) == "VALUE 'inf' is not a valid decimal");
  CHECK(error_of({"set-property", "D", "P", "d", "nan"}) == "VALUE 'nan' is not a valid decimal");
  CHECK(error_of({"set-property", "D", "P", "d", "1.5x"}) == "VALUE '1.5x' is not a valid decimal");

  CHECK(error_of({"upload-image", "firmware", "M", "1.0", "f"}) == "the image type must be module or host, got 'firmware'");
  CHECK(error_of({"create-job", "3"}) == "create-job wants either --model or --dsn");
  CHECK(error_of({"create-job", "3", "--model", "m", "--dsn", "AC000W000000001"}) ==
        "create-job wants either --model or --dsn");
  CHECK(error_of({"create-job", "3", "--model", "a", "--model", "b"}) == "--model given twice");
  CHECK(error_of({"create-oem", "n", "e", "--id", "a", "--id", "b"}) == "--id given twice");
}

TEST_CASE("unknown verbs and flags, and flags without values, are refused", "[ads_admin][command_line]") {
  CHECK(error_of({"reboot"}) == "unknown verb 'reboot' (see --help)");
  CHECK(error_of({"devices", "--verbose"}) == "unknown flag '--verbose' for devices (see --help)");
  CHECK(error_of({"--verbose", "devices"}) == "unknown flag '--verbose' (see --help)");
  // A verb's flag belongs to that verb only.
  CHECK(error_of({"job", "7", "--timeout", "5"}) == "unknown flag '--timeout' for job (see --help)");
  CHECK(error_of({"--timeout", "5", "wait-job", "7"}) == "unknown flag '--timeout' (see --help)");
  CHECK(error_of({"wait-job", "7", "--timeout"}) == "--timeout wants a value");
  CHECK(error_of({"devices", "--url"}) == "--url wants a value");
  CHECK(error_of({"devices", "--service-dir", "a", "--service-dir", "b"}) == "--service-dir given twice");
  CHECK(error_of({"devices", "--token="}) == "--token must not be empty");
}

TEST_CASE("the help flags win wherever they are", "[ads_admin][command_line]") {
  for (const auto& args : std::vector<std::vector<std::string_view>>{
           {"--help"}, {"-h"}, {"devices", "--help"}, {"set-property", "D", "-h"}, {"reboot", "--help"},
           {"--url", "nonsense", "--help"}}) {
    const auto parsed = parse(args);
    REQUIRE(parsed.ok());
    CHECK(parsed->what == cli::request::help);
  }
  // After "--" they are operands: a string value may be "-h".
  const auto c = command_of({"set-property", "--", "AC000W000000001", "note", "s", "-h"});
  CHECK(c.value == "-h");
}

TEST_CASE("the version, and every flag's value after '='", "[ads_admin][command_line]") {
  CHECK(parse({"--version"})->what == cli::request::version);
  CHECK(parse({"devices", "--version"})->what == cli::request::version);
  CHECK(parse({"--url=https://127.0.0.1:8443", "--ca=ca.pem", "--token-file=tok", "devices"})->args.service ==
        ads_admin::service_source(ads_admin::explicit_service{{"127.0.0.1", "8443"}, "ca.pem", std::nullopt, "tok"}));
  CHECK(command_of({"wait-job", "7", "--timeout=5"}).timeout == std::chrono::seconds(5));
  CHECK(error_of({"create-job", "3", "--model="}) == "create-job wants either --model or --dsn");
}

TEST_CASE("the help lists every verb and every flag", "[ads_admin][command_line]") {
  const std::string usage = ads_admin::usage_text();
  CHECK(usage.starts_with("usage: ads-admin [connection] VERB [OPERANDS...] [FLAGS]\n"));
  for (const std::string_view word :
       {"oems", "create-oem NAME EMAIL [--id ID]", "upload-provision-key OEM_ID PEM_FILE",
        "create-devices OEM_ID MODEL COUNT", "devices", "device DSN", "properties DSN", "get-property DSN NAME",
        "set-property DSN NAME TYPE VALUE", "datapoints DSN NAME", "upload-image module|host MODEL VERSION FILE",
        "images", "create-job IMAGE_ID (--model OEM_MODEL | --dsn DSN [--dsn DSN...])", "start-job JOB_ID",
        "job JOB_ID", "jobs", "wait-job JOB_ID [--timeout SECS]", "--url https://HOST:PORT", "--ca FILE",
        "--token TOKEN", "--token-file FILE", "--service-dir DIR", "--state-dir DIR", "-h,--help", "--version"}) {
    INFO(word);
    CHECK(usage.find(word) != std::string::npos);
  }
}

TEST_CASE("the connection comes from flags, a service dir, a state dir or the emulator's default",
          "[ads_admin][command_line]") {
  using ads_admin::explicit_service;
  using ads_admin::service_directory;
  SECTION("default: the emulator's state dir under XDG_STATE_HOME, else HOME") {
    CHECK(parse({"devices"})->args.service == ads_admin::service_source(service_directory{"/xdg/sim7600-emu/ads-sim"}));
    CHECK(parse({"devices"}, nullptr, "/home/u")->args.service ==
          ads_admin::service_source(service_directory{"/home/u/.local/state/sim7600-emu/ads-sim"}));
    CHECK(parse({"devices"}, "", "/home/u")->args.service ==
          ads_admin::service_source(service_directory{"/home/u/.local/state/sim7600-emu/ads-sim"}));
    CHECK(parse({"devices"}, nullptr, nullptr).error().reason ==
          "no connection flag given and neither XDG_STATE_HOME nor HOME is set");
  }
  SECTION("--service-dir and --state-dir") {
    CHECK(parse({"--service-dir", "/srv/ads", "devices"})->args.service ==
          ads_admin::service_source(service_directory{"/srv/ads"}));
    CHECK(parse({"devices", "--state-dir=/var/emu"})->args.service ==
          ads_admin::service_source(service_directory{"/var/emu/ads-sim"}));
    CHECK(parse({"devices", "--state-dir", "/a", "--service-dir", "/b"}).error().reason ==
          "give one of --url (with --ca and --token/--token-file), --service-dir or --state-dir");
    CHECK(parse({"devices", "--state-dir", "/a", "--token", "t"}).error().reason ==
          "give one of --url (with --ca and --token/--token-file), --service-dir or --state-dir");
  }
  SECTION("--url with --ca and a token or a token file") {
    CHECK(parse({"--url", "https://127.0.0.1:8443", "--ca", "ca.pem", "--token", "secret", "devices"})->args.service ==
          ads_admin::service_source(explicit_service{{"127.0.0.1", "8443"}, "ca.pem", "secret", std::nullopt}));
    CHECK(parse({"devices", "--url", "https://[::1]:9/", "--ca", "ca.pem", "--token-file", "tok"})->args.service ==
          ads_admin::service_source(explicit_service{{"::1", "9"}, "ca.pem", std::nullopt, "tok"}));
    CHECK(parse({"devices", "--url", "https://h:1", "--ca", "c"}).error().reason ==
          "--url needs --ca and one of --token or --token-file");
    CHECK(parse({"devices", "--url", "https://h:1", "--token", "t"}).error().reason ==
          "--url needs --ca and one of --token or --token-file");
    CHECK(parse({"devices", "--ca", "c", "--token", "t"}).error().reason ==
          "--url needs --ca and one of --token or --token-file");
    CHECK(parse({"devices", "--url", "https://h:1", "--ca", "c", "--token", "t", "--token-file", "f"}).error().reason ==
          "--token and --token-file exclude each other");
    CHECK(parse({"devices", "--url", "http://h:1", "--ca", "c", "--token", "t"}).error().reason ==
          "--url wants https://HOST:PORT, got 'http://h:1'");
  }
}

TEST_CASE("https URLs are split into host and port", "[ads_admin][command_line]") {
  using ads_admin::https_url;
  using ads_admin::parse_https_url;
  CHECK(parse_https_url("https://127.0.0.1:8443") == https_url{"127.0.0.1", "8443"});
  CHECK(parse_https_url("https://localhost:1/") == https_url{"localhost", "1"});
  CHECK(parse_https_url("https://[::1]:65535") == https_url{"::1", "65535"});
  for (const std::string_view bad : {"", "https://", "http://127.0.0.1:8443", "https://127.0.0.1",
                                     "https://127.0.0.1:", "https://:8443", "https://h:0", "https://h:65536",
                                     "https://h:80x", "https://::1:80", "https://[]:80", "https://h/x:80",
                                     "https://[::1:80"}) {
    INFO(bad);
    CHECK_FALSE(parse_https_url(bad));
  }
}

TEST_CASE("each command becomes its admin-API request", "[ads_admin][verbs]") {
  using ads_admin::plan_request;
  auto plan = [](std::vector<std::string_view> args, std::string_view file = {}) {
    return plan_request(command_of(args), file);
  };
  auto check = [](const ads_admin::admin_request& r, std::string_view method, std::string_view path,
                  std::optional<json> body) {
    CHECK(r.method == method);
    CHECK(r.path == path);
    CHECK(r.body == body);
  };
  check(plan({"oems"}), "GET", "/oems", std::nullopt);
  check(plan({"create-oem", "Acme", "a@b.c"}), "POST", "/oems", json{{"name", "Acme"}, {"email", "a@b.c"}});
  check(plan({"create-oem", "Acme", "a@b.c", "--id", "0a1b2c3d"}), "POST", "/oems",
        json{{"name", "Acme"}, {"email", "a@b.c"}, {"oem_id", "0a1b2c3d"}});
  check(plan({"upload-provision-key", "0a1b2c3d", "k.pem"}, "-----BEGIN PUBLIC KEY-----\n"), "POST",
        "/oems/0a1b2c3d/provision_keys", json{{"public_key", "-----BEGIN PUBLIC KEY-----\n"}});
  check(plan({"create-devices", "0a1b2c3d", "ledevb", "2"}), "POST", "/oems/0a1b2c3d/devices",
        json{{"model", "ledevb"}, {"count", 2}});
  check(plan({"devices"}), "GET", "/devices", std::nullopt);
  check(plan({"device", "AC000W000000001"}), "GET", "/devices/AC000W000000001", std::nullopt);
  check(plan({"properties", "AC000W000000001"}), "GET", "/devices/AC000W000000001/properties", std::nullopt);
  check(plan({"get-property", "AC000W000000001", "Blue_LED"}), "GET", "/devices/AC000W000000001/properties/Blue_LED",
        std::nullopt);
  check(plan({"set-property", "AC000W000000001", "Blue_LED", "b", "1"}), "PUT",
        "/devices/AC000W000000001/properties/Blue_LED", json{{"value", 1}, {"base_type", "boolean"}});
  check(plan({"set-property", "AC000W000000001", "temp", "d", "21.5"}), "PUT",
        "/devices/AC000W000000001/properties/temp", json{{"value", 21.5}, {"base_type", "decimal"}});
  check(plan({"datapoints", "AC000W000000001", "Blue_LED"}), "GET",
        "/devices/AC000W000000001/properties/Blue_LED/datapoints", std::nullopt);
  check(plan({"upload-image", "host", "mcu-1", "1.2 beta", "f"}, std::string("\x00\x01\xff", 3)), "POST", "/images",
        json{{"type", "host"}, {"model", "mcu-1"}, {"version", "1.2 beta"}, {"data_base64", "AAH/"}});
  check(plan({"images"}), "GET", "/images", std::nullopt);
  check(plan({"create-job", "3", "--model", "ledevb"}), "POST", "/ota_jobs",
        json{{"image_id", 3}, {"oem_model", "ledevb"}});
  check(plan({"create-job", "3", "--dsn", "AC000W000000001", "--dsn", "AC000W000000002"}), "POST", "/ota_jobs",
        json{{"image_id", 3}, {"dsns", {"AC000W000000001", "AC000W000000002"}}});
  check(plan({"start-job", "7"}), "POST", "/ota_jobs/7/start", std::nullopt);
  check(plan({"job", "7"}), "GET", "/ota_jobs/7", std::nullopt);
  check(plan({"jobs"}), "GET", "/ota_jobs", std::nullopt);
  check(plan({"wait-job", "7"}), "GET", "/ota_jobs/7", std::nullopt);
}

TEST_CASE("names are percent-encoded so they cannot leave their path segment", "[ads_admin][verbs]") {
  CHECK(ads_admin::path_segment("AC000W000000001") == "AC000W000000001");
  CHECK(ads_admin::path_segment("a-b_c.d~e") == "a-b_c.d~e");
  CHECK(ads_admin::path_segment("../x y/z?q#f%") == "..%2Fx%20y%2Fz%3Fq%23f%25");
  CHECK(ads_admin::plan_request(command_of({"get-property", "AC000W000000001", "a/b"})).path ==
        "/devices/AC000W000000001/properties/a%2Fb");
}
