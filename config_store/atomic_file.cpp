#include "config_store/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace config_store {
namespace {

std::error_code last_error() { return {errno, std::generic_category()}; }

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const auto n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// The rename is only durable once the folder's entry is on disk too.
std::error_code fsync_folder(const std::filesystem::path& folder) {
  const int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return last_error();
  std::error_code error;
  if (::fsync(fd) != 0) error = last_error();
  ::close(fd);
  return error;
}

}  // namespace

std::error_code write_file_atomically(const std::filesystem::path& file, std::string_view content, unsigned mode) {
  const std::filesystem::path temp = file.string() + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return last_error();
  std::error_code error;
  // fchmod: a stale temp file or the umask must not leave other bits set.
  if (::fchmod(fd, mode) != 0 || !write_all(fd, content) || ::fsync(fd) != 0) error = last_error();
  if (::close(fd) != 0 && !error) error = last_error();
  if (!error && ::rename(temp.c_str(), file.c_str()) != 0) error = last_error();
  if (error) {
    ::unlink(temp.c_str());
    return error;
  }
  return fsync_folder(file.parent_path());
}

}  // namespace config_store
