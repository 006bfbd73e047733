#include "ads_sim/data_dir.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "config_store/atomic_file.hpp"

namespace ads_sim {
namespace {

api_result<std::string> load_or_create_admin_token(const std::filesystem::path& file) {
  using result = api_result<std::string>;
  std::ifstream in(file);
  std::string token;
  if (in && std::getline(in, token) && !token.empty()) return result::success(token);
  std::error_code exists_error;
  if (std::filesystem::exists(file, exists_error))  // written atomically, so never empty by a crash: not ours to replace
    return result::failure(500, file.string() + " holds no token (remove it to make a new one)");
  token = random_hex(16);
  if (const auto error = config_store::write_file_atomically(file, token + "\n", 0600))
    return result::failure(500, "cannot write " + file.string() + ": " + error.message());
  return result::success(token);
}

}  // namespace

api_result<data_dir_files> open_data_dir(const std::filesystem::path& dir, std::optional<std::string> admin_token) {
  using result = api_result<data_dir_files>;
  std::error_code fs_error;
  std::filesystem::create_directories(dir, fs_error);
  if (fs_error) return result::failure(500, "cannot create " + dir.string() + ": " + fs_error.message());
  ::chmod(dir.c_str(), 0700);  // it holds private keys

  data_dir_files files;
  if (admin_token) {
    files.admin_token = std::move(*admin_token);
  } else {
    auto loaded = load_or_create_admin_token(dir / "admin-token");
    if (!loaded) return result::failure(loaded.status, loaded.error);
    files.admin_token = *loaded;
  }
  if (files.admin_token.empty()) return result::failure(500, "the admin token must not be empty");
  if (auto failed = ensure_tls_material(dir, files.tls)) return result::failure(500, *failed);
  files.database = dir / "ads.db";
  // Created 0600 before SQLite opens it, so its -wal and -shm files (which SQLite gives the same mode) are too.
  if (const int fd = ::open(files.database.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600); fd >= 0) ::close(fd);
  return result::success(std::move(files));
}

}  // namespace ads_sim
