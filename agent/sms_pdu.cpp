#include "agent/sms_pdu.hpp"

#include <chrono>
#include <cstdint>
#include <vector>

#include "common/hex.hpp"

namespace agent {
namespace {

using octets = std::vector<std::uint8_t>;

// The basic GSM 7-bit set shares its code points with ASCII except for these three; the rest of ASCII that GSM
// lacks (or puts in its extension table) is sent as '?'.
std::uint8_t to_septet(char c) {
  if (c == '@') return 0x00;
  if (c == '$') return 0x02;
  if (c == '_') return 0x11;
  const bool same = c == '\n' || c == '\r' || (c >= ' ' && c <= 'Z' && c != '$' && c != '@' && c != '`') ||
                    (c >= 'a' && c <= 'z');
  return same ? static_cast<std::uint8_t>(c) : '?';
}

char from_septet(std::uint8_t septet) {
  if (septet == 0x00) return '@';
  if (septet == 0x02) return '$';
  if (septet == 0x11) return '_';
  const char c = static_cast<char>(septet);
  return to_septet(c) == septet ? c : '?';
}

void pack_septets(const std::string& text, octets& out) {
  unsigned bits = 0, carry = 0;
  for (char c : text) {
    carry |= static_cast<unsigned>(to_septet(c)) << bits;
    bits += 7;
    while (bits >= 8) {
      out.push_back(static_cast<std::uint8_t>(carry & 0xFF));
      carry >>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) out.push_back(static_cast<std::uint8_t>(carry & 0xFF));
}

std::string unpack_septets(const octets& data, std::size_t first, int count) {
  std::string text;
  for (int i = 0; i < count; ++i) {
    const std::size_t bit = static_cast<std::size_t>(i) * 7;
    const std::size_t at = first + bit / 8;
    unsigned value = data[at] >> (bit % 8);
    if (bit % 8 > 1) value |= static_cast<unsigned>(data[at + 1]) << (8 - bit % 8);
    text += from_septet(static_cast<std::uint8_t>(value & 0x7F));
  }
  return text;
}

// Decimal digits as swapped semi-octets, an odd count padded with F.
void push_semi_octets(const std::string& digits, octets& out) {
  for (std::size_t i = 0; i < digits.size(); i += 2) {
    const unsigned low = static_cast<unsigned>(digits[i] - '0');
    const unsigned high = i + 1 < digits.size() ? static_cast<unsigned>(digits[i + 1] - '0') : 0xF;
    out.push_back(static_cast<std::uint8_t>(high << 4 | low));
  }
}

struct address {
  std::string digits;
  std::uint8_t type;  // 0x91 international, 0x81 unknown/national
};

address split_address(const std::string& number) {
  if (!number.empty() && number.front() == '+') return {number.substr(1), 0x91};
  return {number, 0x81};
}

std::uint8_t bcd_swapped(int value) { return static_cast<std::uint8_t>((value % 10) << 4 | (value / 10 % 10)); }

std::string to_hex(const octets& data) {
  return common::to_upper_hex(std::string_view(reinterpret_cast<const char*>(data.data()), data.size()));
}

std::optional<octets> from_hex(std::string_view hex) {
  auto bytes = common::from_hex(hex);
  if (!bytes) return std::nullopt;
  return octets(bytes->begin(), bytes->end());
}

}  // namespace

encoded_pdu deliver_pdu(const std::string& service_centre, const sms_message& message) {
  octets out;
  const address centre = split_address(service_centre);
  out.push_back(static_cast<std::uint8_t>((centre.digits.size() + 1) / 2 + 1));
  out.push_back(centre.type);
  push_semi_octets(centre.digits, out);
  const std::size_t tpdu_start = out.size();
  out.push_back(0x04);  // SMS-DELIVER, no more messages to send
  const address originator = split_address(message.address);
  out.push_back(static_cast<std::uint8_t>(originator.digits.size()));
  out.push_back(originator.type);
  push_semi_octets(originator.digits, out);
  out.push_back(0x00);  // PID
  out.push_back(0x00);  // DCS: GSM 7-bit
  using namespace std::chrono;
  sys_seconds local{seconds{message.sent_at + message.time_zone * 15 * 60}};
  auto day = floor<days>(local);
  year_month_day date{day};
  hh_mm_ss clock{local - day};
  for (int field : {static_cast<int>(date.year()) % 100, static_cast<int>(static_cast<unsigned>(date.month())),
                    static_cast<int>(static_cast<unsigned>(date.day())), static_cast<int>(clock.hours().count()),
                    static_cast<int>(clock.minutes().count()), static_cast<int>(clock.seconds().count())}) {
    out.push_back(bcd_swapped(field));
  }
  std::uint8_t zone = bcd_swapped(message.time_zone < 0 ? -message.time_zone : message.time_zone);
  if (message.time_zone < 0) zone |= 0x08;
  out.push_back(zone);
  out.push_back(static_cast<std::uint8_t>(message.text.size()));
  pack_septets(message.text, out);
  return {to_hex(out), static_cast<int>(out.size() - tpdu_start)};
}

std::optional<submitted_sms> parse_submit_pdu(std::string_view hex, int tpdu_length) {
  auto data = from_hex(hex);
  if (!data || data->empty()) return std::nullopt;
  const std::size_t tpdu = 1 + (*data)[0];
  if (tpdu >= data->size() || data->size() - tpdu != static_cast<std::size_t>(tpdu_length)) return std::nullopt;
  std::size_t at = tpdu;
  auto need = [&](std::size_t count) { return at + count <= data->size(); };
  if (!need(3)) return std::nullopt;
  const std::uint8_t first = (*data)[at++];
  if ((first & 0x03) != 0x01) return std::nullopt;  // not an SMS-SUBMIT
  ++at;                                             // message reference
  const std::size_t digit_count = (*data)[at++];
  if (!need(1 + (digit_count + 1) / 2)) return std::nullopt;
  submitted_sms sms;
  if ((*data)[at++] == 0x91) sms.destination = "+";
  for (std::size_t i = 0; i < digit_count; ++i) {
    const std::uint8_t octet = (*data)[at + i / 2];
    const unsigned digit = i % 2 == 0 ? octet & 0xF : octet >> 4;
    if (digit > 9) return std::nullopt;
    sms.destination += static_cast<char>('0' + digit);
  }
  at += (digit_count + 1) / 2;
  if (!need(2)) return std::nullopt;
  ++at;                                      // PID
  if ((*data)[at++] & 0x0C) return std::nullopt;  // only the 7-bit alphabet is taken
  const unsigned validity_format = first >> 3 & 0x03;
  at += validity_format == 0 ? 0 : validity_format == 2 ? 1 : 7;
  if (!need(1)) return std::nullopt;
  const int septets = (*data)[at++];
  if (data->size() - at != static_cast<std::size_t>((septets * 7 + 7) / 8)) return std::nullopt;
  sms.text = unpack_septets(*data, at, septets);
  return sms;
}

}  // namespace agent
