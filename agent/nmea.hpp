#pragma once
// nmea: NMEA 0183 sentences of one GNSS epoch (GGA, RMC, GSV, GSA, VTG with the GP talker, as the SIM7600's NMEA
// port prints them), and the coordinate, date and time fields AT+CGPSINFO and AT+CGNSSINFO share with them.
#include <cstdint>
#include <string>
#include <string_view>

#include "agent/gnss_receiver.hpp"

namespace agent {

// AT+CGPSNMEA / AT+CGPSINFOCFG bits: which sentences an epoch prints.
namespace nmea_bits {
inline constexpr unsigned gga = 1u << 0;
inline constexpr unsigned rmc = 1u << 1;
inline constexpr unsigned gsv = 1u << 2;
inline constexpr unsigned gsa = 1u << 3;
inline constexpr unsigned vtg = 1u << 4;
}  // namespace nmea_bits

// The XOR of the bytes between '$' and '*' as two upper-case hex digits.
std::string nmea_checksum(std::string_view body);
// "$<body>*<checksum>\r\n".
std::string nmea_sentence(std::string_view body);

// ddmm.mmmmmm,N|S and dddmm.mmmmmm,E|W (six decimals of a minute, as the SIM7600 prints them).
std::string latitude_field(double degrees);
std::string longitude_field(double degrees);
std::string date_field(std::int64_t utc);                  // ddmmyy
std::string time_field(std::int64_t utc, int decimals);    // hhmmss[.s...]
double knots(double metres_per_second);
std::string decimal_field(double value, int decimals);  // "%.<decimals>f"

std::string gga_sentence(const gnss_report& report);
std::string rmc_sentence(const gnss_report& report);
std::string gsv_sentences(const gnss_report& report);  // 4 satellites a sentence
std::string gsa_sentence(const gnss_report& report);
std::string vtg_sentence(const gnss_report& report);
// The sentences `mask` (nmea_bits) selects, in bit order.
std::string nmea_epoch(const gnss_report& report, unsigned mask);

}  // namespace agent
