// Bad flags and bad state files, for each daemon and tool, run as the real binaries (issue 8): every row exits
// 1 (a file or folder it cannot use) or 2 (a bad flag) with the reason on its first line of stderr — never an
// uncaught exception, never a silent start. As root the kernel ignores file modes, so an unreadable file is made
// here as a folder where a file is expected; the checks themselves use access(2), which holds for other users.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <functional>

#include "harness/harness.hpp"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
}

struct bad_case {
  const char* what;
  const char* program;  // under SIM7600_BIN_DIR
  std::vector<std::string> args;  // "{T}" stands for the row's own temp folder
  std::function<void(const fs::path&)> setup;
  int exit_code;
  const char* reason;  // what the first line of stderr must say
};

const auto nothing = [](const fs::path&) {};
// The emulator without its embedded service (no key generation): the rows that are about its own state.
const std::vector<std::string> outside = {"--ads-url", "https://127.0.0.1:1", "--pty-link", "{T}/link",
                                          "--boot-ms", "0"};

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

const bad_case cases[] = {
    // sim7600-emu: flags
    {"unknown flag", "sim7600-emu", {"--colour"}, nothing, 2, "unknown flag '--colour'"},
    {"--baud not a number", "sim7600-emu", {"--baud", "fast"}, nothing, 2, "--baud wants"},
    {"--tcp without a port", "sim7600-emu", {"--tcp", "localhost"}, nothing, 2, "--tcp wants HOST:PORT"},
    {"--ads-url not https", "sim7600-emu", {"--ads-url", "http://x"}, nothing, 2, "--ads-url wants"},
    {"--ads-ca missing", "sim7600-emu", with(outside, {"--state-dir", "{T}/s", "--ads-ca", "{T}/none.pem"}), nothing,
     2, "--ads-ca: cannot read {T}/none.pem"},
    {"--ads-ca not PEM", "sim7600-emu", with(outside, {"--state-dir", "{T}/s", "--ads-ca", "{T}/ca.pem"}),
     [](const fs::path& t) { write(t / "ca.pem", "not a certificate\n"); }, 2, "--ads-ca: "},
    {"--ads-ca a folder", "sim7600-emu", with(outside, {"--state-dir", "{T}/s", "--ads-ca", "{T}"}), nothing, 2,
     "is not a regular file"},
    // sim7600-emu: state dir and NV slots
    {"state dir under a regular file", "sim7600-emu", with(outside, {"--state-dir", "{T}/file/state"}),
     [](const fs::path& t) { write(t / "file", "x"); }, 1, "cannot use state dir {T}/file/state: cannot create"},
    {"state dir is a regular file", "sim7600-emu", with(outside, {"--state-dir", "{T}/file"}),
     [](const fs::path& t) { write(t / "file", "x"); }, 1, "is not a directory"},
    {"NV slot is a folder", "sim7600-emu", with(outside, {"--state-dir", "{T}/s"}),
     [](const fs::path& t) { fs::create_directories(t / "s" / "nv-a.bin"); }, 1, "nv-a.bin is not a regular file"},
    {"both NV slots corrupt", "sim7600-emu", with(outside, {"--state-dir", "{T}/s"}),
     [](const fs::path& t) {
       write(t / "s" / "nv-a.bin", "garbage");
       write(t / "s" / "nv-b.bin", std::string(4096, '\xff'));
     },
     1, "has no usable copy"},
    // sim7600-emu: ports and files its flags name
    {"--pty-link in a missing folder", "sim7600-emu",
     {"--ads-url", "https://127.0.0.1:1", "--state-dir", "{T}/s", "--pty-link", "{T}/missing/link"}, nothing, 1,
     "cannot create link {T}/missing/link"},
    {"--transcript under a regular file", "sim7600-emu", with(outside, {"--state-dir", "{T}/s", "--transcript",
                                                                        "{T}/file/t"}),
     [](const fs::path& t) { write(t / "file", "x"); }, 1, "cannot open transcript"},
    {"--serial missing device", "sim7600-emu",
     {"--ads-url", "https://127.0.0.1:1", "--state-dir", "{T}/s", "--serial", "{T}/ttyNONE"}, nothing, 1,
     "cannot open {T}/ttyNONE"},
    // sim7600-emu: the embedded service's files
    {"embedded data dir is a file", "sim7600-emu", {"--state-dir", "{T}/s", "--pty-link", "{T}/link"},
     [](const fs::path& t) { write(t / "s" / "ads-sim", "x"); }, 1, "embedded ads-sim: "},
    {"embedded CA not PEM", "sim7600-emu", {"--state-dir", "{T}/s", "--pty-link", "{T}/link"},
     [](const fs::path& t) { write(t / "s" / "ads-sim" / "ca.pem", "garbage"); }, 1, "ca.pem is not a usable PEM"},
    {"embedded url file is a folder", "sim7600-emu", {"--state-dir", "{T}/s", "--pty-link", "{T}/link"},
     [](const fs::path& t) { fs::create_directories(t / "s" / "ads-sim" / "url"); }, 1, "cannot write"},
    // ads-sim
    {"ads-sim bad --listen", "ads-sim", {"--listen", "127.0.0.1:99999", "--data-dir", "{T}/d"}, nothing, 2,
     "--listen wants HOST:PORT"},
    {"ads-sim --max-connections 0", "ads-sim", {"--max-connections", "0", "--data-dir", "{T}/d"}, nothing, 2,
     "--max-connections wants a number of connections, got 0"},
    {"ads-sim data dir under a file", "ads-sim", {"--listen", "127.0.0.1:0", "--data-dir", "{T}/file/d"},
     [](const fs::path& t) { write(t / "file", "x"); }, 1, "cannot create {T}/file/d"},
    {"ads-sim CA not PEM", "ads-sim", {"--listen", "127.0.0.1:0", "--data-dir", "{T}/d"},
     [](const fs::path& t) { write(t / "d" / "ca.pem", "garbage"); }, 1, "ca.pem is not a usable PEM"},
    {"ads-sim CA key a folder", "ads-sim", {"--listen", "127.0.0.1:0", "--data-dir", "{T}/d"},
     [](const fs::path& t) { fs::create_directories(t / "d" / "ca-key.pem"); }, 1, "ca-key.pem is not a usable"},
    {"ads-sim server key not PEM", "ads-sim", {"--listen", "127.0.0.1:0", "--data-dir", "{T}/d"},
     [](const fs::path& t) { write(t / "d" / "server-key.pem", "-----BEGIN PRIVATE KEY-----\nxx\n"); }, 1,
     "server-key.pem is not a usable PEM"},
    {"ads-sim database not a database", "ads-sim", {"--listen", "127.0.0.1:0", "--data-dir", "{T}/d"},
     [](const fs::path& t) { write(t / "d" / "ads.db", std::string(8192, 'z')); }, 1, "database {T}/d/ads.db"},
    {"ads-sim database a folder", "ads-sim", {"--listen", "127.0.0.1:0", "--data-dir", "{T}/d"},
     [](const fs::path& t) { fs::create_directories(t / "d" / "ads.db"); }, 1, "database {T}/d/ads.db"},
    {"ads-sim empty admin token", "ads-sim", {"--listen", "127.0.0.1:0", "--data-dir", "{T}/d"},
     [](const fs::path& t) { write(t / "d" / "admin-token", ""); }, 1, "admin-token holds no token"},
    // ads-admin
    {"ads-admin unknown flag", "ads-admin", {"--colour", "oems"}, nothing, 2, "unknown flag"},
    {"ads-admin no url file", "ads-admin", {"--service-dir", "{T}/d", "oems"}, nothing, 1,
     "cannot read the service's url file"},
    {"ads-admin url file not a URL", "ads-admin", {"--service-dir", "{T}/d", "oems"},
     [](const fs::path& t) { write(t / "d" / "url", "ftp://x\n"); }, 1, "does not hold an https://HOST:PORT URL"},
    {"ads-admin missing CA", "ads-admin",
     {"--url", "https://127.0.0.1:1", "--ca", "{T}/none", "--token-file", "{T}/token", "oems"},
     [](const fs::path& t) { write(t / "token", "t\n"); }, 1, "cannot read the CA file"},
    {"ads-admin empty token file", "ads-admin",
     {"--url", "https://127.0.0.1:1", "--ca", "{T}/token", "--token-file", "{T}/empty", "oems"},
     [](const fs::path& t) {
       write(t / "token", "t\n");
       write(t / "empty", "");
     },
     1, "is empty"},
};

