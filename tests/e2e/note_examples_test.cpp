// What the application note's examples show that a transcript cannot: the boot URCs byte for byte as the daemon
// starts, and 3.7's key kept out of the NV files. The note's transcripts themselves (3.1-3.14, samples 4.1-4.3,
// the reboot of AT+CFUN=1,1) are scenarios/*.yaml, run by sim7600-scenario (ctest "scenarios: the library").
#include <catch2/catch.hpp>

#include <filesystem>
#include <iterator>

#include "e2e_helpers.hpp"
#include "harness/harness.hpp"

using namespace e2e;

namespace {
// `line` echoed with its CR, then the answer.
}  // namespace

TEST_CASE("boot URCs as the daemon starts, byte for byte", "[e2e][note]") {
  booted_module m;
  CHECK(m.boot_output == boot_urcs);
}

TEST_CASE("3.7 sign: no piece of an OEM private key sent in parts is in NV (note 5.1.5)", "[e2e][note]") {
  booted_module m;
  start_service(m.port);
  temp_dir dir;
  const auto rsa_file = (dir.path() / "rsa_private_key_2048.pem").string();
  const auto pkcs8_file = (dir.path() / "rsa_private_key_2048_pkcs8.pem").string();
  REQUIRE(run_to_exit("/usr/bin/openssl", {"genrsa", "-out", rsa_file, "2048"}).exit_code == 0);
  REQUIRE(run_to_exit("/usr/bin/openssl",
                      {"pkcs8", "-in", rsa_file, "-out", pkcs8_file, "-nocrypt", "-topk8"})
              .exit_code == 0);
  const std::string body = pem_body(file_contents(pkcs8_file));
  REQUIRE(body.size() > 1000);
  std::vector<std::string> parts;
  for (std::size_t at = 0; at < body.size(); at += 64) parts.push_back(body.substr(at, 64));
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const char* kind = i == 0 ? "st" : i + 1 == parts.size() ? "sn" : "ss";
    const std::string line = std::string("AT+ADA=\"sign\",\"") + kind + "\",\"" + parts[i] + "\"";
    CHECK(m.port.command(line) == echoed(line, "\r\nOK\r\n"));
  }
  // The key is never stored: no piece of it is in the module's NV memory.
  m.module.terminate();
  for (const auto& file : std::filesystem::recursive_directory_iterator(m.module.state_dir())) {
    if (file.is_regular_file()) CHECK(file_contents(file.path()).find(parts[1]) == std::string::npos);
  }
}
