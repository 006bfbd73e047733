#pragma once
// command_line: ads-sim's flags (SPEC §1) read by CLI11 (cli/) into service options, without touching the process.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <string_view>
#include <vector>

#include "ads_sim/server.hpp"
#include "cli/command_line.hpp"
#include "cli/command_words.hpp"
#include "common/result.hpp"

namespace ads_sim {

// What the command line asks for: serve with these options, or print usage_text() or the version.
using command_line = cli::command_line<service_options>;

// "HOST:PORT" or "[V6]:PORT" → host and port; nullopt when malformed.
std::optional<std::pair<std::string, std::uint16_t>> parse_listen_address(std::string_view text);

// `args` without the program name; `xdg_state_home` and `home` as the environment gives them (may be null).
// The error is the one-line reason the flags are refused (exit 2).
common::outcome<command_line> parse_command_line(const std::vector<std::string_view>& args, const char* xdg_state_home,
                                                 const char* home);

// The flags for ads-sim's bash completion (completion/).
cli::command_words completion_words();

// --help: the flags in the layout every program shares (CLI11).
std::string usage_text();

}  // namespace ads_sim
