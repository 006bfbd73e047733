// The AT+CMQTT* command rows of mqtt_service: syntax, ranges and the answers a command gives before any packet
// goes out. A command refused for the state it finds answers "+CMQTT<X>: <client_index>,<err>" then ERROR, as the
// manual's write forms show; a malformed one answers ERROR.
#include "agent/mqtt_service.hpp"

#include "agent/cert_store.hpp"
#include "apca/ada_text.hpp"

namespace agent {
namespace {

std::string number(long value) { return std::to_string(value); }
std::string number(mqtt_error error) { return std::to_string(static_cast<int>(error)); }

command_result refuse(const std::string& name, int index, mqtt_error error) {
  return command_result::error({name + ": " + number(index) + "," + number(error)});
}

// "tcp://host:port" (the manual's <server_addr>; TLS is the client's server type, not the scheme).
std::optional<socket_endpoint> parse_server(const std::string& address) {
  constexpr std::string_view scheme = "tcp://";
  if (address.size() <= scheme.size() || address.compare(0, scheme.size(), scheme) != 0) return std::nullopt;
  const std::string rest = address.substr(scheme.size());
  const auto colon = rest.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == rest.size()) return std::nullopt;
  long port = 0;
  for (char digit : rest.substr(colon + 1)) {
    if (digit < '0' || digit > '9' || (port = port * 10 + (digit - '0')) > 65535) return std::nullopt;
  }
  if (port == 0) return std::nullopt;
  return socket_endpoint{rest.substr(0, colon), static_cast<std::uint16_t>(port)};
}

// The manual's deadline for a CONNECT (TCP, then TLS, then CONNACK), as AT+CCHOPEN's; it gives none of its own.
constexpr std::chrono::milliseconds connect_timeout{120000};
// SUBSCRIBE and UNSUBSCRIBE wait as long as the shortest <pub_timeout>: the manual gives them no deadline.
constexpr std::chrono::seconds answer_timeout{60};

}  // namespace

