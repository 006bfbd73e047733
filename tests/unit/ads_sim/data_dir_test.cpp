// The data dir holds only what the flags leave to it, and a read-only one serves as it is: nothing created,
// replaced or chmod'ed, or one line naming the file and the fix. Tests run as root in CI, where modes do not stop
// writes: "nothing changed" is checked on the files' names, sizes, times and modes, not by a write failing.
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <thread>
#include <tuple>

#include "ads_client/rsa_key.hpp"
#include "ads_sim/data_dir.hpp"
#include "common/read_file.hpp"
#include "support.hpp"

using ads_sim::data_dir_needs;
using ads_sim::open_data_dir;
using ads_sim_test::temp_dir;
namespace fs = std::filesystem;

namespace {

using file_state = std::tuple<std::uintmax_t, std::int64_t, unsigned>;  // size, mtime (ns), mode

// Every entry of `dir` (and the folder itself, as "."): what a write, a create or a chmod would change.
std::map<std::string, file_state> snapshot(const fs::path& dir) {
  std::map<std::string, file_state> all;
  const auto state_of = [](const fs::path& path) {
    struct stat info {};
    REQUIRE(::stat(path.c_str(), &info) == 0);
    return file_state{static_cast<std::uintmax_t>(info.st_size),
                      info.st_mtim.tv_sec * 1'000'000'000LL + info.st_mtim.tv_nsec, info.st_mode & 07777};
  };
  all["."] = state_of(dir);
  for (const auto& entry : fs::directory_iterator(dir)) all[entry.path().filename()] = state_of(entry.path());
  return all;
}

// A data dir as a first start makes it (TLS material and admin token, no database file), then made read-only
// (0500, files 0400) until the object goes.
class read_only_dir {
 public:
  read_only_dir() {
    REQUIRE(open_data_dir(path(), {true, true, false}, std::nullopt));
    for (const auto& entry : fs::directory_iterator(path())) ::chmod(entry.path().c_str(), 0400);
    ::chmod(path().c_str(), 0500);
  }
  ~read_only_dir() { ::chmod(path().c_str(), 0700); }  // so temp_dir can remove it as any user
  fs::path path() const { return dir_.path() / "data"; }
  void remove(const char* name) {
    ::chmod(path().c_str(), 0700);
    fs::remove(path() / name);
    ::chmod(path().c_str(), 0500);
  }

 private:
  temp_dir dir_;
};

// A certificate for the key in `key_file`, signed by the CA in `dir`, naming no host: what an ads-sim older than
// the app host names made.
std::string nameless_certificate(const fs::path& dir, const fs::path& key_file) {
  const auto key = ads_client::rsa_key::from_pem(*common::read_file(key_file));
  const auto ca_key = ads_client::rsa_key::from_pem(*common::read_file(dir / "ca-key.pem"));
  REQUIRE(key);
  REQUIRE(ca_key);
  const std::string ca_pem = *common::read_file(dir / "ca.pem");
  BIO* in = BIO_new_mem_buf(ca_pem.data(), static_cast<int>(ca_pem.size()));
  X509* ca = PEM_read_bio_X509(in, nullptr, nullptr, nullptr);
  BIO_free(in);
  REQUIRE(ca);
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 7);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key->native());
  X509_set_issuer_name(cert, X509_get_subject_name(ca));
  REQUIRE(X509_sign(cert, ca_key->native(), EVP_sha256()) > 0);
  BIO* out = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(out, cert);
  char* data = nullptr;
  const long length = BIO_get_mem_data(out, &data);
  std::string pem(data, static_cast<std::size_t>(length));
  BIO_free(out);
  X509_free(cert);
  X509_free(ca);
  return pem;
}

const data_dir_needs everything{true, true, true};
const data_dir_needs on_postgresql{true, true, false};

}  // namespace

