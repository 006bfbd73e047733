#pragma once
// cloud_session: the module's conversation with the device service (SPEC §4), sans-I/O. It provisions in the
// field when there is no DSN, authenticates, registers the device and its OEM info, and sends datapoints and reads
// properties in the order the host asked. While the host listens it GETs commands.json when the service's
// notifier (ANS, ans_client) says something is queued, and polls at Ayla's interval while ANS is not reachable. Connection losses are
// retried with exponential backoff and jitter; property sends queued at a loss are sent after the reconnect.
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "ads_client/device_auth.hpp"
#include "ads_client/device_protocol.hpp"
#include "apca/ans_client.hpp"
#include "apca/cloud_port.hpp"
#include "apca/fetch_result.hpp"
#include "apca/ports.hpp"
#include "apca/result.hpp"

namespace apca {

// What a connection needs from the config; read again at every enable.
struct cloud_credentials {
  std::string dsn;         // id/dev_id; empty: provision in the field first
  std::string public_key;  // id/key, base64 body
  std::string oem_id;
  std::string oem_model;
  std::string oem_secret;
  std::string template_version;
  std::string region;
  std::string sw_version;  // the module firmware version
  // In-field provisioning (used when dsn is empty): key id, hwid, and the signed claim.
  std::string key_id;
  std::string hwid;
  std::string provisioning_rand;
  std::string provisioning_signature;  // raw recoverable RSA signature of the claim
};

struct datapoint {
  std::string name;
  std::string base_type;  // "boolean" ...
  std::string value;      // as the host typed it
  std::map<std::string, std::string> metadata;
};

class cloud_session final : cloud_answers, ans_client::listener {
 public:
  class listener {
   public:
    virtual ~listener() = default;
    virtual void on_online() = 0;
    // Lost or could not connect. `refused`: the service refused these credentials (retried only at the longest
    // backoff) or the config cannot work (not retried until connect() again).
    virtual void on_offline(const ada_error& why, bool refused) = 0;
    // In-field provisioning gave this identity; call `stored(true)` once it is durable in NV (false aborts).
    virtual void on_provisioned(const std::string& dsn, const std::string& public_key,
                                std::function<void(bool stored)> stored) = 0;
    virtual void on_send_status(const std::string& name, int status_code) = 0;
    virtual void on_get_result(const std::string& name, const result<ads_client::device_api::property_update>& got) = 0;
    virtual void on_to_device(const ads_client::device_api::property_update& update) = 0;
    virtual void on_command(const ads_client::device_api::command& command) = 0;
  };

  struct tuning {
    std::chrono::milliseconds request_deadline{10000};
    // While ANS is not reachable (or the service offers none) commands.json is asked again only after this long:
    // ADA's and devd's polling interval (CLIENT_POLL_INTERVAL), never in a tight loop.
    std::chrono::seconds fallback_poll{300};
    ans_client::tuning ans;
    std::chrono::milliseconds first_backoff{500};
    std::chrono::milliseconds max_backoff{8000};
    // Host requests (s, g) waiting for the cloud. Beyond it the host is told busy and sends again later, so a
    // host pipelining while the cloud is away holds at most this many values (of at most 1024 characters).
    std::size_t max_queued_requests = 4096;
  };

  cloud_session(cloud_port& port, timer_port& timers, clock_port& clock, listener& events,
                std::function<double()> random01, tuning settings);
  cloud_session(cloud_port& port, timer_port& timers, clock_port& clock, listener& events,
                std::function<double()> random01)
      : cloud_session(port, timers, clock, events, std::move(random01), tuning{}) {}
  ~cloud_session() override;
  cloud_session(const cloud_session&) = delete;
  cloud_session& operator=(const cloud_session&) = delete;

  void connect(cloud_credentials credentials);  // (re)start connecting with these credentials
  void disconnect();                            // stop; nothing queued survives
  // Stop because the network went (data call, coverage): accepted sends stay queued, in order, the one on the wire
  // included, and go out after the next connect(); gets and fetches in progress fail as "connection down".
  void suspend();
  bool online() const { return phase_ == phase::online; }
  bool notified() const { return ans_ && ans_->up(); }  // ANS is up: changes are pushed, not polled
  bool active() const { return phase_ != phase::idle; }
  void set_listening(bool listening);

  void send(datapoint point);                   // status later through on_send_status
  void get(std::string name);                   // result later through on_get_result
  void report_command_result(std::string uri, int status);
  void report_ota_failed(std::string type, int status);
  // GET `target` bytes offset..offset+length-1: the bytes, the link lost, or the image refused. `on_service`: a
  // path on the device service (download connection, Ayla auth); else an absolute URL on another host (image_host,
  // no Ayla auth), whose failures refuse the image and leave the session alone.
  void fetch_range(const std::string& target, bool on_service, std::uint64_t offset, std::uint64_t length,
                   fetch_done done);
  // GET `path` on the device service with Ayla auth: the body (an OTA image's location), or an error.
  void fetch_location(const std::string& path, fetch_done done);
  void update_template_version(std::string template_version);
  std::size_t pending_work() const { return work_.size() + (work_in_flight_ ? 1 : 0); }
  bool queue_full() const { return work_.size() >= tuning_.max_queued_requests; }

