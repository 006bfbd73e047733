#include "control/run.hpp"

#include <nlohmann/json.hpp>

#include "control/command_line.hpp"
#include "control/control_client.hpp"

namespace sim7600_ctl {

int run_ctl(const std::vector<std::string>& args,
            const std::function<std::optional<std::string>(const std::string&)>& environment, std::ostream& out,
            std::ostream& err) {
  const ctl_parse parse = parse_ctl_command_line(args, environment);
  if (parse.help) {
    out << ctl_usage();
    return exit_done;
  }
  if (!parse.command) {
    err << "sim7600-ctl: " << parse.error << "\n";
    return exit_usage;
  }
  const ctl_command& command = *parse.command;
  const control_reply reply = call_control(command.endpoint, command.request);
  if (reply.status == 0) {
    err << "sim7600-ctl: " << reply.error << "\n";
    return exit_refused;
  }
  const nlohmann::json body = nlohmann::json::parse(reply.body, nullptr, false);
  if (reply.status < 200 || reply.status >= 300) {
    const bool has_reason = body.is_object() && body.contains("error") && body["error"].is_string();
    err << "sim7600-ctl: " << (has_reason ? body["error"].get<std::string>() : "HTTP " + std::to_string(reply.status))
        << "\n";
    return exit_refused;
  }
  // `state` always prints the world; other verbs print their answer only when asked for JSON.
  if (command.json) {
    out << body.dump() << "\n";
  } else if (command.request.method == "GET") {
    out << body.dump(2) << "\n";
  }
  return exit_done;
}

}  // namespace sim7600_ctl
