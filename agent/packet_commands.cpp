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

}  // namespace

void modem_commands::add_packet_commands(command_table& table) {
  table.add({.name = "+CGDCONT",
             .test =
                 [] {
                   std::vector<std::string> lines;
                   for (const auto& type : pdp_types) lines.push_back("+CGDCONT: (1-24),\"" + type + "\",,,(0-2),(0-4)");
                   return command_result::ok(std::move(lines));
                 },
             .read =
                 [this] {
                   std::vector<std::string> lines;
                   for (const auto& [cid, context] : packet_.contexts()) {
                     lines.push_back("+CGDCONT: " + std::to_string(cid) + "," + apca::quote_at_string(context.type) +
                                     "," + apca::quote_at_string(context.apn) + ",\"0.0.0.0\",0,0");
                   }
                   return command_result::ok(std::move(lines));
                 },
             .set = [this](const at_params& params) { return define_context(params); },
             .set_args = {integer(modem_state::min_cid, modem_state::max_cid), optional(word(pdp_types)),
                          optional(text()), optional(text()), optional(integer(0, 2)), optional(integer(0, 4))}});
  table.add({.name = "+CGATT",
             .test = answer({"+CGATT: (0,1)"}),
             .read = [this] { return command_result::ok({std::string("+CGATT: ") + (world_.attached() ? "1" : "0")}); },
             .set =
                 [this](const at_params& params) {
                   const bool attach = params.integer(0) == 1;
                   post(world_.set_attached(attach));
                   stop_dialling_if_idle();
                   // Attaching needs a network to attach to.
                   return attach && !world_.attached() ? command_result::cme(30) : command_result::ok();
                 },
             .set_args = {integer(0, 1)}});
  table.add({.name = "+CGACT",
             .test = answer({"+CGACT: (0,1)"}),
             .read =
                 [this] {
                   std::vector<std::string> lines;
                   for (const auto& [cid, context] : packet_.contexts()) {
                     lines.push_back("+CGACT: " + std::to_string(cid) + "," + (packet_.call_up(cid) ? "1" : "0"));
                   }
                   return command_result::ok(std::move(lines));
                 },
             .set = [this](const at_params& params) { return activate_contexts(params); },
             .set_args = {integer(0, 1), optional(integer(modem_state::min_cid, modem_state::max_cid))}});
  auto addresses = [this](const at_params& params) {
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < params.count(); ++i) {
      if (params.has(i) && !packet_.contexts().contains(params.integer(i))) return command_result::error();
    }
    for (const auto& [cid, context] : packet_.contexts()) {
      bool asked = params.count() == 0;
      for (std::size_t i = 0; i < params.count(); ++i) asked = asked || params.integer(i, -1) == cid;
      if (!asked) continue;
      lines.push_back("+CGPADDR: " + std::to_string(cid) + "," + (packet_.call_up(cid) ? context_address(cid) : "0.0.0.0"));
    }
    return command_result::ok(std::move(lines));
  };
  table.add({.name = "+CGPADDR",
             .test =
                 [this] {
                   std::string cids;
                   for (const auto& [cid, context] : packet_.contexts()) cids += (cids.empty() ? "" : ",") + std::to_string(cid);
                   return command_result::ok({"+CGPADDR: (" + cids + ")"});
                 },
             .set = addresses,
             .set_args = cid_list(),
             .action = addresses});
  table.add({.name = "+CGEREP",
             .test = answer({"+CGEREP: (0-2),(0-1)"}),
             .read = [this] { return command_result::ok({"+CGEREP: " + std::to_string(world_.event_report_mode()) + ",0"}); },
             .set =
                 [this](const at_params& params) {
                   world_.set_event_reports(params.integer(0));
                   return command_result::ok();
                 },
             .set_args = {integer(0, 2), optional(integer(0, 1))}});
}

command_result modem_commands::define_context(const at_params& params) {
  const int cid = params.integer(0);
  if (params.count() == 1) {  // AT+CGDCONT=<cid> undefines the context
    return packet_.undefine_context(cid) ? command_result::ok() : command_result::error();
  }
  if (!params.has(1)) return command_result::error();
  // Redefining a context replaces it, as 27.007 has it, while it carries no call.
  return packet_.define_context(cid, params.text(1), params.text(2)) ? command_result::ok() : command_result::error();
}

command_result modem_commands::activate_contexts(const at_params& params) {
  std::vector<int> cids;
  if (params.has(1)) {
    if (!packet_.contexts().contains(params.integer(1))) return command_result::cme(3);
    cids.push_back(params.integer(1));
  } else {
    for (const auto& [cid, context] : packet_.contexts()) cids.push_back(cid);
  }
  if (params.integer(0) == 0) {
    for (int cid : cids) packet_.hang_up(cid);
    stop_dialling_if_idle();
    return command_result::ok();
  }
  // 27.007: activating attaches first when the host detached.
  if (!world_.attached()) post(world_.set_attached(true));
  if (!world_.packet_ready()) return command_result::cme(30);
  for (int cid : cids) packet_.activate(cid);
  return command_result::ok();
}

}  // namespace agent