void mqtt_service::add_to(command_table& table) {
  const long last = client_count - 1;
  const auto length_of = [](std::size_t most) { return integer(1, static_cast<long>(most)); };
  table.add({.name = "+CMQTTSTART", .test = answer_ok(), .action = handler(*this, &mqtt_service::start)});
  table.add({.name = "+CMQTTSTOP", .test = answer_ok(), .action = handler(*this, &mqtt_service::stop)});
  table.add({.name = "+CMQTTACCQ",
             .test = answer({"+CMQTTACCQ: (0-1),(1-128),(0-1)"}),
             .read = handler(*this, &mqtt_service::read_acquired),
             .set = handler(*this, &mqtt_service::acquire),
             .set_args = {integer(0, last), text(max_client_id), optional(integer(0, 1))}});
  table.add({.name = "+CMQTTREL",
             .test = answer({"+CMQTTREL: (0-1)"}),
             .set = handler(*this, &mqtt_service::release),
             .set_args = {integer(0, last)}});
  table.add({.name = "+CMQTTSSLCFG",
             .test = answer({"+CMQTTSSLCFG: (0-1),(0-9)"}),
             .read = handler(*this, &mqtt_service::read_ssl_contexts),
             .set = handler(*this, &mqtt_service::set_ssl_context),
             .set_args = {integer(0, last), integer(0, ssl_contexts::count - 1)}});
  table.add({.name = "+CMQTTWILLTOPIC",
             .test = answer({"+CMQTTWILLTOPIC: (0-1),(1-1024)"}),
             .set = handler(*this, &mqtt_service::will_topic),
             .set_args = {integer(0, last), length_of(max_topic)}});
  table.add({.name = "+CMQTTWILLMSG",
             .test = answer({"+CMQTTWILLMSG: (0-1),(1-1024),(0-2)"}),
             .set = handler(*this, &mqtt_service::will_message),
             .set_args = {integer(0, last), length_of(max_will), integer(0, 2)}});
  table.add({.name = "+CMQTTCONNECT",
             .test = answer({"+CMQTTCONNECT: (0-1),(9-256),(1-64800),(0-1),(1-256),(1-256)"}),
             .read = handler(*this, &mqtt_service::read_connections),
             .set = handler(*this, &mqtt_service::connect),
             .set_args = {integer(0, last), text(max_server), integer(1, 64800), optional(integer(0, 1)),
                          optional(text(max_login)), optional(text(max_login))}});
  table.add({.name = "+CMQTTDISC",
             .test = answer({"+CMQTTDISC: (0-1),(0,60-180)"}),
             .read = handler(*this, &mqtt_service::read_disconnected),
             .set = handler(*this, &mqtt_service::disconnect),
             .set_args = {integer(0, last), optional(integer(0, 180))}});
  table.add({.name = "+CMQTTTOPIC",
             .test = answer({"+CMQTTTOPIC: (0-1),(1-1024)"}),
             .set = handler(*this, &mqtt_service::topic),
             .set_args = {integer(0, last), length_of(max_topic)}});
  table.add({.name = "+CMQTTPAYLOAD",
             .test = answer({"+CMQTTPAYLOAD: (0-1),(1-10240)"}),
             .set = handler(*this, &mqtt_service::payload),
             .set_args = {integer(0, last), length_of(max_payload)}});
  table.add({.name = "+CMQTTPUB",
             .test = answer({"+CMQTTPUB: (0-1),(0-2),(60-180),(0-1),(0-1)"}),
             .set = handler(*this, &mqtt_service::publish),
             .set_args = {integer(0, last), integer(0, 2), integer(60, 180), optional(integer(0, 1)),
                          optional(integer(0, 1))}});
  table.add({.name = "+CMQTTSUBTOPIC",
             .test = answer({"+CMQTTSUBTOPIC: (0-1),(1-1024),(0-2)"}),
             .set = handler(*this, &mqtt_service::subscribe_topic),
             .set_args = {integer(0, last), length_of(max_topic), integer(0, 2)}});
  table.add({.name = "+CMQTTSUB",
             .test = answer({"+CMQTTSUB: (0-1),(1-1024),(0-2),(0-1)"}),
             .set = handler(*this, &mqtt_service::subscribe),
             .set_args = {integer(0, last), optional(length_of(max_topic)), optional(integer(0, 2)),
                          optional(integer(0, 1))}});
  table.add({.name = "+CMQTTUNSUBTOPIC",
             .test = answer({"+CMQTTUNSUBTOPIC: (0-1),(1-1024)"}),
             .set = handler(*this, &mqtt_service::unsubscribe_topic),
             .set_args = {integer(0, last), length_of(max_topic)}});
  table.add({.name = "+CMQTTUNSUB",
             .test = answer({"+CMQTTUNSUB: (0-1),(1-1024),(0-1)"}),
             .set = handler(*this, &mqtt_service::unsubscribe),
             .set_args = {integer(0, last), optional(length_of(max_topic)), optional(integer(0, 1))}});
}

// ---- the service and its clients ----

command_result mqtt_service::start() {
  if (started_) return command_result::error({"+CMQTTSTART: " + number(mqtt_error::network_opened)});
  started_ = ports_.streams.open_data_call();
  ports_.streams.post_urc("+CMQTTSTART: " + number(started_ ? mqtt_error::none : mqtt_error::network_open), {});
  return command_result::ok();
}

command_result mqtt_service::stop() {
  if (!started_) return command_result::error({"+CMQTTSTOP: " + number(mqtt_error::network_not_opened)});
  for (const client& c : clients_) {
    if (c.acquired) return command_result::error({"+CMQTTSTOP: " + number(mqtt_error::client_not_released)});
  }
  started_ = false;
  ports_.streams.post_urc("+CMQTTSTOP: 0", {});
  return command_result::ok();
}

