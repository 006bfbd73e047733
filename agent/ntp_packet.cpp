#include "agent/ntp_packet.hpp"

namespace agent {
namespace {

// 1900-01-01 to 1970-01-01.
constexpr std::int64_t unix_epoch_in_ntp = 2'208'988'800;
constexpr std::int64_t era_seconds = std::int64_t{1} << 32;

// Header fields (RFC 5905 figure 8).
constexpr std::size_t stratum_at = 1;
constexpr std::size_t origin_at = 24;
constexpr std::size_t receive_at = 32;
constexpr std::size_t transmit_at = 40;
constexpr int mode_client = 3;
constexpr int mode_server = 4;
constexpr int version = 4;
constexpr int leap_alarm = 3;

std::uint32_t read_u32(std::string_view bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
  return value;
}

void write_u32(std::string& bytes, std::size_t at, std::uint32_t value) {
  for (std::size_t i = 0; i < 4; ++i) bytes[at + i] = static_cast<char>((value >> (24 - 8 * i)) & 0xff);
}

ntp_timestamp read_timestamp(std::string_view bytes, std::size_t at) {
  return {read_u32(bytes, at), read_u32(bytes, at + 4)};
}

ntp_decoded refused(ntp_answer_error error) { return {std::nullopt, error}; }

}  // namespace

ntp_timestamp ntp_from_unix(std::int64_t unix_seconds, std::uint32_t fraction) {
  return {static_cast<std::uint32_t>((unix_seconds + unix_epoch_in_ntp) % era_seconds), fraction};
}

std::int64_t unix_from_ntp(ntp_timestamp time) {
  const bool era_one = (time.seconds & 0x8000'0000u) == 0;
  return static_cast<std::int64_t>(time.seconds) + (era_one ? era_seconds : 0) - unix_epoch_in_ntp;
}

std::string encode_ntp_request(ntp_timestamp sent) {
  std::string request(ntp_header_size, '\0');
  request[0] = static_cast<char>((version << 3) | mode_client);  // leap indicator 0
  write_u32(request, transmit_at, sent.seconds);
  write_u32(request, transmit_at + 4, sent.fraction);
  return request;
}

ntp_decoded decode_ntp_answer(std::string_view datagram, ntp_timestamp sent) {
  if (datagram.size() < ntp_header_size) return refused(ntp_answer_error::too_short);
  const auto first = static_cast<unsigned char>(datagram[0]);
  const int leap = first >> 6;
  const int answer_version = (first >> 3) & 7;
  if ((first & 7) != mode_server || answer_version < 1 || answer_version > 4) {
    return refused(ntp_answer_error::not_a_server);
  }
  if (leap == leap_alarm) return refused(ntp_answer_error::unsynchronised);
  const int stratum = static_cast<unsigned char>(datagram[stratum_at]);
  if (stratum == 0 || stratum > 15) return refused(ntp_answer_error::kiss_of_death);
  if (!(read_timestamp(datagram, origin_at) == sent)) return refused(ntp_answer_error::not_our_request);
  const ntp_timestamp transmitted = read_timestamp(datagram, transmit_at);
  if (transmitted == ntp_timestamp{}) return refused(ntp_answer_error::no_time);
  return {ntp_answer{read_timestamp(datagram, receive_at), transmitted, stratum}, {}};
}

}  // namespace agent
