#pragma once
// command_result: what an AT command handler answers — information lines and a final result code, or
// `held` when the answer comes later (the engine then waits for at_engine::complete()).
#include <string>
#include <vector>

namespace agent {

enum class final_result { ok, error, cme_error, held };

struct command_result {
  std::vector<std::string> lines;  // information lines before the final result code, without CR/LF
  final_result final = final_result::ok;
  int cme_code = 0;  // with cme_error: printed per AT+CMEE as ERROR, +CME ERROR: <n> or +CME ERROR: <text>

  static command_result ok(std::vector<std::string> lines = {}) { return {std::move(lines), final_result::ok, 0}; }
  static command_result error(std::vector<std::string> lines = {}) {
    return {std::move(lines), final_result::error, 0};
  }
  static command_result cme(int code) { return {{}, final_result::cme_error, code}; }
  static command_result held() { return {{}, final_result::held, 0}; }
};

}  // namespace agent
