// The base-station location service: AT+CLBS answers the serving cell's position as the network's location server
// knows it (radio_world::serving_cell_position, which the control API's `cell position` moves).
#include <cstdio>
#include <ctime>

#include "agent/modem_commands.hpp"

namespace agent {
namespace {

// The SIM7600 manual's page for AT+CLBS was not at hand. The forms and the answer's field order (latitude before
// longitude, accuracy in metres, then yyyy/MM/dd,hh:mm:ss in UTC for <type> 4) are those TinyGSM's SIM7600
// driver sends and parses; <locationcode> 0 is success and 3 a network error (no data call on <cid>), the codes of
// SIMCom's location application notes.
constexpr int located = 0;
constexpr int network_error = 3;
constexpr int with_lat_lon = 1;   // <type> 1: latitude, longitude, accuracy
constexpr int with_time = 4;      // <type> 4: the same and the date and time

std::string position_fields(const cell_position& cell) {
  char text[64];
  std::snprintf(text, sizeof text, "%.6f,%.6f,%d", cell.latitude, cell.longitude, cell.accuracy_m);
  return text;
}

std::string date_time_fields(std::int64_t utc) {
  const std::time_t seconds = static_cast<std::time_t>(utc);
  std::tm fields{};
  gmtime_r(&seconds, &fields);
  char text[32];
  std::strftime(text, sizeof text, "%Y/%m/%d,%H:%M:%S", &fields);
  return text;
}

command_result run_clbs(modem_context& modem, const at_params& params) {
  const int type = params.integer(0);
  if (!modem.packet.call_up(params.integer(1))) {
    return command_result::ok({"+CLBS: " + std::to_string(network_error)});
  }
  std::string line = "+CLBS: " + std::to_string(located) + "," + position_fields(modem.world.serving_cell_position());
  // The location server's clock, not the module's: the answer carries the network's time.
  if (type == with_time) line += "," + date_time_fields(modem.ports.clock.unix_seconds());
  return command_result::ok({line});
}

}  // namespace

void add_location_commands(command_table& table, modem_context& modem) {
  table.add({.name = "+CLBS",
             .test = answer({"+CLBS: (1,4),(1-24)"}),
             .set = handler(modem, run_clbs),
             .set_args = {integer_of({with_lat_lon, with_time}),
                          integer(modem_state::min_cid, modem_state::max_cid)}});
}

}  // namespace agent
