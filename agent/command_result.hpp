#pragma once
// command_result: what an AT command handler answers — information lines and a final result code, or
// `held` when the answer comes later (the engine then waits for at_engine::complete()).
#include <string>
#include <vector>

namespace agent {

enum class final_result {
  ok,
  error,
  cme_error,  // an equipment error (27.007 §9.2): ERROR, +CME ERROR: <n> or +CME ERROR: <text> per AT+CMEE
  cms_error,  // an SMS error (27.005 §3.2.5): +CMS ERROR: <n>, or its text with AT+CMEE=2
  no_carrier, // V.250's NO CARRIER (3 with ATV0): ATA with no call to answer
  held,
};

struct command_result {
  std::vector<std::string> lines;  // information lines before the final result code, without CR/LF
  final_result final = final_result::ok;
  int error_code = 0;  // with cme_error / cms_error

  static command_result ok(std::vector<std::string> lines = {}) { return {std::move(lines), final_result::ok, 0}; }
  static command_result error(std::vector<std::string> lines = {}) {
    return {std::move(lines), final_result::error, 0};
  }
  static command_result cme(int code) { return {{}, final_result::cme_error, code}; }
  static command_result cms(int code) { return {{}, final_result::cms_error, code}; }
  static command_result no_carrier() { return {{}, final_result::no_carrier, 0}; }
  static command_result held() { return {{}, final_result::held, 0}; }
};

}  // namespace agent