command_result mqtt_service::acquire(const at_params& params) {
  const int index = params.integer(0);
  client& c = clients_[index];
  if (!started_) return refuse("+CMQTTACCQ", index, mqtt_error::network_not_opened);
  if (c.acquired) return refuse("+CMQTTACCQ", index, mqtt_error::client_used);
  if (params.text(1).empty()) return refuse("+CMQTTACCQ", index, mqtt_error::invalid_parameter);
  c = client{};
  c.acquired = true;
  c.id = params.text(1);
  c.server_type = params.integer(2, 0);
  return command_result::ok();
}

command_result mqtt_service::release(const at_params& params) {
  const int index = params.integer(0);
  if (auto refused = refuse_unacquired("+CMQTTREL", index)) return *refused;
  if (clients_[index].state != client::phase::idle) return refuse("+CMQTTREL", index, mqtt_error::busy);
  clients_[index] = client{};
  return command_result::ok();
}

command_result mqtt_service::read_acquired() const {
  std::vector<std::string> lines;
  for (const client& c : clients_) {
    lines.push_back("+CMQTTACCQ: " + number(index_of(c)) + "," + apca::quote_at_string(c.id) + "," +
                    number(c.server_type));
  }
  return command_result::ok(std::move(lines));
}

command_result mqtt_service::set_ssl_context(const at_params& params) {
  const int index = params.integer(0);
  if (clients_[index].state != client::phase::idle) return refuse("+CMQTTSSLCFG", index, mqtt_error::busy);
  clients_[index].ssl_context = params.integer(1);
  return command_result::ok();
}

command_result mqtt_service::read_ssl_contexts() const {
  std::vector<std::string> lines;
  for (const client& c : clients_) lines.push_back("+CMQTTSSLCFG: " + number(index_of(c)) + "," + number(c.ssl_context));
  return command_result::ok(std::move(lines));
}

std::optional<command_result> mqtt_service::refuse_unacquired(const std::string& name, int index) const {
  if (!clients_[index].acquired) return refuse(name, index, mqtt_error::client_not_acquired);
  return std::nullopt;
}

std::optional<command_result> mqtt_service::refuse_operation(const std::string& name, int index) const {
  if (auto refused = refuse_unacquired(name, index)) return refused;
  if (clients_[index].state != client::phase::connected) return refuse(name, index, mqtt_error::no_connection);
  if (!ready(clients_[index])) return refuse(name, index, mqtt_error::busy);
  return std::nullopt;
}

command_result mqtt_service::prompt(int index, std::size_t length, std::function<bool(client&, std::string)> take) {
  ports_.streams.ask_for_data({.prompt = ">",
                               .length = length,
                               .done = [this, index, take = std::move(take)](data_block block) {
                                 client& c = clients_[index];
                                 const bool taken = c.acquired && take(c, std::move(block.bytes));
                                 return taken ? command_result::ok() : command_result::error();
                               }});
  return command_result::held();
}

// ---- what a CONNECT carries ----

command_result mqtt_service::will_topic(const at_params& params) {
  const int index = params.integer(0);
  if (auto refused = refuse_unacquired("+CMQTTWILLTOPIC", index)) return *refused;
  return prompt(index, params.integer(1), [](client& c, std::string bytes) {
    if (!c.will) c.will.emplace();
    c.will->topic = std::move(bytes);
    return true;
  });
}

command_result mqtt_service::will_message(const at_params& params) {
  const int index = params.integer(0);
  if (auto refused = refuse_unacquired("+CMQTTWILLMSG", index)) return *refused;
  return prompt(index, params.integer(1), [qos = params.integer(2)](client& c, std::string bytes) {
    if (!c.will) c.will.emplace();
    c.will->message = std::move(bytes);
    c.will->qos = qos;
    return true;
  });
}

