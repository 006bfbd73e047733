#pragma once
// ntp_packet: the 48-byte NTPv4 header (RFC 5905 §7.3) as an SNTP client needs it (RFC 4330 §5): the request a
// client sends, and the checks and time of a server's answer. Bytes in, values out; no clock, no socket.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace agent {

// An NTP timestamp: seconds since 1900 (era 0, or era 1 from 2036 on) and a binary fraction of a second.
struct ntp_timestamp {
  std::uint32_t seconds = 0;
  std::uint32_t fraction = 0;
  bool operator==(const ntp_timestamp&) const = default;
};

// Unix seconds as an NTP timestamp (a fraction the caller chooses), and back: a timestamp with the top bit clear
// is read as era 1 (2036-2104), RFC 4330 §3's rule.
ntp_timestamp ntp_from_unix(std::int64_t unix_seconds, std::uint32_t fraction = 0);
std::int64_t unix_from_ntp(ntp_timestamp time);

inline constexpr std::size_t ntp_header_size = 48;

// A client request (version 4, mode 3) whose transmit timestamp is `sent`: the server copies it into its answer's
// origin timestamp, which is how the answer is matched to this request.
std::string encode_ntp_request(ntp_timestamp sent);

// Why an answer cannot set a clock.
enum class ntp_answer_error {
  too_short,        // under the 48-byte header
  not_a_server,     // mode other than 4 (server), or a version outside 1-4
  unsynchronised,   // leap indicator 3 (alarm): the server's own clock is not set
  kiss_of_death,    // stratum 0 (a kiss code such as RATE or DENY) or beyond 15
  not_our_request,  // origin timestamp is not the transmit timestamp of the request
  no_time,          // transmit timestamp is zero
};

struct ntp_answer {
  ntp_timestamp received;     // T2: when the server took the request
  ntp_timestamp transmitted;  // T3: when it sent the answer
  int stratum = 0;
};

struct ntp_decoded {
  std::optional<ntp_answer> answer;
  ntp_answer_error error = ntp_answer_error::too_short;  // when there is no answer
};

// Checks a server's datagram against the request that carried `sent`; extension fields and a MAC after the header
// are ignored.
ntp_decoded decode_ntp_answer(std::string_view datagram, ntp_timestamp sent);

}  // namespace agent
