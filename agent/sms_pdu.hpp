#pragma once
// sms_pdu: the 3GPP TS 23.040 PDUs of PDU mode — an SMS-DELIVER for AT+CMGR/AT+CMGL, an SMS-SUBMIT read from
// AT+CMGS — as hex text, with the GSM 7-bit default alphabet (23.038; characters outside its basic set become '?').
#include <optional>
#include <string>
#include <string_view>

#include "agent/sms_store.hpp"

namespace agent {

struct encoded_pdu {
  std::string hex;   // SMSC address then the TPDU, upper-case hex
  int tpdu_length;   // the <length> AT+CMGR/CMGL print: octets after the SMSC address
};

// A received (or stored) message as an SMS-DELIVER from `service_centre`.
encoded_pdu deliver_pdu(const std::string& service_centre, const sms_message& message);

struct submitted_sms {
  std::string destination;  // with '+' when international
  std::string text;
};

// The SMS-SUBMIT the host typed after AT+CMGS=<length>: nullopt when the hex is malformed, its TPDU is not
// `tpdu_length` octets, it is not a SUBMIT, or its user data is not 7-bit text.
std::optional<submitted_sms> parse_submit_pdu(std::string_view hex, int tpdu_length);

}  // namespace agent
