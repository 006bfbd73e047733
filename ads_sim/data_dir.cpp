#include "ads_sim/data_dir.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "common/read_file.hpp"
#include "config_store/atomic_file.hpp"

namespace ads_sim {
namespace {

std::string octal_mode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

// The token in DIR/admin-token; made there on first start when the folder may be written (`read_only` unset).
common::outcome<std::string> load_or_create_admin_token(const std::filesystem::path& file,
                                                        const std::optional<std::string>& read_only) {
  std::string token;
  if (const auto text = common::read_file(file)) {
    token = text->substr(0, text->find('\n'));
    if (!token.empty()) return token;
  }
  std::error_code exists_error;
  if (std::filesystem::exists(file, exists_error)) {  // written atomically, never empty by a crash: not ours to replace
    if (::access(file.c_str(), R_OK) != 0)
      return common::failure{"cannot read " + file.string() + ": " + std::strerror(errno)};
    return common::failure{file.string() + " holds no token (remove it to make a new one)"};
  }
  if (read_only)
    return common::failure{file.string() + " is missing and " + file.parent_path().string() + " is read-only (" +
                           *read_only + "): put the replicas' admin token there, or give --admin-token"};
  token = random_hex(16);
  if (const auto error = config_store::write_file_atomically(file, token + "\n", 0600))
    return common::failure{"cannot write " + file.string() + ": " + error.message()};
  return token;
}

// An exclusive lock on the folder for as long as it lives, so that replicas starting together on one empty data dir
// make one CA and one admin token, not one each (the second finds the first's files once it holds the lock).
class folder_lock {
 public:
  explicit folder_lock(const std::filesystem::path& dir)
      : fd_(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
    if (fd_ >= 0) ::flock(fd_, LOCK_EX);
  }
  ~folder_lock() {
    if (fd_ >= 0) ::close(fd_);
  }
  folder_lock(const folder_lock&) = delete;
  folder_lock& operator=(const folder_lock&) = delete;

 private:
  int fd_;
};

}  // namespace

std::optional<std::string> read_only_reason(const std::filesystem::path& dir) {
  struct statvfs volume {};
  if (::statvfs(dir.c_str(), &volume) == 0 && (volume.f_flag & ST_RDONLY) != 0) return "a read-only file system";
  struct stat info {};
  if (::stat(dir.c_str(), &info) != 0) return std::string("cannot stat it: ") + std::strerror(errno);
  if ((info.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0) return "mode " + octal_mode(info.st_mode);
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    return "mode " + octal_mode(info.st_mode) + ", owner uid " + std::to_string(info.st_uid) +
           ", ads-sim runs as uid " + std::to_string(::geteuid());
  return std::nullopt;
}

common::outcome<data_dir_files> open_data_dir(const std::filesystem::path& dir, const data_dir_needs& needs,
                                              std::optional<std::string> admin_token) {
  data_dir_files files;
  if (admin_token) files.admin_token = std::move(*admin_token);
  const bool token_file = needs.admin_token && !admin_token;  // a given token wins over the file
  if (token_file || needs.tls || needs.database) {
    std::error_code fs_error;
    const bool existed = std::filesystem::exists(dir, fs_error);
    if (!existed) {
      std::filesystem::create_directories(dir, fs_error);
      if (fs_error) return common::failure{"cannot create " + dir.string() + ": " + fs_error.message()};
    }
    if (!std::filesystem::is_directory(dir, fs_error)) return common::failure{dir.string() + " is not a directory"};
    const auto read_only = read_only_reason(dir);
    std::optional<folder_lock> lock;
    if (!read_only) {
      lock.emplace(dir);
      struct stat info {};
      if (::stat(dir.c_str(), &info) == 0 && (info.st_mode & 07777) != 0700) ::chmod(dir.c_str(), 0700);  // keys
    }
    if (token_file) {
      auto loaded = load_or_create_admin_token(dir / "admin-token", read_only);
      if (!loaded) return loaded.error();
      files.admin_token = *loaded;
    }
    if (needs.tls)
      if (auto failed = ensure_tls_material(dir, files.tls, read_only)) return common::failure{*failed};
    if (needs.database) {
      files.database = dir / "ads.db";
      if (read_only)
        return common::failure{dir.string() + " is read-only (" + *read_only + ") and the default database " +
                               files.database.string() + " is written: give --db"};
      // Created 0600 before SQLite opens it, so its -wal and -shm files (which SQLite gives the same mode) are too.
      if (const int fd = ::open(files.database.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600); fd >= 0) ::close(fd);
    }
  }
  if (files.admin_token.empty()) return common::failure{"the admin token must not be empty"};
  return files;
}

}  // namespace ads_sim
