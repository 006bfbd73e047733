// mqtt_service's protocol side: the stream events, the packets from the server, the timers.
#include "agent/mqtt_service.hpp"

#include <algorithm>

namespace agent {
namespace {

apca::timer_id keepalive_timer(int index) {
  return index == 0 ? apca::timer_id::mqtt_keepalive_0 : apca::timer_id::mqtt_keepalive_1;
}
apca::timer_id answer_timer(int index) {
  return index == 0 ? apca::timer_id::mqtt_answer_0 : apca::timer_id::mqtt_answer_1;
}

mqtt_error connect_error_of(stream_error error) {
  switch (error) {
    case stream_error::none: return mqtt_error::none;
    case stream_error::dns_failed: return mqtt_error::dns;
    case stream_error::connect_failed: return mqtt_error::sock_connect;
    case stream_error::timeout: return mqtt_error::timeout;
    case stream_error::handshake_failed: return mqtt_error::handshake;
  }
  return mqtt_error::failed;
}

// +CMQTTCONNLOST <cause> (the manual): 1 the socket was closed by the peer, 3 the network went away.
constexpr int lost_closed_by_peer = 1;
constexpr int lost_network = 3;

}  // namespace

// ---- service-wide events ----

void mqtt_service::data_call_changed(bool up) {
  if (up || !started_) return;
  for (client& c : clients_) {
    if (c.state != client::phase::idle) lose(c, lost_network);
    c = client{};
  }
  started_ = false;
  ports_.streams.post_urc("+CMQTTNONET", {});
}

void mqtt_service::power_cycle() {
  for (client& c : clients_) drop_stream(c);
  clients_ = {};
  started_ = false;
}

bool mqtt_service::on_timer(apca::timer_id id) {
  for (client& c : clients_) {
    const int index = index_of(c);
    if (id == answer_timer(index)) {
      // A DISCONNECT that never got out still ends the connection; anything else failed for lack of an answer.
      finish(c, c.pending.what == operation::kind::disconnect ? mqtt_error::none : mqtt_error::timeout);
      return true;
    }
    if (id == keepalive_timer(index)) {
      if (c.state != client::phase::connected) return true;
      if (c.ping_outstanding) {  // no PINGRESP within a whole interval: the server is gone
        ports_.streams.post_urc("+CMQTTPING: " + std::to_string(index) + "," + std::to_string(static_cast<int>(mqtt_error::timeout)), {});
        lose(c, lost_closed_by_peer);
        return true;
      }
      c.ping_outstanding = true;
      send(c, mqtt::encode_pingreq());
      ports_.timers.start_timer(keepalive_timer(index), std::chrono::seconds(c.keepalive));
      return true;
    }
  }
  return false;
}

// ---- operations ----

void mqtt_service::post(const std::string& name, const client& c, mqtt_error error) {
  ports_.streams.post_urc(name + ": " + std::to_string(index_of(c)) + "," + std::to_string(static_cast<int>(error)), {});
}

void mqtt_service::begin(client& c, operation op, std::chrono::milliseconds deadline) {
  c.pending = op;
  ports_.timers.start_timer(answer_timer(index_of(c)), deadline);
}

void mqtt_service::finish(client& c, mqtt_error error) {
  const operation done = std::exchange(c.pending, {});
  ports_.timers.cancel_timer(answer_timer(index_of(c)));
  switch (done.what) {
    case operation::kind::none: return;
    case operation::kind::connect: {
      if (error != mqtt_error::none) {
        drop_stream(c);
      } else {
        c.state = client::phase::connected;
        ports_.timers.start_timer(keepalive_timer(index_of(c)), std::chrono::seconds(c.keepalive));
      }
      return post("+CMQTTCONNECT", c, error);
    }
    case operation::kind::publish: return post("+CMQTTPUB", c, error);
    case operation::kind::subscribe: return post("+CMQTTSUB", c, error);
    case operation::kind::unsubscribe: return post("+CMQTTUNSUB", c, error);
    case operation::kind::disconnect:
      drop_stream(c);
      return post("+CMQTTDISC", c, error);
  }
}

std::uint16_t mqtt_service::next_packet_id(client& c) {
  const std::uint16_t id = c.next_packet_id++;
  if (c.next_packet_id == 0) c.next_packet_id = 1;  // 0 is not a packet identifier
  return id;
}

void mqtt_service::send(client& c, std::string bytes) {
  ++c.unsent;
  ports_.streams.io.send(c.stream, std::move(bytes));
}

void mqtt_service::drop_stream(client& c) {
  if (c.state != client::phase::idle) ports_.streams.io.close(c.stream);
  ports_.timers.cancel_timer(keepalive_timer(index_of(c)));
  ports_.timers.cancel_timer(answer_timer(index_of(c)));
  c.state = client::phase::idle;
  c.unsent = 0;
  c.ping_outstanding = false;
  c.reader.reset();
}

void mqtt_service::lose(client& c, int cause) {
  drop_stream(c);
  c.pending = {};
  ports_.streams.post_urc("+CMQTTCONNLOST: " + std::to_string(index_of(c)) + "," + std::to_string(cause), {});
}

mqtt_service::client* mqtt_service::find(stream_id id) {
  auto it = std::find_if(clients_.begin(), clients_.end(),
                         [id](const client& c) { return c.state != client::phase::idle && c.stream == id; });
  return it == clients_.end() ? nullptr : &*it;
}

const mqtt_service::client* mqtt_service::find(stream_id id) const {
  return const_cast<mqtt_service*>(this)->find(id);
}

// ---- stream events ----

void mqtt_service::on_opened(stream_id id, stream_error error) {
  client* c = find(id);
  if (c == nullptr || c->state != client::phase::opening) return;
  if (error != stream_error::none) return finish(*c, connect_error_of(error));
  c->state = client::phase::awaiting_connack;
  send(*c, mqtt::encode_connect({.client_id = c->id,
                                 .keepalive_seconds = static_cast<std::uint16_t>(c->keepalive),
                                 .clean_session = c->clean_session == 1,
                                 .user = c->user,
                                 .password = c->password,
                                 .will = c->will}));
}

void mqtt_service::on_sent(stream_id id, std::size_t) {
  client* c = find(id);
  if (c == nullptr || c->unsent == 0 || --c->unsent > 0) return;
  // What ends once it is written: a QoS 0 publish, a DISCONNECT.
  if (c->pending.what == operation::kind::publish && c->pending.qos == 0) return finish(*c, mqtt_error::none);
  if (c->pending.what == operation::kind::disconnect) finish(*c, mqtt_error::none);
}

std::size_t mqtt_service::rx_room(stream_id id) const {
  // Packets are taken as they complete, so the reader holds at most one partial packet of a bounded size.
  return find(id) != nullptr ? max_inbound_packet : 0;
}

void mqtt_service::on_received(stream_id id, std::string_view bytes) {
  client* c = find(id);
  if (c == nullptr) return;
  c->reader.feed(bytes);
  while (c->state != client::phase::idle) {
    auto p = c->reader.next();
    if (!p) break;
    handle(*c, *p);
  }
  if (c->state == client::phase::idle || c->reader.state() == mqtt::packet_reader::status::reading) return;
  // A malformed or oversize packet: the module cannot follow the stream any more.
  if (c->state == client::phase::awaiting_connack) {
    finish(*c, mqtt_error::packet);
  } else {
    lose(*c, lost_closed_by_peer);
  }
}

void mqtt_service::on_closed(stream_id id) {
  client* c = find(id);
  if (c == nullptr) return;
  switch (c->pending.what) {
    case operation::kind::connect: return finish(*c, mqtt_error::closed_by_server);
    case operation::kind::disconnect: return finish(*c, mqtt_error::none);
    default: return lose(*c, lost_closed_by_peer);
  }
}

// ---- packets from the server ----

void mqtt_service::handle(client& c, const mqtt::packet& p) {
  using mqtt::packet_type;
  const operation& op = c.pending;
  switch (p.type) {
    case packet_type::connack:
      if (c.state != client::phase::awaiting_connack) return;
      // Return codes 1-5 are the manual's 27-31.
      return finish(c, p.return_code == 0 ? mqtt_error::none
                                          : p.return_code <= 5 ? static_cast<mqtt_error>(26 + p.return_code)
                                                               : mqtt_error::failed);
    case packet_type::puback:
      if (op.what == operation::kind::publish && op.qos == 1 && op.packet_id == p.packet_id) finish(c, mqtt_error::none);
      return;
    case packet_type::pubrec:
      // QoS 2, first half: release the message, then wait for PUBCOMP.
      if (op.what == operation::kind::publish && op.qos == 2 && op.packet_id == p.packet_id) {
        send(c, mqtt::encode_ack(packet_type::pubrel, p.packet_id));
      }
      return;
    case packet_type::pubcomp:
      if (op.what == operation::kind::publish && op.qos == 2 && op.packet_id == p.packet_id) finish(c, mqtt_error::none);
      return;
    case packet_type::suback: {
      if (op.what != operation::kind::subscribe || op.packet_id != p.packet_id) return;
      const bool refused = std::any_of(p.granted.begin(), p.granted.end(), [](std::uint8_t code) { return code > 2; });
      return finish(c, refused ? mqtt_error::failed : mqtt_error::none);
    }
    case packet_type::unsuback:
      if (op.what == operation::kind::unsubscribe && op.packet_id == p.packet_id) finish(c, mqtt_error::none);
      return;
    case packet_type::pubrel:  // QoS 2 inbound, second half (the message went to the host at PUBLISH)
      return send(c, mqtt::encode_ack(packet_type::pubcomp, p.packet_id));
    case packet_type::pingresp:
      c.ping_outstanding = false;
      return;
    case packet_type::publish:
      if (c.state != client::phase::connected && c.state != client::phase::closing) return;
      deliver(c, p);
      if (p.qos == 1) send(c, mqtt::encode_ack(packet_type::puback, p.packet_id));
      if (p.qos == 2) send(c, mqtt::encode_ack(packet_type::pubrec, p.packet_id));
      return;
    default: return;
  }
}

void mqtt_service::deliver(client& c, const mqtt::packet& p) {
  const std::string index = std::to_string(index_of(c));
  auto& urc = ports_.streams.post_urc;
  urc("+CMQTTRXSTART: " + index + "," + std::to_string(static_cast<long>(p.topic.size())) + "," +
          std::to_string(static_cast<long>(p.payload.size())),
      {});
  urc("+CMQTTRXTOPIC: " + index + "," + std::to_string(static_cast<long>(p.topic.size())), p.topic);
  // A long payload comes in blocks, each with its own +CMQTTRXPAYLOAD line.
  for (std::size_t at = 0; at < p.payload.size(); at += rx_chunk) {
    const std::string block = p.payload.substr(at, rx_chunk);
    urc("+CMQTTRXPAYLOAD: " + index + "," + std::to_string(static_cast<long>(block.size())), block);
  }
  if (p.payload.empty()) urc("+CMQTTRXPAYLOAD: " + index + ",0", {});
  urc("+CMQTTRXEND: " + index, {});
}

}  // namespace agent
