// NMEA 0183 sentences of an epoch: their fields and checksums, against sentences a real SIM7600 prints.
#include <catch2/catch.hpp>

#include "agent/nmea.hpp"

using agent::gnss_report;

namespace {

constexpr std::int64_t t0 = 1'700'000'000;  // 2023-11-14 22:13:20 UTC

gnss_report no_fix() { return {t0, std::nullopt, {}}; }

gnss_report fixed(double speed_mps = 0, double course = 0) {
  gnss_report report{t0, agent::antenna_motion{{31.2223881, 121.3539010667, 44.1}, speed_mps, course}, {}};
  for (int prn : {12, 2, 25, 5, 15, 6, 19, 13, 17}) report.satellites.push_back({prn, 40, 120, 40, prn != 17});
  return report;
}

// Every sentence is $...*hh\r\n with hh the XOR of the bytes between them.
void check_framing(const std::string& sentences) {
  std::size_t start = 0;
  while (start < sentences.size()) {
    const std::size_t end = sentences.find("\r\n", start);
    REQUIRE(end != std::string::npos);
    const std::string line = sentences.substr(start, end - start);
    INFO(line);
    REQUIRE(line.front() == '$');
    const std::size_t star = line.find('*');
    REQUIRE(star == line.size() - 3);
    CHECK(line.substr(star + 1) == agent::nmea_checksum(line.substr(1, star - 1)));
    start = end + 2;
  }
}

}  // namespace

TEST_CASE("nmea: checksums match sentences real receivers print") {
  CHECK(agent::nmea_sentence("GPRMC,,V,,,,,,,,,,N") == "$GPRMC,,V,,,,,,,,,,N*53\r\n");
  CHECK(agent::nmea_checksum("GPGGA,111636.932,2447.0949,N,12100.5223,E,1,11,0.8,118.2,M,,,,0000") == "02");
}

TEST_CASE("nmea: without a fix every sentence is empty, as the SIM7600 prints it while searching") {
  CHECK(agent::nmea_epoch(no_fix(), 31) ==
        "$GPGGA,,,,,,0,,,,,,,,*66\r\n"
        "$GPRMC,,V,,,,,,,,,,N*53\r\n"
        "$GPGSV,1,1,00*79\r\n"
        "$GPGSA,A,1,,,,,,,,,,,,,,,*1E\r\n"
        "$GPVTG,,,,,,,,,N*30\r\n");
}

TEST_CASE("nmea: a fix's GGA, RMC, GSA and VTG") {
  const auto report = fixed();
  CHECK(agent::gga_sentence(report) == agent::nmea_sentence("GPGGA,221320.00,3113.343286,N,12121.234064,E,1,08,0.9,44.1,M,0.0,M,,"));
  CHECK(agent::rmc_sentence(report) == agent::nmea_sentence("GPRMC,221320.00,A,3113.343286,N,12121.234064,E,0.0,,141123,,,A"));
  CHECK(agent::gsa_sentence(report) == agent::nmea_sentence("GPGSA,A,3,12,02,25,05,15,06,19,13,,,,,1.2,0.9,0.8"));
  CHECK(agent::vtg_sentence(report) == agent::nmea_sentence("GPVTG,,T,,M,0.0,N,0.0,K,A"));
  const auto moving = fixed(10.0, 271.25);  // 10 m/s: 19.4 knots, 36 km/h
  CHECK(agent::rmc_sentence(moving) == agent::nmea_sentence("GPRMC,221320.00,A,3113.343286,N,12121.234064,E,19.4,271.2,141123,,,A"));
  CHECK(agent::vtg_sentence(moving) == agent::nmea_sentence("GPVTG,271.2,T,,M,19.4,N,36.0,K,A"));
}

TEST_CASE("nmea: GSV carries four satellites a sentence") {
  const std::string gsv = agent::gsv_sentences(fixed());
  check_framing(gsv);
  CHECK(gsv.rfind("$GPGSV,3,1,09,12,40,120,40,02,40,120,40,25,", 0) == 0);
  CHECK(gsv.find("$GPGSV,3,3,09,17,40,120,40*") != std::string::npos);
}

TEST_CASE("nmea: southern and western coordinates, zero-padded degrees, and the mask picks sentences") {
  CHECK(agent::latitude_field(-5.5) == "0530.000000,S");
  CHECK(agent::longitude_field(-0.25) == "00015.000000,W");
  CHECK(agent::latitude_field(59.99999999999) == "6000.000000,N");  // minutes rounded up into the next degree
  const std::string epoch = agent::nmea_epoch(fixed(), agent::nmea_bits::rmc | agent::nmea_bits::vtg);
  check_framing(epoch);
  CHECK(epoch.find("$GPGGA") == std::string::npos);
  CHECK(epoch.rfind("$GPRMC", 0) == 0);
  CHECK(epoch.find("$GPVTG") != std::string::npos);
  check_framing(agent::nmea_epoch(fixed(3, 45), 511));
}
