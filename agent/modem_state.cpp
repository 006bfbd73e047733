#include "agent/modem_state.hpp"

#include <algorithm>

namespace agent {

modem_state::modem_state(std::function<void(bool up)> on_data_call_change)
    : on_data_call_change_(std::move(on_data_call_change)) {}

bool modem_state::valid_pdp_type(const std::string& type) {
  return type == "IP" || type == "PPP" || type == "IPV6" || type == "IPV4V6";
}

bool modem_state::define_context(int cid, std::string type, std::string apn) {
  auto it = contexts_.find(cid);
  if (it != contexts_.end() && it->second.state != pdp_context::call::down) return false;
  contexts_[cid] = pdp_context{std::move(type), std::move(apn), pdp_context::call::down};
  return true;
}

bool modem_state::undefine_context(int cid) {
  auto it = contexts_.find(cid);
  if (it == contexts_.end()) return true;
  if (it->second.state != pdp_context::call::down) return false;
  contexts_.erase(it);
  return true;
}

modem_state::dial_outcome modem_state::dial(int cid, bool network_ready) {
  auto it = contexts_.find(cid);
  if (it == contexts_.end()) return dial_outcome::no_context;
  if (!network_ready) return dial_outcome::no_network;
  if (it->second.state == pdp_context::call::up) return dial_outcome::already_up;
  if (it->second.state == pdp_context::call::down) {
    it->second.state = pdp_context::call::dialling;
    dial_order_.push_back(cid);
  }
  return dial_outcome::dialling;
}

bool modem_state::activate(int cid) {
  auto it = contexts_.find(cid);
  if (it == contexts_.end()) return false;
  const bool was_up = data_call_up();
  it->second.state = pdp_context::call::up;
  std::erase(dial_order_, cid);
  report_change(was_up);
  return true;
}

std::optional<int> modem_state::finish_dial() {
  if (dial_order_.empty()) return std::nullopt;
  bool was_up = data_call_up();
  int cid = dial_order_.front();
  dial_order_.erase(dial_order_.begin());
  contexts_.at(cid).state = pdp_context::call::up;
  report_change(was_up);
  return cid;
}

bool modem_state::dialling() const { return !dial_order_.empty(); }

bool modem_state::hang_up(int cid) {
  auto it = contexts_.find(cid);
  if (it == contexts_.end()) return false;
  bool was_up = data_call_up();
  it->second.state = pdp_context::call::down;
  std::erase(dial_order_, cid);
  report_change(was_up);
  return true;
}

bool modem_state::data_call_up() const {
  return std::any_of(contexts_.begin(), contexts_.end(),
                     [](const auto& entry) { return entry.second.state == pdp_context::call::up; });
}

bool modem_state::call_up(int cid) const {
  auto it = contexts_.find(cid);
  return it != contexts_.end() && it->second.state == pdp_context::call::up;
}

bool modem_state::add_time_server(time_server server) {
  auto same_host = [&](const time_server& s) { return s.host == server.host; };
  auto it = std::find_if(time_servers_.begin(), time_servers_.end(), same_host);
  if (it != time_servers_.end()) {
    *it = std::move(server);
    return true;
  }
  if (time_servers_.size() >= max_time_servers) return false;
  time_servers_.push_back(std::move(server));
  return true;
}

bool modem_state::remove_time_server(const std::string& host) {
  return std::erase_if(time_servers_, [&](const time_server& s) { return s.host == host; }) > 0;
}

void modem_state::power_cycle() {
  drop_all_calls();
}

void modem_state::attach_automatically(int cid, const std::string& apn) {
  contexts_.try_emplace(cid, pdp_context{"IP", apn, pdp_context::call::down});
  clock_synced_ = true;
  activate(cid);
}

void modem_state::drop_all_calls() {
  bool was_up = data_call_up();
  for (auto& entry : contexts_) entry.second.state = pdp_context::call::down;
  dial_order_.clear();
  report_change(was_up);
}

void modem_state::report_change(bool was_up) {
  bool up = data_call_up();
  if (up != was_up && on_data_call_change_) on_data_call_change_(up);
}

}  // namespace agent
