#include "scenario/port_lines.hpp"

#include "agent/ada_commands.hpp"

namespace scenario {

void port_lines::feed(std::string_view bytes) {
  for (char c : bytes) {
    if (c != '\r' && c != '\n') {
      partial_ += c;
      continue;
    }
    if (partial_.empty()) continue;
    ready_.push_back(partial_);
    recent_.push_back(shown(partial_));
    all_ += recent_.back() + "\n";
    if (recent_.size() > kept_for_messages) recent_.pop_front();
    partial_.clear();
  }
}

std::string port_lines::shown(std::string_view line) { return agent::mask_ada_secrets(line); }

std::optional<std::string> port_lines::next() {
  if (ready_.empty()) return std::nullopt;
  std::string line = std::move(ready_.front());
  ready_.pop_front();
  return line;
}

std::string port_lines::recent_text() const {
  std::string out;
  for (const auto& line : recent_) out += "    | " + line + "\n";
  if (!partial_.empty()) out += "    | " + shown(partial_) + "   (partial)\n";
  if (out.empty()) out = "    (nothing)\n";
  return out;
}

}  // namespace scenario
