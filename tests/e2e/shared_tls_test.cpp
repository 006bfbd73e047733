// Replicas present one certificate (issue 15): ads-sim on a read-only copy of a data dir (with --db postgresql)
// serves its files as they are and writes nothing; ads-sim given --tls-cert, --tls-key and --tls-ca serves them and
// needs no data dir; a key that is not the certificate's is one line and exit 2. CI runs as root, where file modes
// stop no write: "nothing written" is checked on the folder's names, sizes, times and modes afterwards.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <map>
#include <tuple>

#include "ads_sim/tls_material.hpp"
#include "harness/cloud_fixtures.hpp"
#include "harness/postgres_database.hpp"

using namespace e2e;
namespace fs = std::filesystem;

namespace {

using entry_state = std::tuple<std::uintmax_t, std::int64_t, unsigned>;  // size, mtime (ns), mode

// The folder and every entry in it: what a write, a create, a rename or a chmod would change.
std::map<std::string, entry_state> folder_state(const fs::path& dir) {
  const auto state_of = [](const fs::path& path) {
    struct stat info {};
    REQUIRE(::stat(path.c_str(), &info) == 0);
    return entry_state{static_cast<std::uintmax_t>(info.st_size),
                       info.st_mtim.tv_sec * 1'000'000'000LL + info.st_mtim.tv_nsec, info.st_mode & 07777};
  };
  std::map<std::string, entry_state> all{{".", state_of(dir)}};
  for (const auto& entry : fs::directory_iterator(dir)) all[entry.path().filename()] = state_of(entry.path());
  return all;
}

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

// GET /healthz with curl verifying the server against `ca` (host name included): curl's exit code and body.
std::pair<int, std::string> healthz(const device_service& service, const fs::path& ca) {
  const auto run = run_to_exit("/usr/bin/curl", {"--silent", "--show-error", "--cacert", ca.string(),
                                                 service.url() + "/healthz"},
                               30s);
  return {run.exit_code, run.out};
}

// A CA, a server certificate it signs and its key, made by ads-sim's own code in a folder of their own.
struct made_material {
  temp_dir dir;
  ads_sim::tls_files files;
  made_material() { REQUIRE_FALSE(ads_sim::ensure_tls_material(dir.path(), files)); }
};

finished_run ads_sim_run(const std::vector<std::string>& flags) {
  temp_dir data;
  std::vector<std::string> args = {"--listen", "127.0.0.1:0", "--data-dir", (data.path() / "d").string(),
                                   "--admin-token", "t"};
  args.insert(args.end(), flags.begin(), flags.end());
  return run_to_exit(program_beside_me("ads-sim"), args, 30s);
}

}  // namespace

TEST_CASE("replicas: two ads-sim on one read-only data dir and PostgreSQL serve its certificate and write nothing "
          "there", "[e2e][cloud][postgres][replicas][tls]") {
  e2e::postgres_database database;
  temp_dir work;
  const fs::path prepared = work.path() / "prepared";
  { device_service first(data_folder{prepared}, {"--db", database.url()}); }  // a first start makes the material
  // With --db postgresql (and --admin-token) the data dir holds the TLS material alone: no ads.db.
  CHECK(names_in(prepared) == std::vector<std::string>{"ca-key.pem", "ca.pem", "server-key.pem", "server.pem"});

  // The replicas' copy, read-only as a shared mount would be: the folder 0500, its files 0400.
  const fs::path shared = work.path() / "shared";
  fs::copy(prepared, shared);
  for (const auto& entry : fs::directory_iterator(shared)) fs::permissions(entry.path(), fs::perms::owner_read);
  fs::permissions(shared, fs::perms::owner_read | fs::perms::owner_exec);
  const auto before = folder_state(shared);
  {
    device_service a(data_folder{shared}, {"--db", database.url()});
    device_service b(a, {"--db", database.url()});
    CHECK(a.ca_file() == shared / "ca.pem");
    for (const auto* replica : {&a, &b}) {
      const auto [exit_code, body] = healthz(*replica, shared / "ca.pem");
      CHECK(exit_code == 0);
      CHECK(body == R"({"status":"ok"})");
    }
    // Made through one replica, read through the other, each verified against the shared CA.
    const auto device = make_factory_devices(admin_of(a), "0e7700c5").front();
    const auto read = admin_of(b).get("/devices/" + device.dsn);
    CHECK(read.status == 200);
    CHECK(read.body.value("dsn", "") == device.dsn);
  }
  CHECK(folder_state(shared) == before);
  CHECK_FALSE(fs::exists(shared / "ads.db"));

  // Missing what serving needs, the read-only copy is one line naming the file and the fix, exit 1.
  fs::permissions(shared, fs::perms::owner_all);
  fs::remove(shared / "server-key.pem");
  fs::permissions(shared, fs::perms::owner_read | fs::perms::owner_exec);
  const auto refused = run_to_exit(program_beside_me("ads-sim"),
                                   {"--listen", "127.0.0.1:0", "--data-dir", shared.string(), "--db", database.url(),
                                    "--admin-token", "t"},
                                   30s);
  CHECK(refused.exit_code == 1);
  CHECK(refused.err == "ads-sim: " + (shared / "server-key.pem").string() + " is missing and " + shared.string() +
                           " is read-only (mode 0500): copy ca.pem, server.pem and server-key.pem there from a data "
                           "dir ads-sim made (it makes them anew in a writable one), or give --tls-cert, --tls-key "
                           "and --tls-ca\n");
  fs::permissions(shared, fs::perms::owner_all);  // so the temp folder can go, whoever runs the test
}

TEST_CASE("replicas: ads-sim given --tls-cert, --tls-key and --tls-ca serves that certificate and needs no data dir",
          "[e2e][cloud][postgres][replicas][tls]") {
  e2e::postgres_database database;
  const made_material material;
  const made_material stranger;  // another CA, that must not be trusted for it
  temp_dir work;
  const fs::path unused = work.path() / "data";
  const std::vector<std::string> flags = {"--db", database.url(), "--tls-cert", material.files.server_cert.string(),
                                          "--tls-key", material.files.server_key.string(), "--tls-ca",
                                          material.files.ca_cert.string()};
  device_service a(data_folder{unused}, flags);
  device_service b(a, flags);
  CHECK(a.ca_file() == material.files.ca_cert);  // the ready line names --tls-ca
  for (const auto* replica : {&a, &b}) {
    const auto [exit_code, body] = healthz(*replica, material.files.ca_cert);
    CHECK(exit_code == 0);
    CHECK(body == R"({"status":"ok"})");
    CHECK(healthz(*replica, stranger.files.ca_cert).first == 60);  // curl: the peer's certificate did not verify
  }
  const auto device = make_factory_devices(admin_of(a), "0e7700c6").front();
  CHECK(admin_of(b).get("/devices/" + device.dsn).status == 200);
  // Nothing was left to the data dir: it was not even made.
  CHECK_FALSE(fs::exists(unused));
}

TEST_CASE("ads-sim: a --tls-key that is not the certificate's, a CA that did not sign it, an unreadable file: one "
          "line, exit 2", "[e2e][bad][tls]") {
  const made_material one;
  const made_material other;
  const std::string cert = one.files.server_cert.string();
  const std::string key = other.files.server_key.string();

  const auto mismatched = ads_sim_run({"--tls-cert", cert, "--tls-key", key, "--tls-ca", one.files.ca_cert.string()});
  CHECK(mismatched.exit_code == 2);
  CHECK(mismatched.err == "ads-sim: --tls-key: " + key + " is not the key of the certificate in --tls-cert " + cert +
                              "\n");
  // The key's contents are never printed.
  const std::string key_pem = slurp(other.files.server_key);
  const std::string key_body = key_pem.substr(key_pem.find('\n') + 1, 40);
  CHECK(mismatched.err.find(key_body) == std::string::npos);
  CHECK(mismatched.out.find(key_body) == std::string::npos);

  const auto foreign_ca = ads_sim_run({"--tls-cert", cert, "--tls-key", one.files.server_key.string(), "--tls-ca",
                                       other.files.ca_cert.string()});
  CHECK(foreign_ca.exit_code == 2);
  CHECK(foreign_ca.err == "ads-sim: --tls-cert: " + cert + " does not verify against --tls-ca " +
                              other.files.ca_cert.string() + ": unable to get local issuer certificate\n");

  const std::string missing = (one.dir.path() / "none.pem").string();
  const auto unreadable = ads_sim_run({"--tls-cert", cert, "--tls-key", missing});
  CHECK(unreadable.exit_code == 2);
  CHECK(unreadable.err == "ads-sim: --tls-key: cannot read " + missing + ": No such file or directory\n");

  const auto half = ads_sim_run({"--tls-cert", cert});
  CHECK(half.exit_code == 2);
  CHECK(half.err == "ads-sim: --tls-cert needs --tls-key\n");
}
