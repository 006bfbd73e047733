#pragma once
// The traffic transcript (--transcript FILE): every byte in and out, one record per line of traffic,
//   2026-11-24T05:14:16.123456Z > AT+ADA="status"\r
//   2026-11-24T05:14:16.123501Z < \r\n
// `>` is host -> module, `<` module -> host; non-printables are escaped (\r, \n, \\, \xHH). Every record goes
// through a masker (agent::mask_ada_secrets, injected so this library does not depend on agent) before it is
// written: echoed lines carry the host's secrets too, so both directions are masked.
#include <chrono>
#include <functional>
#include <memory>
#include <utility>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace pty_bridge {

enum class direction { host_to_module, module_to_host };

using secret_masker = std::function<std::string(std::string_view line)>;

// "\r\n" -> "\\r\\n", 0x07 -> "\\x07", '\\' -> "\\\\".
std::string escape_traffic(std::string_view bytes);
// ISO-8601 UTC with microseconds: "2026-11-24T05:14:16.123456Z".
std::string iso8601_utc_micros(std::chrono::system_clock::time_point at);

// Sans-I/O: cuts traffic into line records and formats them. A record ends after LF, or after a CR not followed
// by LF. A CR ending the host's bytes ends the record at once (the host's line terminator); a CR ending the
// module's bytes waits for the next byte, which is usually its LF. Overlong records are cut at max_record.
class transcript_recorder {
 public:
  static constexpr std::size_t max_record = 4096;

  explicit transcript_recorder(secret_masker mask);

  // The finished records (each ending in '\n'); unfinished bytes wait for more traffic or flush().
  std::string add(direction dir, std::string_view bytes, std::chrono::system_clock::time_point at);
  // Ends the unfinished record of `dir` (a host that closed the port mid-line), or of both at shutdown.
  std::string flush(direction dir);
  std::string flush_all();

 private:
  struct pending_record {
    std::string bytes;
    std::chrono::system_clock::time_point started;
    bool cr_waiting = false;  // the last byte was a CR whose record end depends on the next byte
  };
  std::string finish(direction dir);
  pending_record& pending(direction dir) { return dir == direction::host_to_module ? input_ : output_; }

  secret_masker mask_;
  pending_record input_;
  pending_record output_;
};

// Appends records to FILE (O_APPEND, created 0600: it may hold masked command lines).
class transcript_file {
 public:
  static common::outcome<std::unique_ptr<transcript_file>> open(const std::string& path, secret_masker mask);
  ~transcript_file();

  void record(direction dir, std::string_view bytes);
  void end_line(direction dir);  // a host closed the port mid-line
  void flush_all();

 private:
  transcript_file(int fd, secret_masker mask);
  void write_out(const std::string& records);

  int fd_;
  transcript_recorder recorder_;
};

}  // namespace pty_bridge
