#include "agent/at_engine.hpp"

#include <utility>

namespace agent {

at_engine::at_engine(const command_table& table) : table_(table) {}

void at_engine::feed(std::string_view bytes) {
  if (!accepting_) return;
  input_.append(bytes);
  process_input();
}

void at_engine::process_input() {
  std::size_t pos = 0;
  while (accepting_ && pos < input_.size()) {
    if (collector_) {
      pos = collect_data(pos);
      continue;
    }
    if (line_running_) break;
    line_discipline discipline{settings_.echo, static_cast<char>(settings_.s3), static_cast<char>(settings_.s5)};
    auto event = reader_.push(input_[pos++], discipline, output_);
    if (!event) continue;
    // The line may end in a reboot that discards input_; keep what is left unread meanwhile.
    input_.erase(0, pos);
    pos = 0;
    start_line(*event);
  }
  input_.erase(0, pos);
}

void at_engine::start_line(const line_event& event) {
  line_running_ = true;
  if (event.what == line_event::kind::too_long) {
    finish_line(final_result::error, 0);
    return;
  }
  line_ = split_command_line(event.text);
  next_command_ = 0;
  run_commands();
}

void at_engine::run_commands() {
  while (next_command_ < line_.commands.size()) {
    const at_command& command = line_.commands[next_command_++];
    const command_handler* handler = table_.find(command.name);
    if (handler == nullptr) {
      finish_line(final_result::error, 0);
      return;
    }
    in_handler_ = true;
    command_result result = (*handler)(command);
    in_handler_ = false;
    if (result.final == final_result::held) {
      if (!completed_in_handler_) {
        held_ = true;
        return;
      }
      result = std::move(*completed_in_handler_);
      completed_in_handler_.reset();
    }
    if (!apply(result)) return;
  }
  finish_line(line_.malformed ? final_result::error : final_result::ok, 0);
}

void at_engine::complete(command_result result) {
  if (in_handler_) {  // the handler's work finished before it returned held
    completed_in_handler_ = std::move(result);
    return;
  }
  if (!held_ || collector_) return;
  held_ = false;
  resume(result);
  process_input();
}

void at_engine::resume(const command_result& result) {
  if (apply(result)) run_commands();
}

void at_engine::ask_for_data(data_prompt prompt) {
  output_ += line_end() + prompt.prompt;
  collector_.emplace(prompt);
  data_prompt_ = std::move(prompt);
}

std::size_t at_engine::collect_data(std::size_t pos) {
  const std::size_t used = collector_->push(std::string_view(input_).substr(pos));
  echo_data(std::string_view(input_).substr(pos, used));
  pos += used;
  if (!collector_->finished()) return pos;
  // The continuation may end the line in a reboot that discards input_: keep only what is unread.
  input_.erase(0, pos);
  data_block block = collector_->take();
  collector_.reset();
  auto prompt = std::move(*data_prompt_);
  data_prompt_.reset();
  command_result result = prompt.done(std::move(block));
  if (result.final == final_result::held) return 0;  // still held: complete() ends it
  held_ = false;
  resume(result);
  return 0;
}

void at_engine::echo_data(std::string_view bytes) {
  if (!settings_.echo) return;
  // A block of unstated length ends at Ctrl-Z or ESC, which the module does not echo.
  if (collector_->finished() && !data_prompt_->length) bytes.remove_suffix(1);
  for (char byte : bytes) {
    output_ += byte;
    if (data_prompt_->prompt_each_line && byte == static_cast<char>(settings_.s3)) {
      output_ += static_cast<char>(settings_.s4) + data_prompt_->prompt;
    }
  }
}

bool at_engine::apply(const command_result& result) {
  if (!result.lines.empty()) {
    if (settings_.verbose) output_ += line_end();
    for (const auto& line : result.lines) write_info(line);
  }
  if (result.final == final_result::ok) return true;
  // A held result completing as held again is a handler bug: fail the line rather than hang the port.
  finish_line(result.final == final_result::held ? final_result::error : result.final, result.error_code);
  return false;
}

void at_engine::finish_line(final_result final, int error_code) {
  write_final(final, error_code);
  line_running_ = false;
  line_ = {};
  while (!queued_urcs_.empty()) {
    write_urc(queued_urcs_.front());
    queued_urcs_.pop_front();
  }
  if (after_line_) after_line_();
}

std::string at_engine::line_end() const {
  return {static_cast<char>(settings_.s3), static_cast<char>(settings_.s4)};
}

void at_engine::write_info(const std::string& line) { output_ += line + line_end(); }

void at_engine::write_final(final_result final, int error_code) {
  if (settings_.quiet) return;
  auto result = result_code(final, error_code, settings_.cmee, settings_.verbose);
  if (result.numeric) {
    output_ += result.text;
    output_ += static_cast<char>(settings_.s3);
  } else {
    output_ += settings_.verbose ? line_end() + result.text + line_end() : result.text + line_end();
  }
}

void at_engine::write_urc(const urc& urc) {
  if (settings_.verbose) output_ += line_end();
  write_info(urc.line);
  output_ += urc.payload;
}

void at_engine::post_urc(std::string line, std::string payload) {
  urc next{std::move(line), std::move(payload)};
  if (line_running_) {
    queued_urcs_.push_back(std::move(next));
    return;
  }
  write_urc(next);
}

std::string at_engine::take_output() { return std::exchange(output_, {}); }

void at_engine::drop_partial_line() { reader_.drop_partial_line(); }

void at_engine::discard_input() {
  input_.clear();
  line_running_ = false;
  held_ = false;
  collector_.reset();
  data_prompt_.reset();
  completed_in_handler_.reset();
  line_ = {};
  reader_.drop_partial_line();
  queued_urcs_.clear();
}

}  // namespace agent