TEST_CASE("a writable first start makes the folder 0700 and its files 0600, with --db no database file",
          "[ads_sim][data_dir]") {
  temp_dir dir;
  const fs::path data = dir.path() / "data";
  const auto files = open_data_dir(data, on_postgresql, std::nullopt);
  REQUIRE(files);
  CHECK(files->database.empty());
  CHECK_FALSE(fs::exists(data / "ads.db"));
  CHECK((fs::status(data).permissions() & fs::perms::mask) == fs::perms::owner_all);
  for (const char* secret : {"admin-token", "ca-key.pem", "server-key.pem"})
    CHECK((fs::status(data / secret).permissions() & fs::perms::mask) ==
          (fs::perms::owner_read | fs::perms::owner_write));
  CHECK(common::read_file(data / "admin-token") == files->admin_token + "\n");

  const auto sqlite = open_data_dir(dir.path() / "default", everything, std::string("t"));
  REQUIRE(sqlite);
  CHECK(sqlite->database == dir.path() / "default" / "ads.db");
  CHECK(fs::exists(sqlite->database));
  CHECK_FALSE(fs::exists(dir.path() / "default" / "admin-token"));  // --admin-token given: no file
}

TEST_CASE("with the TLS files, the database and the admin token all named by flags the folder is not touched",
          "[ads_sim][data_dir]") {
  temp_dir dir;
  const auto files = open_data_dir(dir.path() / "never", {true, false, false}, std::string("token"));
  REQUIRE(files);
  CHECK(files->admin_token == "token");
  CHECK_FALSE(fs::exists(dir.path() / "never"));
}

TEST_CASE("a read-only data dir serves its files as they are and nothing in it changes", "[ads_sim][data_dir]") {
  read_only_dir data;
  const auto token = common::read_file(data.path() / "admin-token");
  REQUIRE(token);
  CHECK(ads_sim::read_only_reason(data.path()) == std::string("mode 0500"));
  const auto before = snapshot(data.path());
  const auto files = open_data_dir(data.path(), on_postgresql, std::nullopt);
  INFO((files ? std::string() : files.error().reason));
  REQUIRE(files);
  CHECK(files->admin_token + "\n" == *token);
  CHECK(files->tls.server_cert == data.path() / "server.pem");
  CHECK(snapshot(data.path()) == before);

  // The CA key only signs: a read-only data dir may leave it out (a Secret holding what serving needs), or hold one
  // ads-sim cannot read (a folder here, since root reads any file).
  data.remove("ca-key.pem");
  const auto without_ca_key = snapshot(data.path());
  REQUIRE(open_data_dir(data.path(), on_postgresql, std::nullopt));
  CHECK(snapshot(data.path()) == without_ca_key);
  ::chmod(data.path().c_str(), 0700);
  fs::create_directory(data.path() / "ca-key.pem");
  ::chmod(data.path().c_str(), 0500);
  const auto unreadable_ca_key = snapshot(data.path());
  const auto served = open_data_dir(data.path(), on_postgresql, std::nullopt);
  INFO((served ? std::string() : served.error().reason));
  CHECK(served);
  CHECK(snapshot(data.path()) == unreadable_ca_key);
}

TEST_CASE("a read-only data dir missing what it must hold is one line naming the file and the fix",
          "[ads_sim][data_dir]") {
  read_only_dir data;
  const std::string dir = data.path().string();

  const auto sqlite = open_data_dir(data.path(), everything, std::nullopt);
  REQUIRE_FALSE(sqlite);
  CHECK(sqlite.error().reason == dir + " is read-only (mode 0500) and the default database " + dir +
                                     "/ads.db is written: give --db");
  CHECK_FALSE(fs::exists(data.path() / "ads.db"));

  data.remove("server-key.pem");
  const auto before = snapshot(data.path());
  const auto no_key = open_data_dir(data.path(), on_postgresql, std::nullopt);
  REQUIRE_FALSE(no_key);
  CHECK(no_key.error().reason == dir + "/server-key.pem is missing and " + dir +
                                     " is read-only (mode 0500): copy ca.pem, server.pem and server-key.pem there "
                                     "from a data dir ads-sim made (it makes them anew in a writable one), or give "
                                     "--tls-cert, --tls-key and --tls-ca");
  CHECK(no_key.error().reason.find('\n') == std::string::npos);
  // The TLS files named by flags: the data dir is asked for nothing it lacks.
  CHECK(open_data_dir(data.path(), {true, false, false}, std::nullopt));

  data.remove("admin-token");
  const auto no_token = open_data_dir(data.path(), {true, false, false}, std::nullopt);
  REQUIRE_FALSE(no_token);
  CHECK(no_token.error().reason == dir + "/admin-token is missing and " + dir +
                                       " is read-only (mode 0500): put the replicas' admin token there, or give "
                                       "--admin-token");
  CHECK(open_data_dir(data.path(), {true, false, false}, std::string("given")));
  CHECK(snapshot(data.path()).size() == before.size() - 1);  // only the removed token is gone: nothing made
}

