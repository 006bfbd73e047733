#include "agent/at_engine.hpp"

#include <utility>

namespace agent {

at_engine::at_engine(const command_table& table) : table_(table) {}

void at_engine::feed(std::string_view bytes) {
  if (!accepting()) return;
  input_.append(bytes);
  process_input();
}

void at_engine::process_input() {
  std::size_t pos = 0;
  while (accepting() && pos < input_.size()) {
    if (phase_ == engine_phase::collecting) {
      pos = collect_data(pos);
      continue;
    }
    if (phase_ != engine_phase::idle) break;
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
  move(engine_event::line_read);
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
    auto result = call([&] { return (*handler)(command); });
    if (!result || !apply(*result)) return;
  }
  finish_line(line_.malformed ? final_result::error : final_result::ok, 0);
}

std::optional<command_result> at_engine::call(const std::function<command_result()>& handler) {
  move(engine_event::call);
  command_result result = handler();
  if (result.final != final_result::held) {
    move(engine_event::returned);
    return result;
  }
  const bool answered_early = phase_ == engine_phase::answered;
  move(engine_event::returned_held);
  if (answered_early) return std::exchange(early_result_, {});
  return std::nullopt;
}

void at_engine::complete(command_result result) {
  const engine_phase from = phase_;
  move(engine_event::completed);
  if (phase_ == engine_phase::answered) {  // the handler's work finished before it returned held
    early_result_ = std::move(result);
  } else if (from == engine_phase::held) {
    resume(result);
    process_input();
  }
}

void at_engine::resume(const command_result& result) {
  if (apply(result)) run_commands();
}

void at_engine::ask_for_data(data_prompt prompt) {
  move(engine_event::data_asked);
  if (phase_ != engine_phase::collecting) return;  // no command is there to take the block
  output_ += line_end() + prompt.prompt;
  data_collector collector(prompt);
  entry_.emplace(data_entry{std::move(prompt), std::move(collector)});
}

std::size_t at_engine::collect_data(std::size_t pos) {
  const std::size_t used = entry_->collector.push(std::string_view(input_).substr(pos));
  echo_data(std::string_view(input_).substr(pos, used));
  pos += used;
  if (!entry_->collector.finished()) return pos;
  // The continuation may end the line in a reboot that discards input_: keep only what is unread.
  input_.erase(0, pos);
  data_entry entry = std::move(*entry_);
  entry_.reset();
  auto result = call([&] { return entry.prompt.done(entry.collector.take()); });
  if (result) resume(*result);  // else still held: complete() ends it
  return 0;
}

void at_engine::echo_data(std::string_view bytes) {
  if (!settings_.echo) return;
  // A block of unstated length ends at Ctrl-Z or ESC, which the module does not echo.
  const data_prompt& prompt = entry_->prompt;
  if (entry_->collector.finished() && !prompt.length) bytes.remove_suffix(1);
  for (char byte : bytes) {
    output_ += byte;
    if (prompt.prompt_each_line && byte == static_cast<char>(settings_.s3)) {
      output_ += static_cast<char>(settings_.s4) + prompt.prompt;
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
  move(engine_event::line_finished);
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
  if (busy()) {
    queued_urcs_.push_back(std::move(next));
    return;
  }
  write_urc(next);
}

std::string at_engine::take_output() { return std::exchange(output_, {}); }

void at_engine::drop_partial_line() { reader_.drop_partial_line(); }

void at_engine::discard_input() {
  input_.clear();
  move(engine_event::discard);
  entry_.reset();
  early_result_ = {};
  line_ = {};
  reader_.drop_partial_line();
  queued_urcs_.clear();
}

}  // namespace agent
