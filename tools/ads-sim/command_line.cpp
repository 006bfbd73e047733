#include "tools/ads-sim/command_line.hpp"

namespace ads_sim {

namespace {

// Like the emulator's --state-dir: XDG state home, else ~/.local/state, else the working directory.
std::filesystem::path default_data_dir(const char* xdg_state_home, const char* home) {
  if (xdg_state_home && *xdg_state_home) return std::filesystem::path(xdg_state_home) / "ads-sim";
  if (home && *home) return std::filesystem::path(home) / ".local" / "state" / "ads-sim";
  return "ads-sim-data";
}

}  // namespace

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
    if (flag != "--listen" && flag != "--data-dir" && flag != "--admin-token") {
      result.error = "unknown flag " + std::string(flag);
      return result;
    }
    if (i + 1 >= args.size()) {
      result.error = "missing value for " + std::string(flag);
      return result;
    }
    const std::string value(args[++i]);
    if (flag == "--listen") {
      const auto address = parse_listen_address(value);
      if (!address) {
        result.error = "--listen wants HOST:PORT, got " + value;
        return result;
      }
      result.options.listen_host = address->first;
      result.options.listen_port = address->second;
    } else if (flag == "--data-dir") {
      if (value.empty()) {
        result.error = "--data-dir must not be empty";
        return result;
      }
      result.options.data_dir = value;
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
