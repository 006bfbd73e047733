#include "apca/cloud_session.hpp"

#include <algorithm>

#include "ads_client/ans_packet.hpp"
#include "ads_client/ayla_host.hpp"
#include "ads_client/base64.hpp"
#include "apca/backoff.hpp"

namespace apca {

namespace api = ads_client::device_api;
using ads_client::http_outcome;
using ads_client::http_request;
using ads_client::http_response;
using ads_client::transport_error;

namespace {

// What `+ADA: "s",<name>,"status",<code>` reports for a refused datapoint (note §3.5 status codes).
int send_status_of(const http_response& response) {
  if (response.status >= 200 && response.status < 300) return 0;
  const std::string why = api::error_text(response);
  if (why.find("metadata") != std::string::npos) return 7;
  switch (response.status) {
    case 400: return 4;                                                  // bad syntax
    case 404: return 1;                                                  // type / property not found
    case 413: return 5;                                                  // too long
    case 422: return why.find("base_type") != std::string::npos ? 1 : 6;  // type mismatch / value invalid
    default: return 6;
  }
}

}  // namespace

cloud_session::cloud_session(cloud_port& port, timer_port& timers, clock_port& clock, listener& events,
                             std::function<double()> random01, tuning settings)
    : port_(port), timers_(timers), clock_(clock), events_(events), random01_(std::move(random01)),
      tuning_(settings) {
  port_.set_answers(this);
  if (auto* udp = port_.notifier())
    ans_.emplace(*udp, timers_, clock_, static_cast<ans_client::listener&>(*this), tuning_.ans);
}

cloud_session::~cloud_session() { port_.set_answers(nullptr); }

std::int64_t cloud_session::now() const { return clock_.unix_seconds() + auth_.clock_offset(); }

void cloud_session::connect(cloud_credentials credentials) {
  credentials_ = std::move(credentials);
  failed_attempts_ = 0;
  start_attempt();
}

void cloud_session::forget_requests() {
  in_flight_.clear();
  storing_identity_of_.reset();
}

void cloud_session::drop_connection() {
  forget_requests();
  poll_ = poll_state::none;
  timers_.cancel_timer(timer_id::service_poll);
  if (ans_) ans_->stop();
  port_.disconnect();
}

void cloud_session::go_idle() {
  drop_connection();
  phase_ = phase::idle;
  timers_.cancel_timer(timer_id::service_connect);
}

void cloud_session::disconnect() {
  go_idle();
  work_.clear();
  work_in_flight_.reset();
  fail_fetches();
}

void cloud_session::suspend() {
  go_idle();
  requeue_in_flight();
  fail_fetches();
}

void cloud_session::set_listening(bool listening) {
  listening_ = listening;
  if (listening_ && online() && poll_ == poll_state::none) poll_now();
}

void cloud_session::start_attempt() {
  drop_connection();
  timers_.cancel_timer(timer_id::service_connect);
  requeue_in_flight();
  fail_fetches();
  port_.set_server_name(
      ads_client::ayla_host_name(credentials_.region, credentials_.oem_model, credentials_.oem_id));
  if (credentials_.dsn.empty()) {
    provision();
  } else {
    authenticate();
  }
}

void cloud_session::provision() {
  phase_ = phase::provisioning;
  if (credentials_.provisioning_signature.empty() || credentials_.key_id.empty()) {
    return unusable(ada_error{ada_code::missing, "id/dev_id"});
  }
  http_request request = api::post_provision(credentials_.key_id, credentials_.oem_model,
                                             ads_client::base64_encode(credentials_.provisioning_signature));
  issue(purpose::provision, cloud_channel::control, std::move(request), false, tuning_.request_deadline);
}

void cloud_session::on_provision_answer(cloud_request_id id, const http_response& response) {
  auto identity = api::parse_provision(response);
  if (!identity) {
    if (response.status == 403 || response.status == 404 || response.status == 400) {
      return refused(ada_error{ada_code::err, "provisioning refused: " + api::error_text(response)});
    }
    return connection_lost(ada_error{ada_code::err, "provisioning: " + api::error_text(response)});
  }
  storing_identity_of_ = id;
  events_.on_provisioned(identity->dsn, identity->public_key, [this, id, identity = *identity](bool stored) {
    if (storing_identity_of_ != id) return;
    storing_identity_of_.reset();
    if (!stored) return unusable(ada_error{ada_code::err, "nv write failed"});
    credentials_.dsn = identity.dsn;
    credentials_.public_key = identity.public_key;
    authenticate();
  });
}

void cloud_session::authenticate() {
  phase_ = phase::authenticating;
  if (credentials_.public_key != auth_key_body_) {
    auto key = ads_client::rsa_key::public_from_base64_body(credentials_.public_key);
    if (!key) return unusable(ada_error{ada_code::invalid, "id/key"});
    auth_.set_key(std::move(key));
    auth_key_body_ = credentials_.public_key;
  }
  issue(purpose::dsn, cloud_channel::control, api::get_dsn(credentials_.dsn), true, tuning_.request_deadline);
}

void cloud_session::on_dsn_answer(const http_response& response) {
  auto device = api::parse_dsn(response);
  if (!device) {
    if (response.status == 403 || response.status == 404) {
      return refused(ada_error{ada_code::err, "device refused: " + api::error_text(response)});
    }
    return connection_lost(ada_error{ada_code::err, "dsn: " + api::error_text(response)});
  }
  device_key_ = device->key;
  device_ = std::move(*device);
  register_device();
}

void cloud_session::register_device() {
  phase_ = phase::registering;
  issue(purpose::register_device, cloud_channel::control,
        api::put_device(device_key_, credentials_.sw_version, credentials_.oem_id, credentials_.oem_model), true,
        tuning_.request_deadline);
}

void cloud_session::on_register_answer(const http_response& response) {
  if (response.status >= 400) {
    return refused(ada_error{ada_code::err, "device registration refused: " + api::error_text(response)});
  }
  send_oem_info(purpose::oem_info_then_online);
}

// OEM info proves the OEM secret; without a secret (in-field provisioned modules) there is nothing to prove.
// `then`: oem_info_then_online while connecting, oem_info_update for a new template version.
void cloud_session::send_oem_info(purpose then) {
  if (credentials_.oem_secret.empty() || credentials_.oem_id.empty() || credentials_.oem_model.empty()) {
    return then == purpose::oem_info_then_online ? go_online() : next_work();
  }
  auto key = ads_client::rsa_key::public_from_base64_body(credentials_.public_key);
  auto oem_key = key ? api::make_oem_key(*key, now(), credentials_.oem_secret, credentials_.oem_id,
                                         credentials_.oem_model)
                     : std::nullopt;
  if (!oem_key) return unusable(ada_error{ada_code::invalid, "id/key"});
  issue(then, cloud_channel::control,
        api::put_oem_info(device_key_, credentials_.oem_id, credentials_.oem_model, *oem_key,
                          credentials_.template_version),
        true, tuning_.request_deadline);
}

void cloud_session::on_oem_info_answer(purpose why, const http_response& response) {
  if (response.status == 403) {
    return refused(ada_error{ada_code::err, "oem info refused: " + api::error_text(response)});
  }
  if (response.status >= 400) {
    return connection_lost(ada_error{ada_code::err, "oem info: " + api::error_text(response)});
  }
  why == purpose::oem_info_then_online ? go_online() : next_work();
}

void cloud_session::go_online() {
  phase_ = phase::online;
  failed_attempts_ = 0;
  events_.on_online();
  if (!online()) return;  // the listener disconnected us
  start_notifier();
  if (listening_ && poll_ == poll_state::none) poll_now();
  next_work();
}

// ANS as GET /dsns named it; without one (or without a UDP path) the session only polls.
void cloud_session::start_notifier() {
  if (!ans_) return;
  if (auto address = notifier_address()) ans_->start(std::move(*address));
}

std::optional<ans_client::server> cloud_session::notifier_address() const {
  if (device_.ans_server.empty()) return std::nullopt;
  auto key = ads_client::base64_decode(device_.ans_cipher_key);
  if (!key || key->size() != ads_client::ans::key_length) return std::nullopt;
  return ans_client::server{credentials_.dsn, device_.ans_server, device_.ans_port, std::move(*key)};
}

void cloud_session::poll_now() {
  if (poll_ == poll_state::in_flight || poll_ == poll_state::in_flight_again) {
    poll_ = poll_state::in_flight_again;  // the answer on its way may predate what the event announced
    return;
  }
  timers_.cancel_timer(timer_id::service_poll);
  poll_ = poll_state::in_flight;
  // ADA says why it asks without an event: polling=1 when ANS was up before and is down now, 2 when never up.
  const int polling = notified() ? 0 : (ans_ && ans_->was_up() ? 1 : 2);
  issue(purpose::poll, cloud_channel::poll, api::get_commands(device_key_, polling), true, tuning_.request_deadline);
}

void cloud_session::on_commands_answer(const http_response& response) {
  auto batch = api::parse_commands(response);
  if (!batch) return connection_lost(ada_error{ada_code::err, "commands: " + api::error_text(response)});
  for (const auto& update : batch->properties) {
    events_.on_to_device(update);
    if (!online()) return;  // the listener disconnected us
  }
  for (auto command : batch->cmds) {
    command.uri = api::command_result_target(device_key_, command);
    events_.on_command(command);
    if (!online()) return;
  }
  after_poll(batch->more);
}

// The service answers commands.json at once (no agent of Ayla's holds it open): ask again at once only when it
// said more is queued (206) or an event came meanwhile; else wait for the next event, or poll later without ANS.
void cloud_session::after_poll(bool more) {
  const bool asked_again = poll_ == poll_state::in_flight_again;
  poll_ = poll_state::none;
  if (!listening_ || !online()) return;
  if (more || asked_again) return poll_now();
  if (!notified()) schedule_poll();
}

void cloud_session::schedule_poll() {
  poll_ = poll_state::scheduled;
  timers_.start_timer(timer_id::service_poll, tuning_.fallback_poll);
}

// Registered: anything queued before the registration gets one GET now (ADA does the same), then events.
void cloud_session::on_ans_up() {
  if (online() && listening_) poll_now();
}

// As ADA on an ANS loss: check that the service is there (a connection loss shows now, not at the next send) and
// ask where its notifier is (it may have moved), and poll meanwhile.
void cloud_session::on_ans_down() {
  if (!online()) return;
  issue(purpose::notifier_check, cloud_channel::control, api::get_dsn(credentials_.dsn), true,
        tuning_.request_deadline);
  if (online() && listening_ && poll_ == poll_state::none) schedule_poll();
}

void cloud_session::on_notifier_check_answer(const http_response& response) {
  auto device = api::parse_dsn(response);
  if (!device) return connection_lost(ada_error{ada_code::err, "dsn: " + api::error_text(response)});
  device_ = std::move(*device);
  if (auto address = notifier_address()) ans_->retarget(std::move(*address));
}

void cloud_session::on_ans_event() {
  if (online() && listening_) poll_now();
}

void cloud_session::send(datapoint point) {
  work_.push_back(work_item{work_item::kind::send, std::move(point), {}, 0});
  next_work();
}

void cloud_session::get(std::string name) {
  work_.push_back(work_item{work_item::kind::get, {}, std::move(name), 0});
  next_work();
}

void cloud_session::report_command_result(std::string uri, int status) {
  work_.push_back(work_item{work_item::kind::command_result, {}, std::move(uri), status});
  next_work();
}

void cloud_session::report_ota_failed(std::string type, int status) {
  work_.push_back(work_item{work_item::kind::ota_failed, {}, std::move(type), status});
  next_work();
}

void cloud_session::fetch_range(const std::string& target, bool on_service, std::uint64_t offset,
                                std::uint64_t length, fetch_done done) {
  http_request request{"GET", target, {}, {}};
  request.headers.emplace_back("Range",
                               "bytes=" + std::to_string(offset) + "-" + std::to_string(offset + length - 1));
  // An image on another host (a non-local OTA source) goes there without Ayla auth, as ADA's S3 fetch does.
  fetch(on_service ? cloud_channel::download : cloud_channel::image_host, std::move(request), on_service,
        std::move(done));
}

void cloud_session::fetch_location(const std::string& path, fetch_done done) {
  fetch(cloud_channel::download, http_request{"GET", path, {}, {}}, true, std::move(done));
}

void cloud_session::fetch(cloud_channel channel, http_request request, bool authenticated,
                          fetch_done done) {
  if (!online()) return done(fetch_link_lost());
  const std::uint64_t id = next_fetch_id_++;
  fetches_[id] = std::move(done);
  issue(purpose::fetch, channel, std::move(request), authenticated, tuning_.request_deadline, id);
}

void cloud_session::on_fetch_answer(std::uint64_t fetch_id, const http_response& response) {
  if (response.status == 200 || response.status == 206) return end_fetch(fetch_id, response.body);
  end_fetch(fetch_id, fetch_refused(ada_error{ada_code::err, "image: " + api::error_text(response)}));
}

void cloud_session::end_fetch(std::uint64_t fetch_id, fetch_result outcome) {
  auto found = fetches_.find(fetch_id);
  if (found == fetches_.end()) return;
  auto done = std::move(found->second);
  fetches_.erase(found);
  done(std::move(outcome));
}

void cloud_session::fail_fetches() {
  auto failed = std::move(fetches_);
  fetches_.clear();
  for (auto& [id, done] : failed) done(fetch_link_lost());
}

void cloud_session::update_template_version(std::string template_version) {
  credentials_.template_version = std::move(template_version);
  work_.push_back(work_item{work_item::kind::oem_info, {}, {}, 0});
  next_work();
}

// One control request at a time keeps the host's order, and lets a 401 be retried in place.
void cloud_session::next_work() {
  if (!online() || work_in_flight_ || work_.empty()) return;
  work_in_flight_ = std::move(work_.front());
  work_.pop_front();
  const work_item& item = *work_in_flight_;
  switch (item.what) {
    case work_item::kind::send: {
      auto value = api::value_from_text(item.point.base_type, item.point.value);
      if (!value) {
        const std::string name = item.point.name;
        work_in_flight_.reset();
        events_.on_send_status(name, 6);
        return next_work();
      }
      return issue(purpose::work, cloud_channel::control,
                   api::post_datapoint(device_key_, item.point.name, item.point.base_type, *value,
                                       item.point.metadata),
                   true, tuning_.request_deadline);
    }
    case work_item::kind::get:
      return issue(purpose::work, cloud_channel::control, api::get_property(device_key_, item.name), true,
                   tuning_.request_deadline);
    case work_item::kind::command_result:
      return issue(purpose::work, cloud_channel::control, api::put_command_result(item.name, item.status), true,
                   tuning_.request_deadline);
    case work_item::kind::ota_failed:
      return issue(purpose::work, cloud_channel::control, api::put_ota_failed(device_key_, item.name, item.status),
                   true, tuning_.request_deadline);
    case work_item::kind::oem_info:
      work_in_flight_.reset();
      return send_oem_info(purpose::oem_info_update);
  }
}

void cloud_session::finish_work(const http_response& response) {
  work_item item = std::move(*work_in_flight_);
  work_in_flight_.reset();
  switch (item.what) {
    case work_item::kind::send:
      events_.on_send_status(item.point.name, send_status_of(response));
      break;
    case work_item::kind::get: {
      auto property = api::parse_property(response);
      if (property) {
        events_.on_get_result(item.name, *property);
      } else if (response.status == 404) {
        events_.on_get_result(item.name, ada_error{ada_code::invalid, "unknown property"});
      } else {
        events_.on_get_result(item.name, ada_error{ada_code::err, api::error_text(response)});
      }
      break;
    }
    case work_item::kind::command_result:
    case work_item::kind::ota_failed:
    case work_item::kind::oem_info:
      break;
  }
  next_work();
}

void cloud_session::issue(purpose why, cloud_channel channel, http_request request, bool authenticated,
                          std::chrono::milliseconds deadline, std::uint64_t fetch_id) {
  issue(sent_request{why, channel, std::move(request), authenticated, deadline, fetch_id});
}

void cloud_session::issue(sent_request sent) {
  http_request signed_request = sent.request;
  if (sent.authenticated && !auth_.sign(signed_request, clock_.unix_seconds())) {
    return unusable(ada_error{ada_code::invalid, "id/key"});
  }
  const cloud_request_id id = next_request_id_++;
  const cloud_channel channel = sent.channel;
  const auto deadline = sent.deadline;
  in_flight_.emplace(id, std::move(sent));
  port_.request(id, channel, std::move(signed_request), deadline);
}

void cloud_session::on_response(cloud_request_id id, http_outcome outcome) {
  auto found = in_flight_.find(id);
  if (found == in_flight_.end()) return;
  sent_request sent = std::move(found->second);
  in_flight_.erase(found);
  // Another host serving an image (a non-local OTA source) says nothing about the device service's link: its
  // failures (TLS, unreachable, a 5xx) end that fetch, never the session.
  if (sent.channel == cloud_channel::image_host) {
    if (auto* failure = std::get_if<transport_error>(&outcome)) {
      return end_fetch(sent.fetch_id, fetch_refused(ada_error{ada_code::err, "image host: " + failure->what}));
    }
    return on_fetch_answer(sent.fetch_id, std::get<http_response>(outcome));
  }
  if (auto* failure = std::get_if<transport_error>(&outcome)) {
    return connection_lost(ada_error{ada_code::err, failure->what});
  }
  const http_response& response = std::get<http_response>(outcome);
  if (sent.authenticated) {
    switch (auth_.on_response(response, clock_.unix_seconds())) {
      case ads_client::device_auth::verdict::retry:
        return issue(std::move(sent));
      case ads_client::device_auth::verdict::refused:
        return refused(ada_error{ada_code::err, "authentication failed"});
      case ads_client::device_auth::verdict::accepted:
        break;
    }
  }
  if (response.status >= 500) {
    return connection_lost(ada_error{ada_code::err, "service error " + api::error_text(response)});
  }
  switch (sent.why) {
    case purpose::provision: return on_provision_answer(id, response);
    case purpose::dsn: return on_dsn_answer(response);
    case purpose::register_device: return on_register_answer(response);
    case purpose::oem_info_then_online:
    case purpose::oem_info_update: return on_oem_info_answer(sent.why, response);
    case purpose::poll: return on_commands_answer(response);
    case purpose::work: return finish_work(response);
    case purpose::fetch: return on_fetch_answer(sent.fetch_id, response);
    case purpose::notifier_check: return on_notifier_check_answer(response);
  }
}

// The request in flight when the connection broke: a send or an OTA report goes back to the head of the queue,
// a get is answered as failed.
void cloud_session::requeue_in_flight() {
  if (!work_in_flight_) return;
  if (work_in_flight_->what != work_item::kind::get) {
    work_.push_front(std::move(*work_in_flight_));
  } else if (work_in_flight_->what == work_item::kind::get) {
    events_.on_get_result(work_in_flight_->name, ada_error{ada_code::err, "connection down"});
  }
  work_in_flight_.reset();
}

void cloud_session::connection_lost(const ada_error& why) {
  ++failed_attempts_;
  retry_later(why, false, doubling_backoff(tuning_.first_backoff, tuning_.max_backoff, failed_attempts_));
}

// The service turned these credentials down: say so, and ask again only at the longest backoff, in case the
// service's records change (an OEM added, a key uploaded) rather than hammer it.
void cloud_session::refused(const ada_error& why) { retry_later(why, true, tuning_.max_backoff); }

void cloud_session::retry_later(const ada_error& why, bool refused, std::chrono::milliseconds backoff) {
  phase_ = phase::waiting_retry;
  drop_connection();
  requeue_in_flight();
  fail_fetches();
  // Gets waiting behind the loss would wait for an unknown time: answer them now; sends stay queued.
  std::deque<work_item> kept;
  for (auto& item : work_) {
    if (item.what == work_item::kind::get) {
      events_.on_get_result(item.name, ada_error{ada_code::err, "connection down"});
    } else {
      kept.push_back(std::move(item));
    }
  }
  work_ = std::move(kept);
  const auto delay =
      std::chrono::milliseconds(static_cast<std::int64_t>(backoff.count() * (0.75 + 0.5 * random01_())));
  timers_.start_timer(timer_id::service_connect, delay);
  events_.on_offline(why, refused);
}

// This module's own config cannot work (no key, no DSN to provision with): no retry until connect() again.
void cloud_session::unusable(const ada_error& why) {
  disconnect();
  events_.on_offline(why, true);
}

void cloud_session::on_timer(timer_id id) {
  if (id == timer_id::service_connect && phase_ == phase::waiting_retry) start_attempt();
  if (id == timer_id::service_poll && poll_ == poll_state::scheduled && online()) {
    poll_ = poll_state::none;
    if (listening_) poll_now();
  }
  if (id == timer_id::ans && ans_) ans_->on_timer();
}

}  // namespace apca
