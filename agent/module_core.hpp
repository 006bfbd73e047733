#pragma once
// module_core: one emulated SIM7600 as seen from its AT port — the V.250 engine, the SIM7600 command set, the
// AT+ADA table and the APCA service, plus power-on/reboot. Sans-I/O: the runtime feeds it host bytes and timer
// expiries, and writes out what take_output() returns after each call.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "apca/cloud_port.hpp"
#include "apca/ports.hpp"
#include "config_store/nv_image.hpp"

namespace apca {
class service;
}

namespace agent {

class radio_world;
struct world_effects;
class ntp_client;
class ntp_port;
class socket_port;
class socket_service;
class voice_call;
enum class call_event;
class stream_port;
class stream_events;
class gnss_service;

struct module_identity {
  std::string manufacturer = "SIMCOM INCORPORATED";
  std::string model = "SIMCOM_SIM7600E-L1C";
  std::string imei = "867584030000000";
  std::string imsi = "460011234567890";
  std::string iccid = "89860112345678901234";
  std::string msisdn = "13912345678";  // the SIM's own number (AT+CNUM)
};

struct module_options {
  module_identity identity;
  std::chrono::milliseconds boot_delay{2000};  // power-on to RDY
  // At every boot, dial context 1 and take the network's time (an always-on profile) instead of waiting for the
  // host's AT+CAPNET and AT+CHTTPUPDATE.
  bool network_auto = false;
};

class module_core {
 public:
  // `cloud` is the way to the device service; without one the cloud commands answer "not supported".
  // `sockets` carries the TCP/IP service (AT+CIPOPEN...); without one every open fails with a network failure.
  // `streams` carries the SSL and HTTP(S) services (AT+CCHOPEN, AT+HTTPACTION), `ntp` AT+CNTP's queries; without
  // them every open fails to connect and every NTP server is unreachable.
  module_core(module_options options, apca::timer_port& timers, apca::clock_port& clock, apca::nv_port& nv,
              config_store::nv_image stored_nv, apca::cloud_port* cloud = nullptr, socket_port* sockets = nullptr,
              stream_port* streams = nullptr, ntp_port* ntp = nullptr);
  ~module_core();

  void power_on();                     // boot: after boot_delay prints RDY, +CPIN: READY, SMS DONE, PB DONE
  void feed(std::string_view bytes);   // bytes from the host (ignored while booting, as on the real module)
  void host_disconnected();            // the client closed the port: a partial command line is dropped
  void reboot();                       // as AT+CRESET: after a running command line's final result, silent until RDY
                                       // (power_on() after AT+CPOF or a power down starts the module again)
  void on_timer(apca::timer_id id);
  void output_drained();               // every port has written all it was given (paces OTA image parts)
  bool awaits_output_drained() const;  // output is held back until then: the I/O layer reports drains only now
  std::string take_output();           // bytes for the host, in order; empty when there are none
  std::string take_nmea_output();      // bytes for the NMEA port (one burst a second while GNSS runs)

  // Whether some data call is up: the one predicate TCP/IP traffic and the ADA agent's link depend on.
  bool data_call_up() const;

  apca::service& service();
  // The world around the module (SIM, radio, network, clock, supply), for the control API's `state`.
  const radio_world& world() const;
  // Makes something happen in the world (`[](radio_world& w) { return w.coverage_lost(); }`, see radio_world.hpp
  // for the events); the host then sees its URCs, and the module powers down when the event says so. With
  // network_auto, context 1 comes back up as soon as the world can carry it (coverage restored, SIM back).
  void world_event(const std::function<world_effects(radio_world&)>& event);
  socket_service& sockets();  // the I/O layer reports socket events here
  // The far end or the network acts on the voice call (`call_event::network_offers` with the caller's number,
  // `far_end_answers`, ...); false when the call is not in a phase that allows it. The host sees its URCs.
  bool call_event_from_network(call_event event, const std::string& number = {});
  const voice_call& call() const;  // for the control API's `state`
  stream_events& streams();   // and the SSL and HTTP(S) services' stream events here
  const gnss_service& gnss() const;  // the GNSS session, for the control API's `state`
  ntp_client& ntp();          // and AT+CNTP's answers here

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace agent
