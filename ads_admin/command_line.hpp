#pragma once
// command_line: ads-admin's arguments (connection flags, a verb and its operands) parsed into a struct, without
// touching the process or the files it names.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ads_admin/verbs.hpp"
#include "cli/command_line.hpp"
#include "cli/command_words.hpp"
#include "common/result.hpp"

namespace ads_admin {

// "https://HOST:PORT" split up; an IPv6 host loses its brackets.
struct https_url {
  std::string host;
  std::string port;
  bool operator==(const https_url&) const = default;
};
std::optional<https_url> parse_https_url(std::string_view text);

// The service named on the command line: --url, --ca and a token (or a file holding it).
struct explicit_service {
  https_url url;
  std::filesystem::path ca_file;
  std::optional<std::string> token;
  std::optional<std::filesystem::path> token_file;
  bool operator==(const explicit_service&) const = default;
};

// A directory holding `url`, `ca.pem` and `admin-token`: what the emulator's embedded ads-sim leaves in
// <state-dir>/ads-sim (a standalone ads-sim writes no `url`: use --url with its --data-dir files).
struct service_directory {
  std::filesystem::path dir;
  bool operator==(const service_directory&) const = default;
};

using service_source = std::variant<explicit_service, service_directory>;

// A command and the service it goes to.
struct admin_invocation {
  service_source service;
  admin_command command;
};

// What the command line asks for: run the command, or print usage_text() or the version (CLI11, cli/).
using command_line = cli::command_line<admin_invocation>;

// `args` without the program name; `xdg_state_home` and `home` as the environment gives them (may be null): they
// name the emulator's default state dir when no connection flag is given. The error is a one-line reason the
// arguments are wrong (exit 2).
common::outcome<command_line> parse_command_line(const std::vector<std::string_view>& args,
                                                 const char* xdg_state_home, const char* home);

std::string usage_text();

// The words a shell completes: the connection flags, and each verb with its own flags and the connection flags.
cli::command_words completion_words();

}  // namespace ads_admin
