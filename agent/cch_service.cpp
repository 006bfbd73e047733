#include "agent/cch_service.hpp"

#include <algorithm>

#include "agent/cert_store.hpp"
#include "apca/ada_text.hpp"

namespace agent {
namespace {

std::string number(std::size_t value) { return std::to_string(value); }
std::string number(cch_error error) { return std::to_string(static_cast<int>(error)); }

}  // namespace

cch_error cch_error_of(stream_error error) {
  switch (error) {
    case stream_error::none: return cch_error::none;
    case stream_error::dns_failed: return cch_error::dns;
    case stream_error::connect_failed: return cch_error::connect_socket;
    case stream_error::timeout: return cch_error::timeout;
    case stream_error::handshake_failed: return cch_error::handshake;
  }
  return cch_error::unknown;
}

namespace {

// The manual's connect deadline for AT+CCHOPEN (its maximum response time); the handshake has its own.
constexpr std::chrono::milliseconds connect_timeout{120000};

}  // namespace

void cch_service::add_to(command_table& table) {
  const long last = session_count - 1;
  table.add({.name = "+CCHSTART", .test = answer_ok(), .action = handler(*this, &cch_service::start)});
  table.add({.name = "+CCHSTOP", .test = answer_ok(), .action = handler(*this, &cch_service::stop)});
  table.add({.name = "+CCHSET",
             .test = answer({"+CCHSET: (0-1),(0-1)"}),
             .read = show_settings("+CCHSET", cchset_),
             .set = store_settings(cchset_),
             .set_args = {integer(0, 1), optional(integer(0, 1))}});
  // Transparent mode (1) is not emulated: only 0 is accepted.
  table.add({.name = "+CCHMODE",
             .test = answer({"+CCHMODE: (0-1)"}),
             .read = answer({"+CCHMODE: 0"}),
             .set = answer_ok(),
             .set_args = {integer(0, 0)}});
  table.add({.name = "+CCHSSLCFG",
             .test = answer({"+CCHSSLCFG: (0-1),(0-9)"}),
             .read = handler(*this, &cch_service::read_sslcfg),
             .set = handler(*this, &cch_service::set_sslcfg),
             .set_args = {integer(0, last), integer(0, ssl_contexts::count - 1)}});
  table.add({.name = "+CCHOPEN",
             .test = answer({"+CCHOPEN: (0-1),\"ADDRESS\",(1-65535)[,(1-2)[,(1-65535)]]"}),
             .read = handler(*this, &cch_service::read_cchopen),
             .set = handler(*this, &cch_service::open),
             .set_args = {integer(0, last), text(255), integer(1, 65535), optional(integer(1, 2)),
                          optional(integer(1, 65535))}});
  table.add({.name = "+CCHSEND",
             .test = answer({"+CCHSEND: (0-1),(1-" + number(max_send) + ")"}),
             .set = handler(*this, &cch_service::send),
             .set_args = {integer(0, last), integer(1, static_cast<long>(max_send))}});
  table.add({.name = "+CCHRECV",
             .test = answer({"+CCHRECV: (0-1),(0-" + number(max_read) + ")"}),
             .read = handler(*this, &cch_service::read_cached_lengths),
             .set = handler(*this, &cch_service::receive),
             .set_args = {integer(0, last), optional(integer(0, static_cast<long>(max_read)))}});
  table.add({.name = "+CCHCLOSE",
             .test = answer({"+CCHCLOSE: (0-1)"}),
             .set = handler(*this, &cch_service::close),
             .set_args = {integer(0, last)}});
}

// ---- the service ----

command_result cch_service::start() {
  if (started_) return command_result::error();
  const bool up = ports_.open_data_call();
  started_ = up;
  ports_.post_urc("+CCHSTART: " + number(up ? cch_error::none : cch_error::network), {});
  return command_result::ok();
}

command_result cch_service::stop() {
  if (!started_) return command_result::error();
  for (session& s : sessions_) drop(s);
  started_ = false;
  ports_.post_urc("+CCHSTOP: 0", {});
  return command_result::ok();
}

void cch_service::data_call_changed(bool up) {
  if (up || !started_) return;
  for (session& s : sessions_) {
    if (s.state != session::phase::closed) ports_.post_urc("+CCH_PEER_CLOSED: " + number(number_of(s)), {});
    drop(s);
  }
  started_ = false;
  // The manual's report of the service stopping under the host (from memory: "+CCH: CCH STOP").
  ports_.post_urc("+CCH: CCH STOP", {});
}

void cch_service::power_cycle() {
  for (session& s : sessions_) drop(s);
  sessions_ = {};
  started_ = false;
  ssl_context_of_ = {};
  cchset_ = {0, 0};
}

command_result cch_service::read_sslcfg() const {
  std::vector<std::string> lines;
  for (int i = 0; i < session_count; ++i) lines.push_back("+CCHSSLCFG: " + number(i) + "," + number(ssl_context_of_[i]));
  return command_result::ok(std::move(lines));
}

command_result cch_service::set_sslcfg(const at_params& params) {
  if (sessions_[params.integer(0)].state != session::phase::closed) return command_result::error();
  ssl_context_of_[params.integer(0)] = params.integer(1);
  return command_result::ok();
}

// ---- sessions ----

command_result cch_service::read_cchopen() const {
  std::vector<std::string> lines;
  for (const session& s : sessions_) {
    std::string line = "+CCHOPEN: " + number(number_of(s)) + ",";
    if (s.state == session::phase::open) {
      line += apca::quote_at_string(s.remote.host) + "," + number(s.remote.port) + "," + number(s.client_type) + ",";
    } else {
      line += "\"\",,,";
    }
    lines.push_back(std::move(line));
  }
  return command_result::ok(std::move(lines));
}

command_result cch_service::open(const at_params& params) {
  const int index = params.integer(0);
  session& s = sessions_[index];
  if (!started_ || s.state != session::phase::closed || params.text(1).empty()) return command_result::error();
  const int client_type = params.integer(3, 2);
  std::optional<tls_setup> tls;
  if (client_type == 2) {
    auto setup = tls_setup_for(ports_.contexts.at(ssl_context_of_[index]), cert_store(ports_.nv()), params.text(1));
    if (!setup) {
      ports_.post_urc("+CCHOPEN: " + number(index) + "," + number(cch_error::no_certificates), {});
      return command_result::ok();
    }
    tls = std::move(*setup);
  }
  s = session{.state = session::phase::opening,
              .id = next_id_++,
              .remote = {params.text(1), static_cast<std::uint16_t>(params.integer(2))},
              .client_type = client_type};
  ports_.io.open(s.id, s.remote, std::move(tls), connect_timeout);
  return command_result::ok();
}

command_result cch_service::close(const at_params& params) {
  session& s = sessions_[params.integer(0)];
  if (s.state == session::phase::closed) return command_result::error();
  drop(s);
  ssl_context_of_[params.integer(0)] = 0;  // the manual: AT+CCHCLOSE clears the session's AT+CCHSSLCFG
  ports_.post_urc("+CCHCLOSE: " + number(params.integer(0)) + ",0", {});
  return command_result::ok();
}

void cch_service::drop(session& s) {
  if (s.state != session::phase::closed) ports_.io.close(s.id);
  s.state = session::phase::closed;
  s.rx.clear();
  s.rx_paused = false;
}

cch_service::session* cch_service::find(stream_id id) {
  auto it = std::find_if(sessions_.begin(), sessions_.end(),
                         [id](const session& s) { return s.state != session::phase::closed && s.id == id; });
  return it == sessions_.end() ? nullptr : &*it;
}

const cch_service::session* cch_service::find(stream_id id) const {
  return const_cast<cch_service*>(this)->find(id);
}

// ---- sending ----

command_result cch_service::send(const at_params& params) {
  const int index = params.integer(0);
  if (sessions_[index].state != session::phase::open) return command_result::error();
  const stream_id id = sessions_[index].id;
  ports_.ask_for_data({.prompt = ">",
                       .length = static_cast<std::size_t>(params.integer(1)),
                       .done = [this, id, index](data_block block) {
                         session* s = find(id);
                         if (s == nullptr || s->state != session::phase::open) return command_result::error();
                         ports_.io.send(id, std::move(block.bytes));
                         if (cchset_[0] == 1) ports_.post_urc("+CCHSEND: " + number(index) + ",0", {});
                         return command_result::ok();
                       }});
  return command_result::held();
}

void cch_service::on_sent(stream_id, std::size_t) {}

// ---- receiving ----

std::size_t cch_service::rx_room(stream_id id) const {
  const session* s = find(id);
  if (s == nullptr) return 0;
  return rx_capacity - std::min(rx_capacity, s->rx.size());
}

void cch_service::on_received(stream_id id, std::string_view bytes) {
  session* s = find(id);
  if (s == nullptr || s->state != session::phase::open || bytes.empty()) return;
  const std::string prefix = "+CCHRECV: DATA," + number(number_of(*s)) + ",";
  if (cchset_[1] == 0) {
    ports_.post_urc(prefix + number(bytes.size()), std::string(bytes));
    return;
  }
  const bool was_empty = s->rx.empty();
  s->rx.append(bytes.substr(0, rx_room(id)));
  if (s->rx.size() >= rx_capacity) s->rx_paused = true;
  if (was_empty) ports_.post_urc("+CCHEVENT: " + number(number_of(*s)) + ",RECV EVENT", {});
}

command_result cch_service::read_cached_lengths() const {
  return command_result::ok({"+CCHRECV: LEN," + number(sessions_[0].rx.size()) + "," + number(sessions_[1].rx.size())});
}

command_result cch_service::receive(const at_params& params) {
  session& s = sessions_[params.integer(0)];
  if (cchset_[1] != 1 || s.rx.empty()) return command_result::error();
  std::size_t wanted = params.has(1) && params.integer(1) > 0 ? static_cast<std::size_t>(params.integer(1)) : s.rx.size();
  wanted = std::min(wanted, s.rx.size());
  while (wanted > 0) {
    const std::size_t block = std::min(wanted, max_read);
    deliver(s, block);
    wanted -= block;
  }
  ports_.post_urc("+CCHRECV: " + number(params.integer(0)) + ",0", {});
  return command_result::ok();
}

void cch_service::deliver(session& s, std::size_t count) {
  ports_.post_urc("+CCHRECV: DATA," + number(number_of(s)) + "," + number(count), s.rx.substr(0, count));
  s.rx.erase(0, count);
  if (s.rx_paused && s.state == session::phase::open) {
    s.rx_paused = false;
    ports_.io.resume_receiving(s.id);
  }
}

// ---- I/O events ----

void cch_service::on_opened(stream_id id, stream_error error) {
  session* s = find(id);
  if (s == nullptr || s->state != session::phase::opening) return;
  if (error == stream_error::none) {
    s->state = session::phase::open;
  } else {
    drop(*s);
    ssl_context_of_[number_of(*s)] = 0;  // and so does a failed AT+CCHOPEN
  }
  ports_.post_urc("+CCHOPEN: " + number(number_of(*s)) + "," + number(cch_error_of(error)), {});
}

void cch_service::on_closed(stream_id id) {
  session* s = find(id);
  if (s == nullptr) return;
  if (s->state == session::phase::opening) return on_opened(id, stream_error::connect_failed);
  // What the peer sent before it closed stays readable (AT+CCHRECV) until the session is opened again.
  s->state = session::phase::closed;
  s->rx_paused = false;
  ports_.post_urc("+CCH_PEER_CLOSED: " + number(number_of(*s)), {});
}

}  // namespace agent
