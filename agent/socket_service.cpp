#include "agent/socket_service.hpp"

#include <algorithm>

#include "apca/ada_text.hpp"
#include "common/hex.hpp"

namespace agent {
namespace {

constexpr const char* not_opened = "+IP ERROR: Network not opened";

std::string number(std::size_t value) { return std::to_string(value); }
std::string number(ip_error error) { return std::to_string(static_cast<int>(error)); }
std::string number(close_reason reason) { return std::to_string(static_cast<int>(reason)); }

// The answer to a send the link cannot take.
command_result send_refused(ip_error error) { return command_result::error({"+CIPERROR: " + number(error)}); }

// The read form of a one-integer setting: "<name>: <value>".
form_answer setting_read(const std::string& name, const int& value) {
  return [&value, prefix = name + ": "] { return command_result::ok({prefix + std::to_string(value)}); };
}

// The row of a one-integer setting: test "<name>: (low-high)", read "<name>: <value>", set.
command_row setting_row(const std::string& name, int& value, int low, int high) {
  return {.name = name,
          .test = answer({name + ": (" + std::to_string(low) + "-" + std::to_string(high) + ")"}),
          .read = setting_read(name, value),
          .set =
              [&value](const at_params& params) {
                value = params.integer(0);
                return command_result::ok();
              },
          .set_args = {integer(low, high)}};
}

}  // namespace

socket_service::socket_service(socket_service_ports ports) : ports_(std::move(ports)) {}

void socket_service::add_to(command_table& table) {
  const long last_link = link_count - 1;
  table.add({.name = "+NETOPEN",
             .test = answer_ok(),
             .read = handler(*this, &socket_service::read_netopen),
             .action = handler(*this, &socket_service::net_open)});
  table.add({.name = "+NETCLOSE", .test = answer_ok(), .action = handler(*this, &socket_service::net_close)});
  table.add({.name = "+IPADDR", .test = answer_ok(), .action = handler(*this, &socket_service::local_address_line)});
  table.add(setting_row("+CIPMODE", cipmode_, 0, 1));
  table.add(setting_row("+CIPSENDMODE", send_mode_, 0, 1));
  table.add({.name = "+CIPCCFG",
             .test = answer({"+CIPCCFG: (0-10),(0-1000),(0-1),(0-1),(0-1),(0-1),(500-120000)"}),
             .read = show_settings("+CIPCCFG", ccfg_),
             .set = store_settings(ccfg_),
             .set_args = {optional(integer(0, 10)), optional(integer(0, 1000)), optional(integer(0, 1)),
                          optional(integer(0, 1)), optional(integer(0, 1)), optional(integer(0, 1)),
                          optional(integer(500, 120000))}});
  table.add({.name = "+CIPTIMEOUT",
             .test = answer_ok(),
             .read = show_settings("+CIPTIMEOUT", timeouts_),
             .set = store_settings(timeouts_),
             .set_args = {optional(integer(1, 120000)), optional(integer(1, 120000)), optional(integer(1, 120000))}});
  table.add({.name = "+CIPOPEN",
             .test = answer({"+CIPOPEN: (0-9),(\"TCP\",\"UDP\")"}),
             .read = handler(*this, &socket_service::read_cipopen),
             .set = handler(*this, &socket_service::open_link),
             .set_args = {integer(0, last_link), word({"TCP", "UDP"}), optional(text(255)), optional(integer(1, 65535)),
                          optional(integer(0, 65535))}});
  table.add({.name = "+CIPCLOSE",
             .test = answer({"+CIPCLOSE: (0-9)"}),
             .read = handler(*this, &socket_service::read_cipclose),
             .set = handler(*this, &socket_service::close_link),
             .set_args = {integer(0, last_link)}});
  table.add({.name = "+CIPSEND",
             .test = answer({"+CIPSEND: (0-9),(1-1500)"}),
             .set = handler(*this, &socket_service::send),
             .set_args = {integer(0, last_link), optional(integer(1, max_send)), optional(text(255)),
                          optional(integer(1, 65535))}});
  table.add({.name = "+CIPRXGET",
             .test = answer({"+CIPRXGET: (0-4),(0-9),(1-1500)"}),
             .read = setting_read("+CIPRXGET", rx_mode_),
             .set = handler(*this, &socket_service::receive),
             .set_args = {integer(0, 4), optional(integer(0, last_link)), optional(integer(1, max_read))}});
  table.add({.name = "+CDNSGIP",
             .test = answer_ok(),
             .set = handler(*this, &socket_service::resolve),
             .set_args = {text(255)}});
}

// ---- network ----

command_result socket_service::read_netopen() const {
  return command_result::ok({network_ == network::open ? "+NETOPEN: 1" : "+NETOPEN: 0"});
}

command_result socket_service::net_open() {
  if (network_ == network::open) return command_result::error({"+IP ERROR: Network is already opened"});
  const bool up = ports_.open_data_call();
  if (up) network_ = network::open;
  ports_.post_urc(up ? "+NETOPEN: 0" : "+NETOPEN: " + number(ip_error::network_failure), {});
  return command_result::ok();
}

command_result socket_service::net_close() {
  if (network_ != network::open) return command_result::error({not_opened});
  for (int i = 0; i < link_count; ++i) drop(i, {});
  network_ = network::closed;
  ports_.post_urc("+NETCLOSE: 0", {});
  return command_result::ok();
}

command_result socket_service::local_address_line() const {
  if (network_ != network::open) return command_result::error({not_opened});
  return command_result::ok({std::string("+IPADDR: ") + local_address});
}

void socket_service::data_call_changed(bool up) {
  if (up || network_ != network::open) return;
  ports_.post_urc("+CIPEVENT: NETWORK CLOSED UNEXPECTEDLY", {});
  for (int i = 0; i < link_count; ++i) {
    if (links_[i].state != link::phase::closed) drop(i, "+IPCLOSE: " + number(i) + "," + number(close_reason::remote));
  }
  network_ = network::closed;
}

void socket_service::power_cycle() {
  for (int i = 0; i < link_count; ++i) drop(i, {});
  links_ = {};
  network_ = network::closed;
  pending_query_.reset();
  rx_mode_ = 0;
  cipmode_ = 0;
  send_mode_ = 0;
  ccfg_ = {10, 0, 0, 1, 1, 0, 500};
  timeouts_ = {120000, 120000, 120000};
}

// ---- links ----

command_result socket_service::read_cipopen() const {
  std::vector<std::string> lines;
  for (int i = 0; i < link_count; ++i) {
    const link& l = links_[i];
    std::string line = "+CIPOPEN: " + number(i);
    if (l.state == link::phase::open) {
      line += std::string(",") + (l.protocol == socket_protocol::tcp ? "\"TCP\"" : "\"UDP\"") + "," +
              apca::quote_at_string(l.remote.host) + "," + number(l.remote.port) + ",-1";
    }
    lines.push_back(std::move(line));
  }
  return command_result::ok(std::move(lines));
}

command_result socket_service::read_cipclose() const {
  std::string line = "+CIPCLOSE: ";
  for (int i = 0; i < link_count; ++i) {
    line += (i ? "," : "") + std::string(links_[i].state == link::phase::open ? "1" : "0");
  }
  return command_result::ok({line});
}

command_result socket_service::open_link(const at_params& params) {
  const int link_number = params.integer(0);
  const std::string prefix = "+CIPOPEN: " + number(link_number) + ",";
  const bool tcp = params.text(1) == "TCP";
  // TCP names its server; UDP names only its local port ("UDP",,,<port>).
  if (tcp ? (params.text(2).empty() || !params.has(3)) : (!params.text(2).empty() || params.has(3) || !params.has(4))) {
    return command_result::error();
  }
  if (network_ != network::open) return command_result::error({not_opened});
  if (cipmode_ != 0) return command_result::error({prefix + number(ip_error::not_supported)});
  link& l = links_[link_number];
  if (l.state != link::phase::closed) return command_result::error({prefix + number(ip_error::not_supported)});
  l = link{.state = link::phase::opening,
           .id = next_id_++,
           .protocol = tcp ? socket_protocol::tcp : socket_protocol::udp,
           .remote = {params.text(2), static_cast<std::uint16_t>(params.integer(3))}};
  ports_.io.open(l.id, l.protocol, l.remote, static_cast<std::uint16_t>(params.integer(4)),
                 std::chrono::milliseconds(timeouts_[1]));
  return command_result::ok();
}

command_result socket_service::close_link(const at_params& params) {
  const int link_number = params.integer(0);
  const std::string prefix = "+CIPCLOSE: " + number(link_number) + ",";
  if (links_[link_number].state == link::phase::closed) {
    return command_result::error({prefix + number(ip_error::not_supported)});
  }
  drop(link_number, prefix + "0");
  return command_result::ok();
}

void socket_service::drop(int link_number, std::string urc) {
  link& l = links_[link_number];
  if (l.state != link::phase::closed) ports_.io.close(l.id);
  l.state = link::phase::closed;
  l.rx.clear();
  l.rx_reported = false;
  l.rx_paused = false;
  l.unsent = 0;
  if (!urc.empty()) ports_.post_urc(std::move(urc), {});
}

socket_service::link* socket_service::find(socket_id id) {
  auto it = std::find_if(links_.begin(), links_.end(),
                         [id](const link& l) { return l.state != link::phase::closed && l.id == id; });
  return it == links_.end() ? nullptr : &*it;
}

const socket_service::link* socket_service::find(socket_id id) const {
  return const_cast<socket_service*>(this)->find(id);
}

// ---- sending ----

command_result socket_service::send(const at_params& params) {
  const int link_number = params.integer(0);
  link& l = links_[link_number];
  const bool udp_target = !params.text(2).empty() || params.has(3);
  if (network_ != network::open) return command_result::error({not_opened});
  if (l.state != link::phase::open) return send_refused(ip_error::not_supported);
  // UDP names where each datagram goes; TCP has its peer already.
  const bool udp_target_whole = !params.text(2).empty() && params.has(3);
  if ((l.protocol == socket_protocol::udp) != udp_target || (udp_target && !udp_target_whole)) {
    return command_result::error();
  }
  if (l.unsent >= tx_capacity) return send_refused(ip_error::busy);
  std::optional<socket_endpoint> to;
  if (udp_target) to = socket_endpoint{params.text(2), static_cast<std::uint16_t>(params.integer(3))};
  std::optional<std::size_t> length;
  if (params.has(1)) length = static_cast<std::size_t>(params.integer(1));
  const socket_id id = l.id;
  ports_.ask_for_data({.prompt = ">",
                       .length = length,
                       .max_length = max_send,
                       .done = [this, id, link_number, to](data_block block) {
                         if (block.how == data_block::end::cancelled) return command_result::ok();
                         if (block.how == data_block::end::too_long) return command_result::error();
                         link* target = find(id);
                         if (target == nullptr || target->state != link::phase::open) {
                           return send_refused(ip_error::not_supported);
                         }
                         const std::size_t size = block.bytes.size();
                         target->unsent += size;
                         ports_.io.send(id, std::move(block.bytes), to);
                         const std::string sent = number(size);
                         ports_.post_urc("+CIPSEND: " + number(link_number) + "," + sent + "," + sent, {});
                         return command_result::ok();
                       }});
  return command_result::held();
}

void socket_service::on_sent(socket_id id, std::size_t bytes) {
  if (link* l = find(id)) l->unsent -= std::min(bytes, l->unsent);
}

// ---- receiving ----

std::size_t socket_service::rx_room(socket_id id) const {
  const link* l = find(id);
  if (l == nullptr || network_ != network::open) return 0;
  return rx_capacity - std::min(rx_capacity, l->rx.size());
}

void socket_service::on_received(socket_id id, std::string_view bytes) {
  link* l = find(id);
  if (l == nullptr || l->state != link::phase::open || network_ != network::open || bytes.empty()) return;
  const int link_number = static_cast<int>(l - links_.data());
  if (rx_mode_ == 0) {
    ports_.post_urc("+RECEIVE," + number(link_number) + "," + number(bytes.size()), std::string(bytes));
    return;
  }
  l->rx.append(bytes.substr(0, rx_capacity - std::min(rx_capacity, l->rx.size())));
  if (l->rx.size() >= rx_capacity) l->rx_paused = true;
  if (!l->rx_reported) {
    l->rx_reported = true;
    ports_.post_urc("+CIPRXGET: 1," + number(link_number), {});
  }
}

command_result socket_service::receive(const at_params& params) {
  const int mode = params.integer(0);
  if (mode <= 1) {
    if (params.count() > 1) return command_result::error();
    rx_mode_ = mode;
    return command_result::ok();
  }
  if (rx_mode_ != 1 || !params.has(1) || (mode == 4 && params.count() > 2)) return command_result::error();
  const int link_number = params.integer(1);
  link& l = links_[link_number];
  const std::string prefix = "+CIPRXGET: " + number(mode) + "," + number(link_number) + ",";
  if (mode == 4) return command_result::ok({prefix + number(l.rx.size())});
  const std::size_t limit = mode == 2 ? max_read : max_hex_read;
  const std::size_t wanted = static_cast<std::size_t>(params.integer(2, static_cast<int>(limit)));
  if (wanted > limit) return command_result::error();
  if (l.rx.empty()) return command_result::error({"+IP ERROR: No data"});
  const std::size_t count = std::min(wanted, l.rx.size());
  std::string data = l.rx.substr(0, count);
  read_some(l, count);
  return command_result::ok(
      {prefix + number(count) + "," + number(l.rx.size()), mode == 2 ? data : common::to_upper_hex(data)});
}

void socket_service::read_some(link& l, std::size_t count) {
  l.rx.erase(0, count);
  if (l.rx.empty()) l.rx_reported = false;
  if (l.rx_paused && l.state == link::phase::open) {
    l.rx_paused = false;
    ports_.io.resume_receiving(l.id);
  }
}

// ---- I/O events ----

void socket_service::on_opened(socket_id id, ip_error error) {
  link* l = find(id);
  if (l == nullptr || l->state != link::phase::opening) return;
  const int link_number = static_cast<int>(l - links_.data());
  if (error == ip_error::none) {
    l->state = link::phase::open;
  } else {
    ports_.io.close(id);
    l->state = link::phase::closed;
  }
  ports_.post_urc("+CIPOPEN: " + number(link_number) + "," + number(error), {});
}

void socket_service::on_closed(socket_id id, close_reason reason) {
  link* l = find(id);
  if (l == nullptr) return;
  if (l->state == link::phase::opening) return on_opened(id, ip_error::network_failure);
  const int link_number = static_cast<int>(l - links_.data());
  // What the peer sent before it closed stays readable (AT+CIPRXGET) until the link is opened again.
  l->state = link::phase::closed;
  l->rx_paused = false;
  ports_.post_urc("+IPCLOSE: " + number(link_number) + "," + number(reason), {});
}

// ---- DNS ----

command_result socket_service::resolve(const at_params& params) {
  const std::string& host = params.text(0);
  if (host.empty() || network_ != network::open || pending_query_) return command_result::error({"+CDNSGIP: 0,10"});
  const std::uint64_t query = next_query_++;
  pending_query_.emplace(query, host);
  ports_.io.resolve(query, host);
  return command_result::held();
}

void socket_service::on_resolved(std::uint64_t query, std::optional<std::string> address) {
  if (!pending_query_ || pending_query_->first != query) return;
  const std::string host = std::move(pending_query_->second);
  pending_query_.reset();
  if (!address) return ports_.complete(command_result::error({"+CDNSGIP: 0,10"}));
  ports_.complete(
      command_result::ok({"+CDNSGIP: 1," + apca::quote_at_string(host) + "," + apca::quote_at_string(*address)}));
}

}  // namespace agent
