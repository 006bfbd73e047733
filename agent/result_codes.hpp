#pragma once
// result_codes: the final result code of a command line as the SIM7600 prints it — OK / ERROR (or 0 / 4 with
// ATV0), and the equipment (+CME) and SMS (+CMS) errors per AT+CMEE. The one place error forms are decided.
#include <string>
#include <string_view>

#include "agent/command_result.hpp"

namespace agent {

// The SIM7600's text for a +CME ERROR code ("operation not allowed" for 3); "unknown" for codes not listed.
std::string_view cme_error_text(int code);
// The 27.005 text for a +CMS ERROR code ("invalid memory index" for 321); "unknown error" for codes not listed.
std::string_view cms_error_text(int code);

struct result_code_text {
  std::string text;
  bool numeric = false;  // a V.250 digit code (ATV0): ended by S3 alone, with no framing
};

// What `final` prints with this AT+CMEE <n> and ATV setting (`final` is never held).
result_code_text result_code(final_result final, int error_code, int cmee, bool verbose);

}  // namespace agent
