#include "agent/nmea.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace agent {
namespace {

std::string printf_text(const char* pattern, auto... values) {
  char buffer[64];
  const int n = std::snprintf(buffer, sizeof buffer, pattern, values...);
  return std::string(buffer, static_cast<std::size_t>(std::max(n, 0)));
}

// Degrees as whole degrees (`width` digits) and minutes with six decimals, then the hemisphere.
std::string coordinate(double degrees, int width, char positive, char negative) {
  const double magnitude = std::fabs(degrees);
  int whole = static_cast<int>(magnitude);
  double minutes = std::round((magnitude - whole) * 60.0 * 1e6) / 1e6;
  if (minutes >= 60.0) {  // rounding reached the next degree
    minutes -= 60.0;
    ++whole;
  }
  return printf_text("%0*d%09.6f,%c", width, whole, minutes, degrees < 0 ? negative : positive);
}

std::tm utc_fields(std::int64_t utc) {
  const std::time_t t = static_cast<std::time_t>(utc);
  std::tm fields{};
  gmtime_r(&t, &fields);
  return fields;
}

// Speed and course fields: the course is empty while standing (no direction of travel).
std::string course_field(const antenna_motion& m) { return m.speed_mps > 0 ? printf_text("%.1f", m.course_deg) : ""; }

}  // namespace

std::string nmea_checksum(std::string_view body) {
  unsigned char sum = 0;
  for (char c : body) sum ^= static_cast<unsigned char>(c);
  return printf_text("%02X", sum);
}

std::string nmea_sentence(std::string_view body) {
  return "$" + std::string(body) + "*" + nmea_checksum(body) + "\r\n";
}

std::string latitude_field(double degrees) { return coordinate(degrees, 2, 'N', 'S'); }
std::string longitude_field(double degrees) { return coordinate(degrees, 3, 'E', 'W'); }

std::string date_field(std::int64_t utc) {
  const std::tm f = utc_fields(utc);
  return printf_text("%02d%02d%02d", f.tm_mday, f.tm_mon + 1, f.tm_year % 100);
}

std::string time_field(std::int64_t utc, int decimals) {
  const std::tm f = utc_fields(utc);
  std::string text = printf_text("%02d%02d%02d", f.tm_hour, f.tm_min, f.tm_sec);
  if (decimals > 0) text += "." + std::string(static_cast<std::size_t>(decimals), '0');
  return text;
}

double knots(double metres_per_second) { return metres_per_second * 3600.0 / 1852.0; }

std::string decimal_field(double value, int decimals) { return printf_text("%.*f", decimals, value); }

std::string gga_sentence(const gnss_report& report) {
  if (!report.fix) return nmea_sentence("GPGGA,,,,,,0,,,,,,,,");
  const antenna_motion& m = *report.fix;
  return nmea_sentence("GPGGA," + time_field(report.utc, 2) + "," + latitude_field(m.where.latitude) + "," +
                       longitude_field(m.where.longitude) + ",1," + printf_text("%02d", report.satellites_used()) + "," +
                       printf_text("%.1f,%.1f", gnss_report::hdop, m.where.altitude) + ",M,0.0,M,,");
}

std::string rmc_sentence(const gnss_report& report) {
  if (!report.fix) return nmea_sentence("GPRMC,,V,,,,,,,,,,N");
  const antenna_motion& m = *report.fix;
  return nmea_sentence("GPRMC," + time_field(report.utc, 2) + ",A," + latitude_field(m.where.latitude) + "," +
                       longitude_field(m.where.longitude) + "," + printf_text("%.1f", knots(m.speed_mps)) + "," +
                       course_field(m) + "," + date_field(report.utc) + ",,,A");
}

std::string gsv_sentences(const gnss_report& report) {
  const auto& sats = report.satellites;
  if (sats.empty()) return nmea_sentence("GPGSV,1,1,00");
  const std::size_t total = (sats.size() + 3) / 4;
  std::string sentences;
  for (std::size_t n = 0; n < total; ++n) {
    std::string body = printf_text("GPGSV,%zu,%zu,%02zu", total, n + 1, sats.size());
    for (std::size_t i = n * 4; i < std::min(sats.size(), n * 4 + 4); ++i) {
      const auto& s = sats[i];
      body += printf_text(",%02d,%02d,%03d,", s.prn, s.elevation_deg, s.azimuth_deg);
      if (s.snr_dbhz) body += printf_text("%02d", *s.snr_dbhz);
    }
    sentences += nmea_sentence(body);
  }
  return sentences;
}

std::string gsa_sentence(const gnss_report& report) {
  // 12 positions for the satellites in the fix, then PDOP, HDOP, VDOP.
  std::string body = std::string("GPGSA,A,") + (report.fix ? "3" : "1");
  int listed = 0;
  for (const auto& s : report.satellites) {
    if (!s.used || listed == 12) continue;
    body += printf_text(",%02d", s.prn);
    ++listed;
  }
  for (; listed < 12; ++listed) body += ",";
  body += report.fix ? printf_text(",%.1f,%.1f,%.1f", gnss_report::pdop, gnss_report::hdop, gnss_report::vdop) : ",,,";
  return nmea_sentence(body);
}

std::string vtg_sentence(const gnss_report& report) {
  if (!report.fix) return nmea_sentence("GPVTG,,,,,,,,,N");
  const antenna_motion& m = *report.fix;
  return nmea_sentence("GPVTG," + course_field(m) + ",T,,M," + printf_text("%.1f", knots(m.speed_mps)) + ",N," +
                       printf_text("%.1f", m.speed_mps * 3.6) + ",K,A");
}

std::string nmea_epoch(const gnss_report& report, unsigned mask) {
  std::string out;
  if (mask & nmea_bits::gga) out += gga_sentence(report);
  if (mask & nmea_bits::rmc) out += rmc_sentence(report);
  if (mask & nmea_bits::gsv) out += gsv_sentences(report);
  if (mask & nmea_bits::gsa) out += gsa_sentence(report);
  if (mask & nmea_bits::vtg) out += vtg_sentence(report);
  return out;
}

}  // namespace agent