std::string with_folder(std::string text, const fs::path& folder) {
  for (auto at = text.find("{T}"); at != std::string::npos; at = text.find("{T}", at))
    text.replace(at, 3, folder.string());
  return text;
}

}  // namespace

TEST_CASE("bad flags and files: one reason on stderr and exit 1 or 2, for every program", "[e2e][bad]") {
  for (const auto& row : cases) {
    e2e::temp_dir dir;
    row.setup(dir.path());
    std::vector<std::string> args;
    for (const auto& arg : row.args) args.push_back(with_folder(arg, dir.path()));
    const auto run = e2e::run_to_exit(std::string(SIM7600_BIN_DIR) + "/" + row.program, args, 30s);
    const std::string first_line = run.err.substr(0, run.err.find('\n'));
    INFO(row.what << ": " << row.program << " printed:\n" << run.err);
    CHECK(run.exit_code == row.exit_code);
    CHECK_THAT(first_line, Catch::Contains(row.program) && Catch::Contains(with_folder(row.reason, dir.path())));
    CHECK_THAT(run.err, !Catch::Contains("terminate called"));
  }
}

TEST_CASE("a state dir the emulator creates, and its missing parents, are owner-only (0700)", "[e2e][bad]") {
  e2e::temp_dir dir;
  const fs::path state = dir.path() / "new" / "state";
  // The port cannot open, so it exits at once; the state dir comes first and stays.
  const auto run = e2e::run_to_exit(e2e::emulator_binary(), {"--ads-url", "https://127.0.0.1:1", "--state-dir",
                                                            state.string(), "--pty-link",
                                                            (dir.path() / "missing" / "link").string()});
  CHECK(run.exit_code == 1);
  for (const auto& folder : {dir.path() / "new", state}) {
    struct stat info {};
    REQUIRE(::stat(folder.c_str(), &info) == 0);
    CHECK((info.st_mode & 07777) == 0700);
  }
}