  void on_timer(timer_id id);  // service_connect: the backoff ended; service_poll; ans
  // cloud_answers: the port's answer to one of our requests; ids we no longer know (asked before a loss) are ignored.
  void on_response(cloud_request_id id, ads_client::http_outcome outcome) override;

 private:
  enum class phase { idle, provisioning, authenticating, registering, online, waiting_retry };
  // commands.json: nothing asked; the fallback poll's timer armed; a GET out; a GET out and asked again meanwhile.
  enum class poll_state { none, scheduled, in_flight, in_flight_again };
  struct work_item {
    enum class kind { send, get, command_result, ota_failed, oem_info } what;
    datapoint point;   // send
    std::string name;  // get: property; command_result: uri; ota_failed: image type
    int status = 0;    // command_result, ota_failed
  };
  // Why a request was sent: what its answer moves on.
  enum class purpose {
    provision, dsn, register_device, oem_info_then_online, oem_info_update, poll, work, fetch,
    notifier_check,  // GET /dsns after ANS was lost: is the service there, and where is its notifier now?
  };
  struct sent_request {
    purpose why;
    cloud_channel channel;
    ads_client::http_request request;  // unsigned: a 401 sends it again with fresh client auth
    bool authenticated;
    std::chrono::milliseconds deadline;
    std::uint64_t fetch_id = 0;  // purpose::fetch
  };

  void start_attempt();
  void go_idle();  // no connection, no timers; what is queued is the caller's to keep or drop
  void provision();
  void authenticate();
  void register_device();
  void send_oem_info(purpose then);
  void go_online();
  void poll_now();
  void after_poll(bool more);
  void schedule_poll();
  void start_notifier();
  std::optional<ans_client::server> notifier_address() const;
  void on_notifier_check_answer(const ads_client::http_response& response);
  void drop_connection();  // every request forgotten, the notifier stopped, the connections closed
  void next_work();
  void issue(purpose why, cloud_channel channel, ads_client::http_request request, bool authenticated,
             std::chrono::milliseconds deadline, std::uint64_t fetch_id = 0);
  void issue(sent_request sent);
  void forget_requests();  // answers to everything asked so far will be ignored
  // ans_client::listener
  void on_ans_up() override;
  void on_ans_down() override;
  void on_ans_event() override;
  void on_provision_answer(cloud_request_id id, const ads_client::http_response& response);
  void on_dsn_answer(const ads_client::http_response& response);
  void on_register_answer(const ads_client::http_response& response);
  void on_oem_info_answer(purpose why, const ads_client::http_response& response);
  void on_commands_answer(const ads_client::http_response& response);
  void fetch(cloud_channel channel, ads_client::http_request request, bool authenticated, fetch_done done);
  void on_fetch_answer(std::uint64_t fetch_id, const ads_client::http_response& response);
  void end_fetch(std::uint64_t fetch_id, fetch_result outcome);
  void finish_work(const ads_client::http_response& response);
  void fail_fetches();  // the link went down under them
  void requeue_in_flight();
  void connection_lost(const ada_error& why);
  void refused(const ada_error& why);
  void retry_later(const ada_error& why, bool refused, std::chrono::milliseconds backoff);
  void unusable(const ada_error& why);
  std::int64_t now() const;

  cloud_port& port_;
  timer_port& timers_;
  clock_port& clock_;
  listener& events_;
  std::function<double()> random01_;
  tuning tuning_;

  cloud_credentials credentials_;
  ads_client::device_auth auth_;
  std::string auth_key_body_;  // the id/key auth_ was given, so a token survives reconnects with the same key
  std::int64_t device_key_ = 0;
  phase phase_ = phase::idle;
  // Requests on the wire, by the id their answer will carry. Cleared at every (re)connect and disconnect.
  std::map<cloud_request_id, sent_request> in_flight_;
  cloud_request_id next_request_id_ = 1;
  // The provisioning answer whose identity the listener is storing; a store ending after a loss is ignored.
  std::optional<cloud_request_id> storing_identity_of_;
  int failed_attempts_ = 0;
  bool listening_ = false;
  poll_state poll_ = poll_state::none;
  std::optional<ans_client> ans_;  // when the port has a UDP path to the notifier
  ads_client::device_api::device_record device_;  // what GET /dsns said (the notifier's address and key)
  std::deque<work_item> work_;
  std::optional<work_item> work_in_flight_;
  // Image range fetches under way, by id: answered with an error when the connection goes.
  std::map<std::uint64_t, fetch_done> fetches_;
  std::uint64_t next_fetch_id_ = 0;
};

}  // namespace apca
