#include "agent/result_codes.hpp"

#include <algorithm>
#include <array>

namespace agent {
namespace {

struct coded_text {
  int code;
  std::string_view text;
};

template <std::size_t N>
std::string_view text_of(const std::array<coded_text, N>& texts, int code, std::string_view fallback) {
  auto it = std::find_if(texts.begin(), texts.end(), [code](const coded_text& e) { return e.code == code; });
  return it == texts.end() ? fallback : it->text;
}

}  // namespace

std::string_view cme_error_text(int code) {
  // 3GPP TS 27.007 texts as the SIM7600 prints them with AT+CMEE=2.
  static constexpr std::array<coded_text, 28> texts{{
      {0, "phone failure"},
      {1, "no connection to phone"},
      {2, "phone adaptor link reserved"},
      {3, "operation not allowed"},
      {4, "operation not supported"},
      {5, "PH-SIM PIN required"},
      {10, "SIM not inserted"},
      {11, "SIM PIN required"},
      {12, "SIM PUK required"},
      {13, "SIM failure"},
      {14, "SIM busy"},
      {15, "SIM wrong"},
      {16, "incorrect password"},
      {17, "SIM PIN2 required"},
      {18, "SIM PUK2 required"},
      {20, "memory full"},
      {21, "invalid index"},
      {22, "not found"},
      {23, "memory failure"},
      {24, "text string too long"},
      {25, "invalid characters in text string"},
      {26, "dial string too long"},
      {27, "invalid characters in dial string"},
      {30, "no network service"},
      {31, "network timeout"},
      {32, "network not allowed - emergency calls only"},
      {50, "incorrect parameters"},
      {100, "unknown"},
  }};
  return text_of(texts, code, "unknown");
}

std::string_view cms_error_text(int code) {
  // 3GPP TS 27.005 §3.2.5.
  static constexpr std::array<coded_text, 22> texts{{
      {300, "ME failure"},
      {301, "SMS service of ME reserved"},
      {302, "operation not allowed"},
      {303, "operation not supported"},
      {304, "invalid PDU mode parameter"},
      {305, "invalid text mode parameter"},
      {310, "SIM not inserted"},
      {311, "SIM PIN required"},
      {312, "PH-SIM PIN required"},
      {313, "SIM failure"},
      {314, "SIM busy"},
      {315, "SIM wrong"},
      {316, "SIM PUK required"},
      {317, "SIM PIN2 required"},
      {318, "SIM PUK2 required"},
      {320, "memory failure"},
      {321, "invalid memory index"},
      {322, "memory full"},
      {330, "SMSC address unknown"},
      {331, "no network service"},
      {332, "network timeout"},
      {500, "unknown error"},
  }};
  return text_of(texts, code, "unknown error");
}

result_code_text result_code(final_result final, int error_code, int cmee, bool verbose) {
  // An SMS error is always +CMS ERROR (27.005 §3.2.5); AT+CMEE only chooses its number or its text.
  if (final == final_result::cms_error) {
    return {"+CMS ERROR: " + (cmee == 2 ? std::string(cms_error_text(error_code)) : std::to_string(error_code))};
  }
  if (final == final_result::cme_error && cmee != 0) {
    return {"+CME ERROR: " + (cmee == 2 ? std::string(cme_error_text(error_code)) : std::to_string(error_code))};
  }
  if (final == final_result::no_carrier) return verbose ? result_code_text{"NO CARRIER"} : result_code_text{"3", true};
  const bool ok = final == final_result::ok;
  if (verbose) return {ok ? "OK" : "ERROR"};
  return {ok ? "0" : "4", true};
}

}  // namespace agent
