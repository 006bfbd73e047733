#include "control/run.hpp"

#include <nlohmann/json.hpp>

#include "control/command_line.hpp"
#include "control/control_client.hpp"
#include "control/readable_answer.hpp"

namespace sim7600_ctl {

int run_ctl(const std::vector<std::string>& args,
            const std::function<std::optional<std::string>(const std::string&)>& environment, std::ostream& out,
            std::ostream& err) {
  const auto parsed = parse_ctl_command_line(args, environment);
  if (auto answered = cli::answer(parsed, "sim7600-ctl", ctl_usage, out, err))
    return common::exit_status(*answered);
  const ctl_command& command = parsed->args;
  const auto answered = call_control(command.endpoint, command.request);
  if (!answered) {
    err << "sim7600-ctl: " << answered.error().reason << "\n";
    return common::exit_status(common::exit_code::failed);
  }
  const control_reply& reply = answered.value();
  const nlohmann::json body = nlohmann::json::parse(reply.body, nullptr, false);
  if (reply.status < 200 || reply.status >= 300) {
    const bool has_reason = body.is_object() && body.contains("error") && body["error"].is_string();
    err << "sim7600-ctl: " << (has_reason ? body["error"].get<std::string>() : "HTTP " + std::to_string(reply.status))
        << "\n";
    return common::exit_status(common::exit_code::failed);
  }
  // A question (`state`, `sms sent`) prints its answer for a person, or as JSON with --json; an action prints its
  // answer only with --json.
  if (command.json) {
    out << body.dump() << "\n";
  } else if (sim7600_control::asks_something(command.request)) {
    out << sim7600_control::readable_answer(command.request, body);
  }
  return common::exit_status(common::exit_code::ok);
}

}  // namespace sim7600_ctl
