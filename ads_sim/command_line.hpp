#pragma once
// command_line: ads-sim's flags (SPEC §1) parsed into service options, without touching the process.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <string_view>
#include <vector>

#include "ads_sim/server.hpp"

namespace ads_sim {

inline constexpr std::string_view usage_text =
    "usage: ads-sim [--listen HOST:PORT] [--data-dir DIR] [--admin-token TOKEN] [--ans-listen IP:PORT]\n"
    "               [--image-listen HOST:PORT] [--remote-images]\n"
    "  --listen HOST:PORT   address to serve HTTPS on (default 127.0.0.1:8443; port 0 = any free port)\n"
    "  --data-dir DIR       database, CA (DIR/ca.pem) and certificates\n"
    "                       (default $XDG_STATE_HOME/ads-sim or ~/.local/state/ads-sim)\n"
    "  --admin-token TOKEN  bearer token of the admin API (default: generated once into DIR/admin-token)\n"
    "  --console-password-file FILE\n"
    "                       the console's module maker password, first line of FILE (default: generated on\n"
    "                       first start and printed once on stderr)\n"
    "  --console-session-idle SECONDS\n"
    "                       a console session ends after this long unused (default 1800)\n"
    "  --ans-listen IP:PORT the ANS notifier's UDP address (default: the --listen host, any port;\n"
    "                       Ayla's agents expect 55055; devices read it from GET /dsns)\n"
    "  --image-listen HOST:PORT  the image host for remote OTA downloads (default: the --listen host, any port)\n"
    "  --remote-images      offer OTA images with source \"remote\" (via the image host) instead of \"local\"\n";

struct command_line {
  service_options options;
  bool help = false;
  std::string error;  // non-empty: a one-line reason the flags are wrong
};

// "HOST:PORT" or "[V6]:PORT" → host and port; nullopt when malformed.
std::optional<std::pair<std::string, std::uint16_t>> parse_listen_address(std::string_view text);

// `args` without the program name; `xdg_state_home` and `home` as the environment gives them (may be null).
command_line parse_command_line(const std::vector<std::string_view>& args, const char* xdg_state_home,
                                const char* home);

}  // namespace ads_sim
