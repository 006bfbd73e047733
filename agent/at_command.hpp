#pragma once
// at_command: one command of an AT command line, after splitting; command_handler: what answers it.
#include <functional>
#include <string>

#include "agent/command_result.hpp"

namespace agent {

struct at_command {
  enum class form {
    action,  // ATI, ATE0, AT+CSQ, AT+CRESET
    read,    // AT+CREG?, ATS3?
    test,    // AT+CSQ=?, AT+ADA=?
    set,     // AT+CGDCONT=1,"IP","x", ATS3=13
  };
  std::string name;  // upper-case outside quotes: "+CSQ", "+ADA", "E", "&F", "S3", "I"
  form kind = form::action;
  // For `set`: the text after '=' with spaces outside quotes removed and quoted text verbatim (escapes not yet
  // decoded; see at_args.hpp). For basic commands in action form: the digits after the letter ("0" of E0).
  std::string args;
};

using command_handler = std::function<command_result(const at_command&)>;

}  // namespace agent
