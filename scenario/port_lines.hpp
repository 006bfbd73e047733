#pragma once
// The module's output as lines (sans-I/O): bytes in, whole lines out. A line ends at CR or LF and empty lines are
// dropped, so `AT\r\r\nOK\r\n` (echo, then the answer) is the two lines "AT" and "OK". Keeps the last lines seen,
// for failure messages, with secrets masked as the emulator's transcript masks them (a module echoes
// AT+ADA="cs","oem/secret",... back).
#include <deque>
#include <optional>
#include <string>
#include <string_view>

namespace scenario {

class port_lines {
 public:
  static constexpr std::size_t kept_for_messages = 12;

  void feed(std::string_view bytes);
  std::optional<std::string> next();  // the oldest whole line not yet taken
  // The last lines that arrived (taken or not), oldest first, then any unfinished line marked "(partial)".
  std::string recent_text() const;
  // Every line that arrived, one a row, for a report.
  const std::string& all_text() const { return all_; }
  // A line as a report may show it.
  static std::string shown(std::string_view line);

 private:
  std::string partial_;
  std::deque<std::string> ready_;
  std::deque<std::string> recent_;
  std::string all_;
};

}  // namespace scenario
