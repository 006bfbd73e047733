#pragma once
// control_verbs: the control API of SPEC §7 as one table — each verb with its forms (a sub-word such as `cut` and
// typed arguments), how a command line is read into a request and how a request is checked and run against a
// control_world. Pure: the daemon's server and sim7600-ctl both use it, no I/O here.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace sim7600_control {

using json = nlohmann::json;

// What a verb did: 200 with a JSON answer, or a 4xx status with the one-line reason ({"error":"<why>"}).
struct verb_outcome {
  int status = 200;
  json body = json::object();
  static verb_outcome done(json body = json::object()) { return {200, std::move(body)}; }
  static verb_outcome refused(std::string why, int status = 409) { return {status, {{"error", std::move(why)}}}; }
  bool ok() const { return status >= 200 && status < 300; }
};

enum class cloud_fault { cut, blackhole, latency, restore };

// The module's world as the control API changes it. The radio verbs answer "not available" until the world
// model (SIM, radio, registration, operator, signal, clock, SMS, power) implements them.
class control_world {
 public:
  virtual ~control_world() = default;
  virtual json state() = 0;
  virtual verb_outcome reboot() = 0;
  virtual verb_outcome power_cut(std::chrono::milliseconds off) = 0;
  virtual verb_outcome cloud(cloud_fault fault, std::chrono::milliseconds latency) = 0;
  virtual verb_outcome busy(bool on) = 0;
  virtual verb_outcome drop_data_call(std::optional<int> cid) = 0;

  virtual verb_outcome signal(int rssi, int ber);
  virtual verb_outcome coverage(bool lost);
  virtual verb_outcome registration(const std::string& domain, int stat);
  virtual verb_outcome network_operator(const std::string& name, const std::string& mccmnc, std::optional<int> act);
  virtual verb_outcome sim(const std::string& action, const std::optional<std::string>& pin);
  virtual verb_outcome clock_skew(long seconds);
  virtual verb_outcome network_time(const std::string& iso8601, const std::optional<std::string>& zone);
  virtual verb_outcome sms_deliver(const std::string& from, const std::string& text);
  virtual verb_outcome sms_sent();
  virtual verb_outcome battery(int millivolts);
  virtual verb_outcome temperature(int celsius);
  // `ussd reply|menu CODE TEXT`: what the network answers to a USSD code (or to a menu's reply, "CODE>R").
  virtual verb_outcome ussd(const std::string& action, const std::string& code, const std::string& text);
  // `call incoming FROM` / `call answer|reject|busy|hangup`: the network side of a voice call.
  virtual verb_outcome call(const std::string& action, const std::optional<std::string>& from);
  // The GNSS sky: standing at a position, following a GPX track (FILE, an absolute path the daemon reads), or no
  // satellites at all.
  virtual verb_outcome gnss_fix(double latitude, double longitude, std::optional<double> altitude);
  virtual verb_outcome gnss_route(const std::string& gpx_file);
  virtual verb_outcome gnss_lost();
  // Where the location service (AT+CLBS) places the serving cell: decimal degrees as text, accuracy in metres.
  virtual verb_outcome cell_position(const std::string& latitude, const std::string& longitude,
                                     std::optional<int> accuracy_m);
};

// One argument of a verb form: a JSON key, its type and range; `flag` ("--off-ms") when it is named on the command
// line instead of positional.
struct verb_arg {
  enum class type { integer, number, text };  // number: a decimal (JSON number), in [low, high]
  std::string key;
  type kind = type::text;
  long low = 0;
  long high = 0;
  bool optional = false;
  std::string flag = {};
  bool file = false;  // a text naming a file the daemon reads: sim7600-ctl makes it absolute
};

struct verb_form {
  std::string action;  // the sub-word ("cut", "drop"); empty for a verb without one
  std::vector<verb_arg> args;
  bool asks = false;  // a question (`sms sent`): its answer is printed for a person even without --json
};

// An HTTP request of the control API.
struct control_request {
  std::string method;  // "GET" (state) or "POST"
  std::string target;  // "/v1/<verb>"
  json body = json::object();
};

// sim7600-ctl's VERB [ARGS...] → the request; on a usage error, the one-line reason. `file_path` turns a file
// argument into the path the daemon should read (sim7600-ctl: absolute from its working directory); by default it
// is kept as written.
common::outcome<control_request> parse_command(const std::vector<std::string>& words,
                                               const std::function<std::string(const std::string&)>& file_path = {});

// One request against the world: the HTTP status and JSON body to answer with. Unknown verb 404, bad or missing
// arguments 400, a wrong method 405, a refusal by the world its own 4xx; a refused verb changes nothing.
verb_outcome handle_request(control_world& world, const std::string& method, std::string_view target,
                            std::string_view body);

// Whether the request asks something (a GET verb such as `state`, or a question form such as `sms sent`), so its
// answer is printed; an action's answer is printed only with --json.
bool asks_something(const control_request& request);

// "Verbs:" lines for --help.
std::string verbs_usage();

// Every verb's name and forms, in --help's order (sim7600-ctl's completion is made from them).
std::vector<std::pair<std::string, std::vector<verb_form>>> verb_forms();

}  // namespace sim7600_control
