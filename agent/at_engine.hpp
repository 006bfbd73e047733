#pragma once
// at_engine: the AT port of the module — reads command lines from the host's bytes (at_line_reader), runs
// their commands through a command_table in order, formats results per ATV/ATQ/AT+CMEE, holds a line while a
// command's answer is pending, and keeps URCs out of command responses. Sans-I/O: output is collected and
// returned by take_output(). Where the port stands is one engine_phase, moved only by next_engine_phase().
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/command_table.hpp"
#include "agent/data_prompt.hpp"
#include "agent/at_command_line.hpp"
#include "agent/at_engine_phase.hpp"
#include "agent/at_line_reader.hpp"
#include "agent/result_codes.hpp"

namespace agent {

// The V.250 settings of the port (the part ATZ / AT&F / AT&W work on, and S3/S5).
struct v250_settings {
  bool echo = true;     // ATE
  bool verbose = true;  // ATV: words and CR LF framing (1) or digit codes (0)
  bool quiet = false;   // ATQ: no result codes at all
  int cmee = 0;         // AT+CMEE: 0 ERROR, 1 +CME ERROR: <n>, 2 +CME ERROR: <text>
  int s3 = 13;          // command line terminator
  int s4 = 10;          // response formatting character
  int s5 = 8;           // backspace
  int ipr = 115200;     // AT+IPR: the UART rate the host uses (the port itself is not paced by it here)
  // Dial-modem settings a terminal program's init string sets (ATS0, ATS7, ATL, ATM, ATX, AT&C, AT&D...): kept and
  // answered back, with no effect on a module that never dials a voice or CSD call.
  std::map<std::string, int> modem_settings;
  bool operator==(const v250_settings&) const = default;
};

class at_engine {
 public:
  explicit at_engine(const command_table& table);

  // Bytes from the host. While a command is held, they are buffered and processed after it completes.
  void feed(std::string_view bytes);
  // Ends the held command with its real result; the rest of its line then runs.
  void complete(command_result result);
  // An unsolicited result code (one line, no CR/LF): written now when no command line is running, else queued
  // until the line's final result code has been written. `payload` follows the line verbatim (received socket
  // data after "+RECEIVE,<link>,<len>").
  void post_urc(std::string line, std::string payload = {});
  // Called by a handler that then returns held: writes the prompt and collects the host's next bytes as a data
  // block (no command line is read meanwhile); the prompt's `done` gives the command's result.
  void ask_for_data(data_prompt prompt);
  // Bytes for the host, in order; empty when there are none.
  std::string take_output();

  // The host went away: drop a partial line (a running or held command still finishes).
  void drop_partial_line();
  // Forget everything received and not yet run, and any queued URC (the module is rebooting).
  void discard_input();
  // While not accepting (booting), received bytes are dropped unseen: no echo, no answer. module_core stops
  // accepting only between lines; a line still running then would be dropped with its held command.
  void set_accepting(bool accepting) { move(accepting ? engine_event::start : engine_event::stop); }
  bool accepting() const { return phase_ != engine_phase::off; }

  // Called each time a command line has written its final result code and the URCs queued during it
  // (module_core performs a requested reboot there).
  void set_after_line(std::function<void()> after_line) { after_line_ = std::move(after_line); }

  v250_settings& settings() { return settings_; }
  const v250_settings& settings() const { return settings_; }
  // A command line is running or held: its final result code is still to come.
  bool busy() const { return line_in_progress(phase_); }

 private:
  void move(engine_event event) { phase_ = next_engine_phase(phase_, event); }
  void process_input();
  void start_line(const line_event& event);
  void run_commands();
  // Calls a command's handler (or a data block's continuation): the result to apply now, or nullopt while the
  // command is held.
  std::optional<command_result> call(const std::function<command_result()>& handler);
  // Applies a handler's result; returns false when the line ends here (an error).
  bool apply(const command_result& result);
  void finish_line(final_result final, int error_code);
  void write_info(const std::string& line);
  void write_final(final_result final, int error_code);
  struct urc {
    std::string line;
    std::string payload;
  };
  void write_urc(const urc& urc);
  // Feeds input_ from `pos` to the pending data block; returns the new position.
  std::size_t collect_data(std::size_t pos);
  // Echoes a piece of the data block per ATE (the prompt again after each line of an SMS body).
  void echo_data(std::string_view bytes);
  // Applies a held command's result and runs the rest of its line.
  void resume(const command_result& result);
  std::string line_end() const;

  const command_table& table_;
  v250_settings settings_;
  at_line_reader reader_;
  std::string input_;           // received, not yet read (while a line runs or is held)
  std::string output_;
  std::deque<urc> queued_urcs_;
  engine_phase phase_ = engine_phase::idle;
  // What the phases need: the line being run (running to collecting), the result complete() gave during the
  // call (answered), the data block being read (collecting).
  command_line line_;
  std::size_t next_command_ = 0;
  command_result early_result_;
  struct data_entry {
    data_prompt prompt;
    data_collector collector;
  };
  std::optional<data_entry> entry_;
  std::function<void()> after_line_;
};

}  // namespace agent
