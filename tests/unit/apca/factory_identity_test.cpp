#include <catch2/catch.hpp>

#include "apca/factory_identity.hpp"

namespace {
apca::factory_identity demo(const std::string& dsn) { return {"0dfc7900", "sim7600-demo", "s", "US", dsn, "KEY" + dsn}; }
}  // namespace

TEST_CASE("factory identity: a new module gets it as its factory image and its live config") {
  config_store::nv_image nv;
  CHECK(apca::install_factory_identity(nv, demo("AC000W000000001")));
  CHECK(nv.get("id/dev_id") == "AC000W000000001");
  CHECK(nv.get("factory/id/dev_id") == "AC000W000000001");
  CHECK(nv.get("factory/server/region") == "US");
  CHECK(nv.get("id/key") == "KEYAC000W000000001");
  CHECK_FALSE(apca::install_factory_identity(nv, demo("AC000W000000001")));  // the same again: no change
}

TEST_CASE("factory identity: values the host changed are kept, factory ones follow a new identity") {
  config_store::nv_image nv;
  apca::install_factory_identity(nv, demo("AC000W000000001"));
  nv.values["oem/model"] = "my-own-model";  // the host's cs
  CHECK(apca::install_factory_identity(nv, demo("AC000W000000002")));
  CHECK(nv.get("oem/model") == "my-own-model");
  CHECK(nv.get("factory/oem/model") == "sim7600-demo");
  CHECK(nv.get("id/dev_id") == "AC000W000000002");
  CHECK(nv.get("factory/id/dev_id") == "AC000W000000002");
}