TEST_CASE("a read-only data dir's certificate without Ayla's app hosts, or not its key's, is refused, not made "
          "again", "[ads_sim][data_dir]") {
  read_only_dir data;
  const std::string dir = data.path().string();
  const auto replace_server_cert = [&](const std::string& pem) {
    ::chmod(data.path().c_str(), 0700);
    ::chmod((data.path() / "server.pem").c_str(), 0600);
    std::ofstream(data.path() / "server.pem", std::ios::trunc) << pem;
    ::chmod((data.path() / "server.pem").c_str(), 0400);
    ::chmod(data.path().c_str(), 0500);
  };
  replace_server_cert(nameless_certificate(data.path(), data.path() / "server-key.pem"));
  const auto before = snapshot(data.path());
  const auto nameless = open_data_dir(data.path(), on_postgresql, std::nullopt);
  REQUIRE_FALSE(nameless);
  CHECK(nameless.error().reason.starts_with(dir + "/server.pem does not name each of Ayla's app hosts (an older "
                                            "ads-sim made it) and " + dir + " is read-only (mode 0500): copy"));
  CHECK(snapshot(data.path()) == before);

  replace_server_cert(*common::read_file(data.path() / "ca.pem"));  // parseable, but not the key's certificate
  const auto mismatched = snapshot(data.path());
  const auto refused = open_data_dir(data.path(), on_postgresql, std::nullopt);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().reason.starts_with(dir + "/server-key.pem is not the key of " + dir + "/server.pem and " +
                                           dir + " is read-only (mode 0500): copy"));
  CHECK(snapshot(data.path()) == mismatched);
}

TEST_CASE("in a writable data dir a certificate without the app hosts is made again by the same CA and key pair",
          "[ads_sim][data_dir]") {
  temp_dir dir;
  const fs::path data = dir.path() / "data";
  REQUIRE(open_data_dir(data, on_postgresql, std::nullopt));
  const auto ca = common::read_file(data / "ca.pem");
  const std::string nameless = nameless_certificate(data, data / "server-key.pem");
  std::ofstream(data / "server.pem", std::ios::trunc) << nameless;
  CHECK(ads_sim::read_only_reason(data) == std::nullopt);
  REQUIRE(open_data_dir(data, on_postgresql, std::nullopt));
  CHECK(common::read_file(data / "ca.pem") == ca);  // devices that trust the CA keep working
  CHECK(common::read_file(data / "server.pem") != nameless);
  // Read-only now, the new certificate passes every check a read-only start makes (names, key, CA).
  ::chmod(data.c_str(), 0500);
  const auto checked = open_data_dir(data, on_postgresql, std::nullopt);
  ::chmod(data.c_str(), 0700);
  INFO((checked ? std::string() : checked.error().reason));
  CHECK(checked);
}

TEST_CASE("replicas starting together on one empty writable data dir make one admin token and one CA, in turn",
          "[ads_sim][data_dir]") {
  temp_dir dir;
  const fs::path data = dir.path() / "data";
  common::outcome<ads_sim::data_dir_files> first = common::failure{"not run"};
  common::outcome<ads_sim::data_dir_files> second = common::failure{"not run"};
  std::thread a([&] { first = open_data_dir(data, on_postgresql, std::nullopt); });
  std::thread b([&] { second = open_data_dir(data, on_postgresql, std::nullopt); });
  a.join();
  b.join();
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->admin_token == second->admin_token);
  CHECK(common::read_file(data / "admin-token") == first->admin_token + "\n");
  // What is left is one consistent set: the certificate is its key's and signed by the CA beside it.
  ::chmod(data.c_str(), 0500);
  const auto checked = open_data_dir(data, on_postgresql, std::nullopt);
  ::chmod(data.c_str(), 0700);
  INFO((checked ? std::string() : checked.error().reason));
  CHECK(checked);
}