command_result mqtt_service::connect(const at_params& params) {
  const int index = params.integer(0);
  if (auto refused = refuse_unacquired("+CMQTTCONNECT", index)) return *refused;
  client& c = clients_[index];
  if (c.state != client::phase::idle) return refuse("+CMQTTCONNECT", index, mqtt_error::client_used);
  const auto server = parse_server(params.text(1));
  if (!server || params.text(1).size() < 9) return refuse("+CMQTTCONNECT", index, mqtt_error::invalid_parameter);
  // A will needs both its topic and its message.
  if (c.will && (c.will->topic.empty() || c.will->message.empty())) {
    return refuse("+CMQTTCONNECT", index, mqtt_error::invalid_parameter);
  }
  std::optional<tls_setup> tls;
  if (c.server_type == 1) {
    tls = tls_setup_for(ports_.streams.contexts.at(c.ssl_context), cert_store(ports_.streams.nv()), server->host);
    if (!tls) {
      post("+CMQTTCONNECT", c, mqtt_error::no_certificate);
      return command_result::ok();
    }
  }
  c.server = params.text(1);
  c.keepalive = params.integer(2);
  c.clean_session = params.integer(3, 0);
  c.user = params.has(4) ? std::optional(params.text(4)) : std::nullopt;
  c.password = params.has(5) ? std::optional(params.text(5)) : std::nullopt;
  c.stream = next_id_++;
  c.state = client::phase::opening;
  c.reader.reset();
  begin(c, {.what = operation::kind::connect}, connect_timeout);
  ports_.streams.io.open(c.stream, *server, std::move(tls), connect_timeout);
  return command_result::ok();
}

command_result mqtt_service::read_connections() const {
  std::vector<std::string> lines;
  for (const client& c : clients_) {
    std::string line = "+CMQTTCONNECT: " + number(index_of(c));
    if (c.state == client::phase::connected) {
      line += "," + apca::quote_at_string(c.server) + "," + number(c.keepalive) + "," + number(c.clean_session);
      if (c.user) line += "," + apca::quote_at_string(*c.user);
      if (c.password) line += "," + apca::quote_at_string(*c.password);
    }
    lines.push_back(std::move(line));
  }
  return command_result::ok(std::move(lines));
}

command_result mqtt_service::disconnect(const at_params& params) {
  const int index = params.integer(0);
  const int timeout = params.integer(1, 0);
  if (timeout != 0 && timeout < 60) return command_result::error();  // the manual's (0,60-180)
  if (auto refused = refuse_operation("+CMQTTDISC", index)) return *refused;
  client& c = clients_[index];
  c.state = client::phase::closing;  // no more pings: the keepalive timer finds the client not connected
  // 0: the manual's "no timeout"; the DISCONNECT still has the longest one, so a stalled stream cannot hold it.
  begin(c, {.what = operation::kind::disconnect}, std::chrono::seconds(timeout == 0 ? 180 : timeout));
  send(c, mqtt::encode_disconnect());
  return command_result::ok();
}

command_result mqtt_service::read_disconnected() const {
  std::vector<std::string> lines;
  for (const client& c : clients_) {
    lines.push_back("+CMQTTDISC: " + number(index_of(c)) + "," + (c.state == client::phase::connected ? "0" : "1"));
  }
  return command_result::ok(std::move(lines));
}

// ---- publishing ----

command_result mqtt_service::topic(const at_params& params) {
  const int index = params.integer(0);
  if (auto refused = refuse_unacquired("+CMQTTTOPIC", index)) return *refused;
  return prompt(index, params.integer(1), [](client& c, std::string bytes) {
    c.topic = std::move(bytes);
    return true;
  });
}

command_result mqtt_service::payload(const at_params& params) {
  const int index = params.integer(0);
  if (auto refused = refuse_unacquired("+CMQTTPAYLOAD", index)) return *refused;
  return prompt(index, params.integer(1), [](client& c, std::string bytes) {
    c.payload = std::move(bytes);
    return true;
  });
}

