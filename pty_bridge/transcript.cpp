#include "pty_bridge/transcript.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <memory>

namespace pty_bridge {

std::string escape_traffic(std::string_view bytes) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size());
  for (char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (byte < 0x20 || byte >= 0x7F) {
      out += "\\x";
      out += hex[byte >> 4];
      out += hex[byte & 0xF];
    } else {
      out += c;
    }
  }
  return out;
}

std::string iso8601_utc_micros(std::chrono::system_clock::time_point at) {
  using namespace std::chrono;
  const auto micros = duration_cast<microseconds>(at.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(micros / 1000000);
  long frac = static_cast<long>(micros % 1000000);
  if (frac < 0) {
    frac += 1000000;
    --secs;
  }
  std::tm utc{};
  gmtime_r(&secs, &utc);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, frac);
  return text;
}

transcript_recorder::transcript_recorder(secret_masker mask) : mask_(std::move(mask)) {}

std::string transcript_recorder::finish(direction dir) {
  pending_record& record = pending(dir);
  record.cr_waiting = false;
  if (record.bytes.empty()) return {};
  // Mask the line without its terminators, so the masker sees a command line as the engine does.
  std::string_view text = record.bytes;
  const std::size_t body_end = text.find_last_not_of("\r\n") == std::string_view::npos
                                   ? 0
                                   : text.find_last_not_of("\r\n") + 1;
  std::string body = mask_ ? mask_(text.substr(0, body_end)) : std::string(text.substr(0, body_end));
  std::string line = iso8601_utc_micros(record.started);
  line += dir == direction::host_to_module ? " > " : " < ";
  line += escape_traffic(body);
  line += escape_traffic(text.substr(body_end));
  line += '\n';
  record.bytes.clear();
  return line;
}

std::string transcript_recorder::add(direction dir, std::string_view bytes,
                                     std::chrono::system_clock::time_point at) {
  std::string done;
  pending_record& record = pending(dir);
  for (char c : bytes) {
    if (record.cr_waiting && c != '\n') done += finish(dir);
    if (record.bytes.empty()) record.started = at;
    record.bytes += c;
    record.cr_waiting = false;
    if (c == '\n' || record.bytes.size() >= max_record) {
      done += finish(dir);
    } else if (c == '\r') {
      record.cr_waiting = true;
    }
  }
  if (record.cr_waiting && dir == direction::host_to_module) done += finish(dir);
  return done;
}

std::string transcript_recorder::flush(direction dir) { return finish(dir); }

std::string transcript_recorder::flush_all() {
  std::string done = finish(direction::host_to_module);
  done += finish(direction::module_to_host);
  return done;
}

common::outcome<std::unique_ptr<transcript_file>> transcript_file::open(const std::string& path, secret_masker mask) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return common::failure{"cannot open transcript " + path + ": " + std::strerror(errno)};
  return std::unique_ptr<transcript_file>(new transcript_file(fd, std::move(mask)));
}

transcript_file::transcript_file(int fd, secret_masker mask) : fd_(fd), recorder_(std::move(mask)) {}

transcript_file::~transcript_file() {
  flush_all();
  ::close(fd_);
}

void transcript_file::record(direction dir, std::string_view bytes) {
  write_out(recorder_.add(dir, bytes, std::chrono::system_clock::now()));
}

void transcript_file::end_line(direction dir) { write_out(recorder_.flush(dir)); }

void transcript_file::flush_all() { write_out(recorder_.flush_all()); }

void transcript_file::write_out(const std::string& records) {
  // A local file append: short and bounded, so it is done in place; a failing disk loses transcript lines, never
  // the module.
  std::size_t written = 0;
  while (written < records.size()) {
    const ssize_t n = ::write(fd_, records.data() + written, records.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    written += static_cast<std::size_t>(n);
  }
}

}  // namespace pty_bridge
