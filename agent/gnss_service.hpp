#pragma once
// gnss_service: the SIM7600's "AT Commands for GPS" (AT+CGPS, AT+CGPSCOLD/WARM/HOT, AT+CGPSINFO, AT+CGNSSINFO,
// AT+CGPSNMEA, AT+CGPSINFOCFG) on one gnss_receiver under the world's gnss_sky, and the module's NMEA port. While
// a session runs, one timer (timer_id::gnss) ticks each second: an epoch, its NMEA sentences on the NMEA port, and
// the periodic reports the host asked for on the AT port. No session, no timer.
#include <cstdint>
#include <functional>
#include <string>

#include "agent/command_table.hpp"
#include "agent/gnss_receiver.hpp"
#include "agent/gnss_sky.hpp"
#include "apca/ports.hpp"

namespace agent {

struct gnss_service_ports {
  apca::timer_port& timers;
  apca::clock_port& clock;  // true UTC: GNSS time does not follow the module's RTC (AT+CCLK, clock skew)
  std::function<void(std::string)> post_urc;  // at_engine::post_urc
};

class gnss_service {
 public:
  // AT+CGPSNMEA and AT+CGPSINFOCFG <config>: bits 0-17 (hosts send 262143 for "all"); only bits 0-4 (GGA, RMC,
  // GSV, GSA, VTG) have sentences here, the GLONASS/Galileo/BeiDou and proprietary ones print nothing.
  static constexpr unsigned all_sentences = 262143;
  static constexpr unsigned max_period = 255;     // seconds, AT+CGPSINFO=<time> and the like
  static constexpr std::size_t max_nmea_backlog = 64 * 1024;  // NMEA bytes kept for a port nobody reads

  gnss_service(gnss_service_ports ports, const gnss_sky& sky);

  void add_to(command_table& table);
  void on_timer();     // timer_id::gnss: one epoch
  // A reboot: the session ends silently and the report periods go back to 0; the ephemeris survives (a power cut
  // makes a new module, which starts cold).
  void power_cycle();

  // What the NMEA port prints: the epochs' sentences since the last call, in order.
  std::string take_nmea_output();
  const gnss_receiver& receiver() const { return receiver_; }

 private:
  command_result read_cgps() const;
  command_result set_cgps(const at_params& params);
  command_result start_session(std::optional<gnss_start> kind);
  command_result cgpsinfo() const;
  command_result cgnssinfo() const;
  void tick_later();

  gnss_service_ports ports_;
  const gnss_sky& sky_;
  gnss_receiver receiver_;
  int mode_ = 1;                 // AT+CGPS <mode>: 1 standalone, 2 UE-based, 3 UE-assisted
  int cgpsinfo_period_ = 0;      // AT+CGPSINFO=<time>: a +CGPSINFO URC every <time> s (0: none)
  int cgnssinfo_period_ = 0;     // AT+CGNSSINFO=<time>
  int infocfg_period_ = 0;       // AT+CGPSINFOCFG=<time>,<config>: NMEA on the AT port every <time> s
  int infocfg_sentences_ = 31;
  int nmea_sentences_ = all_sentences;  // AT+CGPSNMEA: the NMEA port's sentences
  std::int64_t epochs_ = 0;      // of this session
  std::string nmea_output_;
};

}  // namespace agent
