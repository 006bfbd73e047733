#include "ads_sim/data_dir.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "config_store/atomic_file.hpp"

namespace ads_sim {
namespace {

common::outcome<std::string> load_or_create_admin_token(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string token;
  if (in && std::getline(in, token) && !token.empty()) return token;
  std::error_code exists_error;
  if (std::filesystem::exists(file, exists_error))  // written atomically, so never empty by a crash: not ours to replace
    return common::failure{file.string() + " holds no token (remove it to make a new one)"};
  token = random_hex(16);
  if (const auto error = config_store::write_file_atomically(file, token + "\n", 0600))
    return common::failure{"cannot write " + file.string() + ": " + error.message()};
  return token;
}

}  // namespace

common::outcome<data_dir_files> open_data_dir(const std::filesystem::path& dir, std::optional<std::string> admin_token) {
  std::error_code fs_error;
  std::filesystem::create_directories(dir, fs_error);
  if (fs_error) return common::failure{"cannot create " + dir.string() + ": " + fs_error.message()};
  ::chmod(dir.c_str(), 0700);  // it holds private keys

  data_dir_files files;
  if (admin_token) {
    files.admin_token = std::move(*admin_token);
  } else {
    auto loaded = load_or_create_admin_token(dir / "admin-token");
    if (!loaded) return loaded.error();
    files.admin_token = *loaded;
  }
  if (files.admin_token.empty()) return common::failure{"the admin token must not be empty"};
  if (auto failed = ensure_tls_material(dir, files.tls)) return common::failure{*failed};
  files.database = dir / "ads.db";
  // Created 0600 before SQLite opens it, so its -wal and -shm files (which SQLite gives the same mode) are too.
  if (const int fd = ::open(files.database.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600); fd >= 0) ::close(fd);
  return files;
}

}  // namespace ads_sim
