#include "agent/gnss_service.hpp"

#include <cstdio>
#include <utility>

#include "agent/nmea.hpp"

namespace agent {
namespace {

std::string one_decimal(double value) { return decimal_field(value, 1); }

// The fields AT+CGPSINFO and AT+CGNSSINFO share: lat,N/S,log,E/W,date,UTC time,alt,speed,course (time hhmmss.s,
// altitude in metres, speed in knots; the course is empty while standing, as real modules print it).
std::string position_fields(const gnss_report& report) {
  const antenna_motion& m = *report.fix;
  return latitude_field(m.where.latitude) + "," + longitude_field(m.where.longitude) + "," + date_field(report.utc) +
         "," + time_field(report.utc, 1) + "," + one_decimal(m.where.altitude) + "," + one_decimal(knots(m.speed_mps)) +
         "," + (m.speed_mps > 0 ? one_decimal(m.course_deg) : "");
}

// +CGPSINFO: [<lat>],[<N/S>],[<log>],[<E/W>],[<date>],[<UTC time>],[<alt>],[<speed>],[<course>]
std::string cgpsinfo_line(const gnss_report& report) {
  return "+CGPSINFO: " + (report.fix ? position_fields(report) : std::string(",,,,,,,,"));
}

// +CGNSSINFO: [<mode>],[<GPS-SVs>],[<GLONASS-SVs>],[<BEIDOU-SVs>],<the +CGPSINFO fields>,[<PDOP>],[<HDOP>],[<VDOP>]
// (<mode> 2 = 2D, 3 = 3D fix; the emulated constellation is GPS only).
std::string cgnssinfo_line(const gnss_report& report) {
  if (!report.fix) return "+CGNSSINFO: ,,,,,,,,,,,,,,,";
  char satellites[32];
  std::snprintf(satellites, sizeof satellites, "3,%02d,00,00,", report.satellites_used());
  return "+CGNSSINFO: " + std::string(satellites) + position_fields(report) + "," + one_decimal(gnss_report::pdop) +
         "," + one_decimal(gnss_report::hdop) + "," + one_decimal(gnss_report::vdop);
}

// Each NMEA sentence as a line of its own on the AT port (AT+CGPSINFOCFG).
void post_sentences(const std::string& sentences, const std::function<void(std::string)>& post_urc) {
  std::size_t start = 0;
  while (start < sentences.size()) {
    const std::size_t end = sentences.find("\r\n", start);
    post_urc(sentences.substr(start, end - start));
    start = end + 2;
  }
}

form_answer store_period(int& period) {
  return [&period](const at_params& params) {
    period = params.integer(0);
    return command_result::ok();
  };
}

bool due(std::int64_t epochs, int period) { return period > 0 && epochs % period == 0; }

}  // namespace

gnss_service::gnss_service(gnss_service_ports ports, const gnss_sky& sky) : ports_(std::move(ports)), sky_(sky) {}

// The forms, ranges and answers below are the manual's GPS chapter as recalled here (its text could not be read while
// writing this) and as host code in the wild sends and parses them (TinyGSM's SIM7600 driver: AT+CGPS=1/0 and
// AT+CGNSSINFO; AT+CGPSINFOCFG=<s>,<bits> for NMEA on the AT port, AT+CGPSNMEA=262143).
void gnss_service::add_to(command_table& table) {
  table.add({.name = "+CGPS",
             .test = answer({"+CGPS: (0,1),(1-3)"}),
             .read = handler(*this, &gnss_service::read_cgps),
             .set = handler(*this, &gnss_service::set_cgps),
             .set_args = {integer(0, 1), optional(integer(1, 3))}});
  // Cold, warm and hot starts: a session begins as each says, only while none runs (stop it with AT+CGPS=0).
  const std::pair<const char*, gnss_start> starts[] = {
      {"+CGPSCOLD", gnss_start::cold}, {"+CGPSWARM", gnss_start::warm}, {"+CGPSHOT", gnss_start::hot}};
  for (const auto& [name, kind] : starts) {
    table.add({.name = name, .test = answer_ok(), .action = [this, kind = kind] { return start_session(kind); }});
  }
  const auto period_row = [](std::string name, int& period, form_answer action) {
    return command_row{.name = name,
                       .test = answer({name + ": (0-255)"}),
                       .read = [name, &period] { return command_result::ok({name + ": " + std::to_string(period)}); },
                       .set = store_period(period),
                       .set_args = {integer(0, max_period)},
                       .action = std::move(action)};
  };
  table.add(period_row("+CGPSINFO", cgpsinfo_period_, handler(*this, &gnss_service::cgpsinfo)));
  table.add(period_row("+CGNSSINFO", cgnssinfo_period_, handler(*this, &gnss_service::cgnssinfo)));
  table.add({.name = "+CGPSNMEA",
             .test = answer({"+CGPSNMEA: (0-262143)"}),
             .read = [this] { return command_result::ok({"+CGPSNMEA: " + std::to_string(nmea_sentences_)}); },
             .set = [this](const at_params& params) {
               nmea_sentences_ = params.integer(0);
               return command_result::ok();
             },
             .set_args = {integer(0, all_sentences)}});
  table.add({.name = "+CGPSINFOCFG",
             .test = answer({"+CGPSINFOCFG: (0-255),(0-262143)"}),
             .read = [this] {
               return command_result::ok({"+CGPSINFOCFG: " + std::to_string(infocfg_period_) + "," +
                                          std::to_string(infocfg_sentences_)});
             },
             .set = [this](const at_params& params) {
               infocfg_period_ = params.integer(0);
               infocfg_sentences_ = params.integer(1, infocfg_sentences_);
               return command_result::ok();
             },
             .set_args = {integer(0, max_period), optional(integer(0, all_sentences))}});
}

command_result gnss_service::read_cgps() const {
  return command_result::ok({"+CGPS: " + std::string(receiver_.running() ? "1," : "0,") + std::to_string(mode_)});
}

// AT+CGPS=<on>[,<mode>]: starting a running session, or stopping a stopped one, is an error; a stop answers OK,
// then +CGPS: 0 once the session has ended.
command_result gnss_service::set_cgps(const at_params& params) {
  if (params.integer(0) == 0) {
    if (!receiver_.running()) return command_result::error();
    receiver_.stop();
    ports_.timers.cancel_timer(apca::timer_id::gnss);
    ports_.post_urc("+CGPS: 0");
    return command_result::ok();
  }
  if (receiver_.running()) return command_result::error();
  mode_ = params.integer(1, 1);
  return start_session(std::nullopt);
}

command_result gnss_service::start_session(std::optional<gnss_start> kind) {
  if (receiver_.running()) return command_result::error();
  receiver_.start(kind, ports_.clock.unix_seconds());
  epochs_ = 0;
  tick_later();
  return command_result::ok();
}

command_result gnss_service::cgpsinfo() const { return command_result::ok({cgpsinfo_line(receiver_.last_report())}); }

command_result gnss_service::cgnssinfo() const {
  return command_result::ok({cgnssinfo_line(receiver_.last_report())});
}

void gnss_service::tick_later() {
  ports_.timers.start_timer(apca::timer_id::gnss, std::chrono::duration_cast<std::chrono::milliseconds>(gnss_receiver::epoch));
}

void gnss_service::on_timer() {
  if (!receiver_.running()) return;
  const gnss_report& report = receiver_.run_epoch(sky_, ports_.clock.unix_seconds());
  ++epochs_;
  nmea_output_ += nmea_epoch(report, static_cast<unsigned>(nmea_sentences_));
  if (nmea_output_.size() > max_nmea_backlog) nmea_output_.erase(0, nmea_output_.size() - max_nmea_backlog);
  if (due(epochs_, cgpsinfo_period_)) ports_.post_urc(cgpsinfo_line(report));
  if (due(epochs_, cgnssinfo_period_)) ports_.post_urc(cgnssinfo_line(report));
  if (due(epochs_, infocfg_period_)) post_sentences(nmea_epoch(report, static_cast<unsigned>(infocfg_sentences_)), ports_.post_urc);
  tick_later();
}

void gnss_service::power_cycle() {
  receiver_.stop();
  ports_.timers.cancel_timer(apca::timer_id::gnss);
  cgpsinfo_period_ = cgnssinfo_period_ = infocfg_period_ = 0;
  nmea_output_.clear();
}

std::string gnss_service::take_nmea_output() { return std::exchange(nmea_output_, {}); }

}  // namespace agent
