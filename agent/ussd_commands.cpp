// AT+CUSD (27.007 §7.15): USSD strings sent to the network and its answers as +CUSD URCs after the OK, a menu's
// reply sent with another AT+CUSD=1,"<reply>", AT+CUSD=2 ending the session. What the network answers is
// agent/ussd_network (set by the control API). Strings follow AT+CSCS: as typed in "IRA" and "GSM", as hex
// UCS2 in "UCS2" (what gammu sends once it chose UCS2).
#include <cstdint>
#include <optional>
#include <string>

#include "agent/modem_commands.hpp"
#include "apca/ada_text.hpp"

namespace agent {
namespace {

// The network's answers are GSM 7-bit text (3GPP TS 23.038 <dcs> 15: language unspecified).
constexpr int gsm_7bit_dcs = 15;
// 3GPP TS 24.090: a USSD string holds at most 182 characters (hex UCS2 takes four per character).
constexpr std::size_t max_ussd_length = 182;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

void append_utf8(std::string& out, std::uint32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// "002A0031" -> "*1": four hex digits per UCS2 character; nullopt when the text is not that.
std::optional<std::string> from_ucs2_hex(const std::string& hex) {
  if (hex.size() % 4 != 0) return std::nullopt;
  std::string text;
  for (std::size_t i = 0; i < hex.size(); i += 4) {
    std::uint32_t code = 0;
    for (std::size_t j = i; j < i + 4; ++j) {
      const int digit = hex_value(hex[j]);
      if (digit < 0) return std::nullopt;
      code = code * 16 + static_cast<std::uint32_t>(digit);
    }
    append_utf8(text, code);
  }
  return text;
}

// UTF-8 text as hex UCS2 (characters beyond the BMP, which UCS2 cannot hold, become '?').
std::string to_ucs2_hex(const std::string& text) {
  static const char digits[] = "0123456789ABCDEF";
  std::string hex;
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    std::uint32_t code = byte;
    std::size_t length = 1;
    if (byte >= 0xF0) {
      code = '?';
      length = 4;
    } else if (byte >= 0xE0 && i + 2 < text.size()) {
      code = ((byte & 0x0Fu) << 12) | ((text[i + 1] & 0x3Fu) << 6) | (text[i + 2] & 0x3Fu);
      length = 3;
    } else if (byte >= 0xC0 && i + 1 < text.size()) {
      code = ((byte & 0x1Fu) << 6) | (text[i + 1] & 0x3Fu);
      length = 2;
    }
    for (int shift = 12; shift >= 0; shift -= 4) hex += digits[(code >> shift) & 0xF];
    i += length;
  }
  return hex;
}

bool ucs2(const modem_context& modem) { return modem.host_init.character_set == "UCS2"; }

std::string cusd_line(const modem_context& modem, const ussd_answer& answer) {
  std::string line = "+CUSD: " + std::to_string(answer.m);
  if (answer.text.empty()) return line;
  const std::string text = ucs2(modem) ? to_ucs2_hex(answer.text) : answer.text;
  return line + "," + apca::quote_at_string(text) + "," + std::to_string(gsm_7bit_dcs);
}

command_result read_cusd(modem_context& modem) {
  return command_result::ok({"+CUSD: " + std::to_string(modem.host_init.ussd_reports)});
}

// AT+CUSD=<n>[,<str>[,<dcs>]]: <n> 2 ends the session; a <str> goes to the network, whose answer follows the OK
// as +CUSD while <n> is 1.
command_result set_cusd(modem_context& modem, const at_params& params) {
  ussd_network& network = modem.world.ussd();
  if (params.integer(0) == 2) {
    network.cancel();
    return command_result::ok();
  }
  if (!params.has(1)) {
    modem.host_init.ussd_reports = params.integer(0);
    return command_result::ok();
  }
  const auto text = ucs2(modem) ? from_ucs2_hex(params.text(1)) : std::optional(params.text(1));
  if (!text || text->size() > max_ussd_length) return command_result::error();
  if (auto code = modem.sim_unusable()) return command_result::cme(*code);
  if (!modem.world.voice_service()) return command_result::cme(30);  // no network service
  modem.host_init.ussd_reports = params.integer(0);
  const ussd_answer answer = network.request(*text);
  if (modem.host_init.ussd_reports == 1) modem.ports.post_urc(cusd_line(modem, answer));
  return command_result::ok();
}

}  // namespace

void add_ussd_commands(command_table& table, modem_context& modem) {
  table.add({.name = "+CUSD",
             .test = answer({"+CUSD: (0-2)"}),
             .read = handler(modem, read_cusd),
             .set = handler(modem, set_cusd),
             .set_args = {integer(0, 2), optional(text(4 * max_ussd_length)), optional(integer(0, 255))}});
}

}  // namespace agent
