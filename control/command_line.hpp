#pragma once
// sim7600-ctl's command line: where the control API is, the verb as a request, and --json; the flags before the
// verb read by CLI11 (cli/), the verb's words by the control verbs' table. Pure.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cli/command_line.hpp"
#include "cli/command_words.hpp"
#include "common/result.hpp"
#include "control/control_verbs.hpp"

namespace sim7600_ctl {

// Where to reach the daemon: its Unix socket, or its loopback TCP endpoint with the bearer token's file.
struct control_endpoint {
  std::string socket_path;  // empty with a URL
  std::string host;         // --url http://HOST:PORT
  std::string port;
  std::string token_file;
};

struct ctl_command {
  control_endpoint endpoint;
  sim7600_control::control_request request;
  bool json = false;  // print the answer's JSON
};

// What the command line asks for: send the command, or print ctl_usage() or the version.
using ctl_command_line = cli::command_line<ctl_command>;

// `args` without the program name; `environment` finds XDG_STATE_HOME / HOME for the default state dir. The error
// is a usage error: one line, exit 2.
common::outcome<ctl_command_line> parse_ctl_command_line(
    const std::vector<std::string>& args,
    const std::function<std::optional<std::string>(const std::string&)>& environment);

std::string ctl_usage();

// The words a shell completes: the flags before the verb, and each verb with its sub-words and flags (--json and
// --help are taken after the verb too).
cli::command_words ctl_words();

}  // namespace sim7600_ctl
