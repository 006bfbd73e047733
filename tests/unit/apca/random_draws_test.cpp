// Every secret APCA mints (the passphrase's salt, the provisioning nonce, backoff jitter) is drawn through
// common::random_bytes, which aborts when the generator fails instead of handing out predictable bytes.
#include <catch2/catch.hpp>

#include "apca/passphrase.hpp"
#include "apca/random_text.hpp"
#include "apca/service.hpp"
#include "common/random_bytes.hpp"
#include "service_rig.hpp"
#include "test_keys.hpp"

TEST_CASE("random draws: the passphrase's salt comes from common::random_bytes") {
  const auto before = common::random_bytes_calls();
  const auto stored = apca::hash_passphrase("secretkey");
  CHECK(common::random_bytes_calls() > before);
  CHECK(apca::passphrase_matches(stored, "secretkey"));
}

TEST_CASE("random draws: backoff jitter comes from common::random_bytes") {
  const auto before = common::random_bytes_calls();
  const double unit = apca::random_unit();
  CHECK(common::random_bytes_calls() > before);
  CHECK(unit >= 0.0);
  CHECK(unit < 1.0);
}

TEST_CASE("random draws: the in-field provisioning nonce comes from common::random_bytes") {
  apca_test::service_rig rig;
  REQUIRE(rig.service.sign_part(apca::chunk_kind::first, apca_test::keys().oem_private_pkcs8_body()).ok());
  const auto before = common::random_bytes_calls();
  REQUIRE(rig.service.sign_part(apca::chunk_kind::last, "").ok());
  CHECK(common::random_bytes_calls() > before);
  auto signed_data = rig.service.provisioning();
  REQUIRE(signed_data);
  CHECK(signed_data->rand.size() == 32);  // 16 bytes as hex
}
