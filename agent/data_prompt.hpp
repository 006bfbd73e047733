#pragma once
// data_prompt: a command that takes a block of raw bytes after a prompt (AT+CIPSEND's ">", AT+CMGS's "> "). The
// engine shows the prompt and hands the host's next bytes to a data_collector instead of the line reader, until
// the block is complete; then the command's continuation gives the final result. Sans-I/O.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "agent/command_result.hpp"

namespace agent {

inline constexpr char ctrl_z = 0x1A;  // ends a block of unstated length
inline constexpr char escape = 0x1B;  // abandons it

// How a block ended.
struct data_block {
  enum class end {
    complete,   // the stated length arrived, or Ctrl-Z ended a block of unstated length
    cancelled,  // ESC (unstated length only)
    too_long,   // Ctrl-Z came after more than max_length bytes; the excess was never kept
  };
  end how = end::complete;
  std::string bytes;
};

struct data_prompt {
  std::string prompt;                  // written after CR LF: ">" or "> "
  std::optional<std::size_t> length;   // exactly this many bytes (no byte is special); nullopt: until Ctrl-Z
  std::size_t max_length = 0;          // unstated length: the longest block accepted
  bool prompt_each_line = false;       // echo the prompt again after each line typed (AT+CMGS)
  // The command's final result once the block has ended (or final_result::held to answer later).
  std::function<command_result(data_block)> done;
};

// Collects one block. Bytes past max_length are counted and dropped, so a 200 KB body costs no memory.
class data_collector {
 public:
  explicit data_collector(const data_prompt& prompt);
  // Takes bytes from the front of `input`; returns how many it used (fewer than given once the block ended).
  std::size_t push(std::string_view input);
  bool finished() const { return finished_; }
  data_block take() { return std::move(block_); }

 private:
  std::optional<std::size_t> length_;
  std::size_t max_length_;
  data_block block_;
  bool overflowed_ = false;
  bool finished_ = false;
};

}  // namespace agent