command_result mqtt_service::publish(const at_params& params) {
  const int index = params.integer(0);
  if (auto refused = refuse_operation("+CMQTTPUB", index)) return *refused;
  client& c = clients_[index];
  if (c.topic.empty()) return refuse("+CMQTTPUB", index, mqtt_error::topic_empty);
  const int qos = params.integer(1);
  const std::uint16_t id = qos > 0 ? next_packet_id(c) : 0;
  begin(c, {.what = operation::kind::publish, .packet_id = id, .qos = qos}, std::chrono::seconds(params.integer(2)));
  // The topic and payload are used up by the publish: the next one sets its own.
  send(c, mqtt::encode_publish(std::exchange(c.topic, {}), std::exchange(c.payload, {}), qos, params.integer(3, 0) == 1,
                               params.integer(4, 0) == 1, id));
  return command_result::ok();
}

// ---- subscribing ----

command_result mqtt_service::subscribe_topic(const at_params& params) {
  const int index = params.integer(0);
  if (auto refused = refuse_unacquired("+CMQTTSUBTOPIC", index)) return *refused;
  if (clients_[index].subscribe_filters.size() >= max_filters) return refuse("+CMQTTSUBTOPIC", index, mqtt_error::failed);
  return prompt(index, params.integer(1), [qos = params.integer(2)](client& c, std::string bytes) {
    c.subscribe_filters.emplace_back(std::move(bytes), qos);
    return true;
  });
}

command_result mqtt_service::subscribe(const at_params& params) {
  const int index = params.integer(0);
  if (auto refused = refuse_operation("+CMQTTSUB", index)) return *refused;
  client& c = clients_[index];
  if (!params.has(1)) {  // the topics AT+CMQTTSUBTOPIC gave
    if (c.subscribe_filters.empty()) return refuse("+CMQTTSUB", index, mqtt_error::topic_empty);
    send_subscribe(c, std::exchange(c.subscribe_filters, {}));
    return command_result::ok();
  }
  if (!params.has(2)) return command_result::error();  // one topic needs its QoS
  // The connection may have gone while the topic was typed: then the command fails.
  return prompt(index, params.integer(1), [this, qos = params.integer(2)](client& c, std::string bytes) {
    if (!ready(c)) return false;
    send_subscribe(c, {{std::move(bytes), qos}});
    return true;
  });
}

command_result mqtt_service::unsubscribe_topic(const at_params& params) {
  const int index = params.integer(0);
  if (auto refused = refuse_unacquired("+CMQTTUNSUBTOPIC", index)) return *refused;
  if (clients_[index].unsubscribe_filters.size() >= max_filters) {
    return refuse("+CMQTTUNSUBTOPIC", index, mqtt_error::failed);
  }
  return prompt(index, params.integer(1),
                [](client& c, std::string bytes) {
                  c.unsubscribe_filters.push_back(std::move(bytes));
                  return true;
                });
}

command_result mqtt_service::unsubscribe(const at_params& params) {
  const int index = params.integer(0);
  if (auto refused = refuse_operation("+CMQTTUNSUB", index)) return *refused;
  client& c = clients_[index];
  if (!params.has(1)) {
    if (c.unsubscribe_filters.empty()) return refuse("+CMQTTUNSUB", index, mqtt_error::topic_empty);
    send_unsubscribe(c, std::exchange(c.unsubscribe_filters, {}));
    return command_result::ok();
  }
  return prompt(index, params.integer(1),
                [this](client& c, std::string bytes) {
                  if (!ready(c)) return false;
                  send_unsubscribe(c, {std::move(bytes)});
                  return true;
                });
}

void mqtt_service::send_subscribe(client& c, std::vector<std::pair<std::string, int>> filters) {
  const std::uint16_t id = next_packet_id(c);
  begin(c, {.what = operation::kind::subscribe, .packet_id = id}, answer_timeout);
  send(c, mqtt::encode_subscribe(id, filters));
}

void mqtt_service::send_unsubscribe(client& c, std::vector<std::string> filters) {
  const std::uint16_t id = next_packet_id(c);
  begin(c, {.what = operation::kind::unsubscribe, .packet_id = id}, answer_timeout);
  send(c, mqtt::encode_unsubscribe(id, filters));
}

}  // namespace agent
