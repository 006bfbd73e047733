#include "config_store/file_store.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

#include "config_store/nv_codec.hpp"
#include "file_mode.hpp"

namespace fs = std::filesystem;
using config_store::file_store;
using config_store::load_result;
using config_store::nv_image;

namespace {

// A fresh folder under the system temp dir, removed at the end of the test.
struct temp_dir {
  fs::path path;
  temp_dir() {
    std::random_device random;
    path = fs::temp_directory_path() / ("nv-test-" + std::to_string(::getpid()) + "-" + std::to_string(random()));
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

nv_image image_with(const std::string& value) {
  nv_image image;
  image.values["oem/model"] = value;
  image.values["oem/secret"] = "top secret";
  return image;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// The slot holding the newest generation.
fs::path newest_slot(const fs::path& dir) {
  fs::path newest;
  std::uint64_t generation = 0;
  for (const char* name : {"nv-a.bin", "nv-b.bin"}) {
    auto decoded = config_store::decode_nv(read_file(dir / name));
    if (decoded && decoded->generation >= generation) {
      generation = decoded->generation;
      newest = dir / name;
    }
  }
  return newest;
}

// The store on `dir`, which must open.
file_store opened(const fs::path& dir) {
  auto result = file_store::open(dir);
  INFO((result ? std::string() : result.error().reason));
  REQUIRE(result.ok());
  return std::move(result).value();
}

// A store holding two saves, "older" then "newer", and where the newer one is.
struct two_saves {
  temp_dir dir;
  file_store store = opened(dir.path);
  fs::path newest;
  std::string newest_bytes;
  two_saves() {
    REQUIRE(store.save(image_with("older")));
    REQUIRE(store.save(image_with("newer")));
    newest = newest_slot(dir.path);
    newest_bytes = read_file(newest);
  }
};

}  // namespace

TEST_CASE("file store: a new folder is created 0700 and loads fresh") {
  temp_dir dir;
  file_store store = opened(dir.path / "state");
  CHECK(fs::is_directory(dir.path / "state"));
  CHECK(mode_of(dir.path / "state") == 0700);
  auto loaded = store.load();
  CHECK(loaded.from == load_result::source::fresh);
  CHECK(loaded.image.values.empty());
}

TEST_CASE("file store: saves round-trip, newest wins, across store objects (a restart)") {
  temp_dir dir;
  {
    file_store store = opened(dir.path);
    REQUIRE(store.save(image_with("one")));
    REQUIRE(store.save(image_with("two")));
    REQUIRE(store.save(image_with("three")));
  }
  file_store reopened = opened(dir.path);
  auto loaded = reopened.load();
  CHECK(loaded.from == load_result::source::stored);
  CHECK(loaded.image == image_with("three"));
  CHECK(loaded.detail.empty());
}

TEST_CASE("file store: slot files are 0600 and no temp file is left") {
  temp_dir dir;
  file_store store = opened(dir.path);
  REQUIRE(store.save(image_with("one")));
  REQUIRE(store.save(image_with("two")));
  for (const auto& entry : fs::directory_iterator(dir.path)) {
    INFO(entry.path());
    CHECK(entry.path().extension() == ".bin");
    CHECK(mode_of(entry.path()) == 0600);
  }
}

TEST_CASE("file store: a corrupt newest slot falls back to the other and says why") {
  two_saves saved;
  auto& store = saved.store;
  const auto& newest = saved.newest;
  auto bytes = saved.newest_bytes;

  SECTION("truncated (torn write)") { write_file(newest, bytes.substr(0, bytes.size() / 2)); }
  SECTION("a flipped bit") {
    bytes[bytes.size() / 3] ^= 0x10;
    write_file(newest, bytes);
  }
  SECTION("emptied") { write_file(newest, ""); }

  auto loaded = store.load();
  CHECK(loaded.from == load_result::source::recovered);
  CHECK(loaded.image == image_with("older"));
  CHECK_FALSE(loaded.detail.empty());
  CHECK(loaded.detail.find("top secret") == std::string::npos);

  // The next save replaces the corrupt copy, never the last good one.
  REQUIRE(store.save(image_with("after")));
  auto again = store.load();
  CHECK(again.from == load_result::source::stored);
  CHECK(again.image == image_with("after"));
}

TEST_CASE("file store: every truncation of the newest slot loads the previous image") {
  two_saves saved;
  auto& store = saved.store;
  const auto& newest = saved.newest;
  auto bytes = saved.newest_bytes;
  for (std::size_t length = 0; length < bytes.size(); ++length) {
    write_file(newest, bytes.substr(0, length));
    auto loaded = store.load();
    INFO("length " << length);
    REQUIRE(loaded.image == image_with("older"));
  }
}

TEST_CASE("file store: save fails cleanly when the folder is not writable") {
  if (::geteuid() == 0) return;  // root writes anyway
  temp_dir dir;
  file_store store = opened(dir.path);
  REQUIRE(store.save(image_with("kept")));
  fs::permissions(dir.path, fs::perms::owner_read | fs::perms::owner_exec);
  CHECK_FALSE(store.save(image_with("lost")));
  fs::permissions(dir.path, fs::perms::owner_all);
  CHECK(store.load().image == image_with("kept"));
}

TEST_CASE("file store: each save overwrites the older copy, so the previous image always survives") {
  temp_dir dir;
  file_store store = opened(dir.path);
  REQUIRE(store.save(image_with("save 1")));
  for (int n = 2; n <= 5; ++n) {
    REQUIRE(store.save(image_with("save " + std::to_string(n))));
    std::vector<std::string> held;
    for (const char* name : {"nv-a.bin", "nv-b.bin"}) {
      auto decoded = config_store::decode_nv(read_file(dir.path / name));
      REQUIRE(decoded.ok());
      held.push_back(*decoded->image.get("oem/model"));
    }
    std::sort(held.begin(), held.end());
    CHECK(held == std::vector<std::string>{"save " + std::to_string(n - 1), "save " + std::to_string(n)});
  }
}

TEST_CASE("file store: a folder it cannot use is refused with one reason, and nothing is touched") {
  temp_dir dir;
  fs::create_directories(dir.path);
  { std::ofstream(dir.path / "plain-file") << "x"; }
  struct refused_case {
    const char* what;
    fs::path folder;
    const char* reason;
  };
  fs::create_directories(dir.path / "slot-is-a-folder" / "nv-b.bin");
  fs::create_directories(dir.path / "temp-is-a-folder" / "nv-a.bin.tmp");
  const refused_case cases[] = {
      {"a path under a regular file", dir.path / "plain-file" / "state", "cannot create"},
      {"a regular file", dir.path / "plain-file", "is not a directory"},
      {"a slot that is a folder", dir.path / "slot-is-a-folder", "nv-b.bin is not a regular file"},
      {"a temp file that is a folder", dir.path / "temp-is-a-folder", "nv-a.bin.tmp is not a regular file"},
  };
  for (const auto& refused : cases) {
    INFO(refused.what);
    auto result = file_store::open(refused.folder);
    REQUIRE_FALSE(result.ok());
    CHECK_THAT(result.error().reason, Catch::Contains(refused.reason));
    CHECK(result.error().reason.find('\n') == std::string::npos);
  }
  CHECK(read_file(dir.path / "plain-file") == "x");
}

TEST_CASE("file store: missing parents are created owner-only too") {
  temp_dir dir;
  opened(dir.path / "a" / "b");
  CHECK(mode_of(dir.path / "a") == 0700);
  CHECK(mode_of(dir.path / "a" / "b") == 0700);
}

TEST_CASE("file store: two rejected copies are unusable, not a fresh start") {
  two_saves saved;
  for (const char* name : {"nv-a.bin", "nv-b.bin"}) std::ofstream(saved.dir.path / name, std::ios::trunc) << "garbage";
  const auto loaded = saved.store.load();
  CHECK(loaded.from == load_result::source::unusable);
  CHECK_THAT(loaded.detail, Catch::Contains("nv-a.bin") && Catch::Contains("nv-b.bin"));
}
