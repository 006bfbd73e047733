#include "config_store/atomic_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include "file_mode.hpp"

namespace fs = std::filesystem;
using config_store::write_file_atomically;

namespace {

struct scratch_dir {
  fs::path path;
  scratch_dir() {
    std::random_device random;
    path = fs::temp_directory_path() / ("atomic-test-" + std::to_string(::getpid()) + "-" + std::to_string(random()));
    fs::create_directories(path);
  }
  ~scratch_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::string read(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

TEST_CASE("an atomic write replaces the content, owner-only by default, and leaves no temp file", "[atomic_file]") {
  scratch_dir dir;
  const auto file = dir.path / "secret";
  REQUIRE_FALSE(write_file_atomically(file, "first"));
  REQUIRE_FALSE(write_file_atomically(file, std::string("second\0bytes", 12)));
  CHECK(read(file) == std::string("second\0bytes", 12));
  CHECK(mode_of(file) == 0600);
  CHECK_FALSE(fs::exists(dir.path / "secret.tmp"));
}

TEST_CASE("an atomic write gives the mode asked for, whatever a stale temp file or the umask say", "[atomic_file]") {
  scratch_dir dir;
  const auto file = dir.path / "ca.pem";
  { std::ofstream stale(dir.path / "ca.pem.tmp"); }
  fs::permissions(dir.path / "ca.pem.tmp", fs::perms::all);
  const mode_t old_umask = ::umask(0077);
  const auto error = write_file_atomically(file, "public", 0644);
  ::umask(old_umask);
  REQUIRE_FALSE(error);
  CHECK(mode_of(file) == 0644);
}

TEST_CASE("a failed atomic write says why and leaves the old content as it was", "[atomic_file]") {
  scratch_dir dir;
  CHECK(write_file_atomically(dir.path / "missing" / "file", "x"));

  // The target is a folder: the rename fails after the temp file was written.
  const auto folder = dir.path / "taken";
  fs::create_directories(folder / "inside");
  const auto error = write_file_atomically(folder, "x");
  CHECK(error);
  CHECK_FALSE(error.message().empty());
  CHECK(fs::is_directory(folder / "inside"));
  CHECK_FALSE(fs::exists(dir.path / "taken.tmp"));
}
