// The packet domain: AT+CGDCONT (contexts), AT+CGATT (attach), AT+CGACT (activation), AT+CGPADDR (addresses) and
// AT+CGEREP (+CGEV reports). AT+CAPNET, the note's way to bring a context up, is in modem_commands.cpp.
#include <vector>

#include "agent/modem_commands.hpp"
#include "apca/ada_text.hpp"

namespace agent {
namespace {

const std::vector<std::string> pdp_types{"IP", "PPP", "IPV6", "IPV4V6"};

// The address the emulated network gives context `cid` while its call is up.
std::string context_address(int cid) { return "10.64.0." + std::to_string(cid); }

// AT+CGPADDR=<cid>[,<cid>...]: one optional cid per position.
std::vector<arg_spec> cid_list() {
  return std::vector<arg_spec>(modem_state::max_cid, optional(integer(modem_state::min_cid, modem_state::max_cid)));
}

command_result test_cgdcont() {
  std::vector<std::string> lines;
  for (const auto& type : pdp_types) lines.push_back("+CGDCONT: (1-24),\"" + type + "\",,,(0-2),(0-4)");
  return command_result::ok(std::move(lines));
}

command_result read_cgdcont(modem_context& modem) {
  std::vector<std::string> lines;
  for (const auto& [cid, context] : modem.packet.contexts()) {
    lines.push_back("+CGDCONT: " + std::to_string(cid) + "," + apca::quote_at_string(context.type) + "," +
                    apca::quote_at_string(context.apn) + ",\"0.0.0.0\",0,0");
  }
  return command_result::ok(std::move(lines));
}

command_result set_cgdcont(modem_context& modem, const at_params& params) {
  const int cid = params.integer(0);
  if (params.count() == 1) {  // AT+CGDCONT=<cid> undefines the context
    return modem.packet.undefine_context(cid) ? command_result::ok() : command_result::error();
  }
  if (!params.has(1)) return command_result::error();
  // Redefining a context replaces it, as 27.007 has it, while it carries no call.
  return modem.packet.define_context(cid, params.text(1), params.text(2)) ? command_result::ok()
                                                                          : command_result::error();
}

command_result read_cgatt(modem_context& modem) {
  return command_result::ok({std::string("+CGATT: ") + (modem.world.attached() ? "1" : "0")});
}

command_result set_cgatt(modem_context& modem, const at_params& params) {
  const bool attach = params.integer(0) == 1;
  modem.post(modem.world.set_attached(attach));
  modem.stop_dialling_if_idle();
  // Attaching needs a network to attach to.
  return attach && !modem.world.attached() ? command_result::cme(30) : command_result::ok();
}

command_result read_cgact(modem_context& modem) {
  std::vector<std::string> lines;
  for (const auto& [cid, context] : modem.packet.contexts()) {
    lines.push_back("+CGACT: " + std::to_string(cid) + "," + (modem.packet.call_up(cid) ? "1" : "0"));
  }
  return command_result::ok(std::move(lines));
}

command_result set_cgact(modem_context& modem, const at_params& params) {
  modem_state& packet = modem.packet;
  std::vector<int> cids;
  if (params.has(1)) {
    if (!packet.contexts().contains(params.integer(1))) return command_result::cme(3);
    cids.push_back(params.integer(1));
  } else {
    for (const auto& [cid, context] : packet.contexts()) cids.push_back(cid);
  }
  if (params.integer(0) == 0) {
    for (int cid : cids) packet.hang_up(cid);
    modem.stop_dialling_if_idle();
    return command_result::ok();
  }
  // 27.007: activating attaches first when the host detached.
  if (!modem.world.attached()) modem.post(modem.world.set_attached(true));
  if (!modem.world.packet_ready()) return command_result::cme(30);
  for (int cid : cids) packet.activate(cid);
  return command_result::ok();
}

command_result test_cgpaddr(modem_context& modem) {
  std::string cids;
  for (const auto& [cid, context] : modem.packet.contexts()) cids += (cids.empty() ? "" : ",") + std::to_string(cid);
  return command_result::ok({"+CGPADDR: (" + cids + ")"});
}

// AT+CGPADDR (every context) and AT+CGPADDR=<cid>[,<cid>...]: each context's address, 0.0.0.0 while down.
command_result addresses(modem_context& modem, const at_params& params) {
  const modem_state& packet = modem.packet;
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < params.count(); ++i) {
    if (params.has(i) && !packet.contexts().contains(params.integer(i))) return command_result::error();
  }
  for (const auto& [cid, context] : packet.contexts()) {
    bool asked = params.count() == 0;
    for (std::size_t i = 0; i < params.count(); ++i) asked = asked || params.integer(i, -1) == cid;
    if (!asked) continue;
    const std::string address = packet.call_up(cid) ? context_address(cid) : "0.0.0.0";
    lines.push_back("+CGPADDR: " + std::to_string(cid) + "," + address);
  }
  return command_result::ok(std::move(lines));
}

command_result read_cgerep(modem_context& modem) {
  return command_result::ok({"+CGEREP: " + std::to_string(modem.world.event_report_mode()) + ",0"});
}

command_result set_cgerep(modem_context& modem, const at_params& params) {
  modem.world.set_event_reports(params.integer(0));
  return command_result::ok();
}

}  // namespace

void add_packet_commands(command_table& table, modem_context& modem) {
  table.add({.name = "+CGDCONT",
             .test = test_cgdcont,
             .read = handler(modem, read_cgdcont),
             .set = handler(modem, set_cgdcont),
             .set_args = {integer(modem_state::min_cid, modem_state::max_cid), optional(word(pdp_types)),
                          optional(text()), optional(text()), optional(integer(0, 2)), optional(integer(0, 4))}});
  table.add({.name = "+CGATT",
             .test = answer({"+CGATT: (0,1)"}),
             .read = handler(modem, read_cgatt),
             .set = handler(modem, set_cgatt),
             .set_args = {integer(0, 1)}});
  table.add({.name = "+CGACT",
             .test = answer({"+CGACT: (0,1)"}),
             .read = handler(modem, read_cgact),
             .set = handler(modem, set_cgact),
             .set_args = {integer(0, 1), optional(integer(modem_state::min_cid, modem_state::max_cid))}});
  table.add({.name = "+CGPADDR",
             .test = handler(modem, test_cgpaddr),
             .set = handler(modem, addresses),
             .set_args = cid_list(),
             .action = handler(modem, addresses)});
  table.add({.name = "+CGEREP",
             .test = answer({"+CGEREP: (0-2),(0-1)"}),
             .read = handler(modem, read_cgerep),
             .set = handler(modem, set_cgerep),
             .set_args = {integer(0, 2), optional(integer(0, 1))}});
}

}  // namespace agent
