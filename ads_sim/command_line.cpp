#include "ads_sim/command_line.hpp"

#include <charconv>

namespace ads_sim {

namespace {

// Like the emulator's --state-dir: XDG state home, else ~/.local/state, else the working directory.
std::filesystem::path default_data_dir(const char* xdg_state_home, const char* home) {
  if (xdg_state_home && *xdg_state_home) return std::filesystem::path(xdg_state_home) / "ads-sim";
  if (home && *home) return std::filesystem::path(home) / ".local" / "state" / "ads-sim";
  return "ads-sim-data";
}

}  // namespace

std::optional<std::pair<std::string, std::uint16_t>> parse_listen_address(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return std::nullopt;
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return std::nullopt;  // an IPv6 address needs brackets
  }
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port_text.empty() || port > 65535)
    return std::nullopt;
  return std::pair{std::string(host), static_cast<std::uint16_t>(port)};
}

command_line parse_command_line(const std::vector<std::string_view>& args, const char* xdg_state_home,
                                const char* home) {
  command_line result;
  result.options.data_dir = default_data_dir(xdg_state_home, home);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view flag = args[i];
    if (flag == "--help" || flag == "-h") {
      result.help = true;
      return result;
    }
    if (flag == "--remote-images") {
      result.options.remote_images = true;
      continue;
    }
    const bool address_flag = flag == "--listen" || flag == "--ans-listen" || flag == "--image-listen";
    if (!address_flag && flag != "--data-dir" && flag != "--admin-token" && flag != "--console-password-file" &&
        flag != "--console-session-idle") {
      result.error = "unknown flag " + std::string(flag);
      return result;
    }
    if (i + 1 >= args.size()) {
      result.error = "missing value for " + std::string(flag);
      return result;
    }
    const std::string value(args[++i]);
    if (address_flag) {
      const auto address = parse_listen_address(value);
      if (!address) {
        result.error = std::string(flag) + " wants HOST:PORT, got " + value;
        return result;
      }
      auto& options = result.options;
      if (flag == "--listen") {
        options.listen_host = address->first;
        options.listen_port = address->second;
      } else if (flag == "--ans-listen") {
        options.ans_host = address->first;
        options.ans_port = address->second;
      } else {
        options.image_host = address->first;
        options.image_port = address->second;
      }
    } else if (flag == "--data-dir") {
      if (value.empty()) {
        result.error = "--data-dir must not be empty";
        return result;
      }
      result.options.data_dir = value;
    } else if (flag == "--console-password-file") {
      if (value.empty()) {
        result.error = "--console-password-file must not be empty";
        return result;
      }
      result.options.console_password_file = value;
    } else if (flag == "--console-session-idle") {
      int seconds = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
      if (ec != std::errc() || end != value.data() + value.size() || seconds < 1) {
        result.error = "--console-session-idle wants a number of seconds, got " + value;
        return result;
      }
      result.options.console_session_idle = std::chrono::seconds(seconds);
    } else {  // --admin-token
      if (value.empty()) {
        result.error = "--admin-token must not be empty";
        return result;
      }
      result.options.admin_token = value;
    }
  }
  return result;
}

}  // namespace ads_sim
