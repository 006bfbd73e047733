#include "ads_admin/run.hpp"

#include <thread>

#include "ads_admin/command_line.hpp"
#include "common/read_file.hpp"

namespace ads_admin {

namespace {

constexpr std::chrono::milliseconds job_poll_interval{200};

void print_answer(const admin_reply& reply, std::ostream& out) {
  if (!reply.body.is_discarded()) out << reply.body.dump(2) << '\n';
  else if (!reply.raw.empty()) out << reply.raw << '\n';
}

int refused(const admin_reply& reply, std::ostream& err) {
  err << "ads-admin: ";
  if (reply.status != 0) err << "HTTP " << reply.status << ": ";
  err << reply.failure_reason() << '\n';
  return common::exit_status(common::exit_code::failed);
}

// wait-job: polls until the job completes or the timeout passes; success only when every target succeeded.
int wait_for_job(const admin_command& command, admin_session& session, std::ostream& out, std::ostream& err) {
  const admin_request request = plan_request(command);
  const auto deadline = std::chrono::steady_clock::now() + command.timeout;
  for (;;) {
    const admin_reply reply = session.call(request.method, request.path, request.body);
    if (!reply.ok()) return refused(reply, err);
    const auto& job = reply.body;
    if (!job.is_object()) {
      err << "ads-admin: the service's answer is not a job: " << reply.raw << '\n';
      return common::exit_status(common::exit_code::failed);
    }
    const bool completed = job.value("status", "") == "completed";
    if (completed || std::chrono::steady_clock::now() >= deadline) {
      print_answer(reply, out);
      if (!completed) {
        err << "ads-admin: job " << command.job_id << " is still " << job.value("status", "?") << " after "
            << command.timeout.count() << " s\n";
        return common::exit_status(common::exit_code::failed);
      }
      const auto failed = job.value("failed", std::int64_t{0});
      if (failed != 0 || job.value("succeeded", std::int64_t{0}) != job.value("total", std::int64_t{0})) {
        err << "ads-admin: job " << command.job_id << " completed with " << failed << " failed of "
            << job.value("total", std::int64_t{0}) << '\n';
        return common::exit_status(common::exit_code::failed);
      }
      return common::exit_status(common::exit_code::ok);
    }
    std::this_thread::sleep_for(job_poll_interval);
  }
}

}  // namespace

int run_command(const admin_command& command, admin_session& session, std::ostream& out, std::ostream& err) {
  if (command.which == verb::wait_job) return wait_for_job(command, session, out, err);
  std::string file_bytes;
  if (!command.file.empty()) {
    auto content = common::read_file(command.file);
    if (!content) {
      err << "ads-admin: cannot read " << command.file.string() << '\n';
      return common::exit_status(common::exit_code::failed);
    }
    file_bytes = std::move(*content);
  }
  const admin_request request = plan_request(command, file_bytes);
  // A hundred factory devices cost the service a hundred RSA keys: tens of seconds on a slow machine.
  const auto deadline = command.which == verb::create_devices ? std::chrono::seconds(300) : std::chrono::seconds(60);
  const admin_reply reply = session.call(request.method, request.path, request.body, deadline);
  if (!reply.ok()) return refused(reply, err);
  print_answer(reply, out);
  return common::exit_status(common::exit_code::ok);
}

int run_admin(const std::vector<std::string_view>& args, const char* xdg_state_home, const char* home,
              std::ostream& out, std::ostream& err) {
  const auto parsed = parse_command_line(args, xdg_state_home, home);
  if (auto answered = cli::answer(parsed, "ads-admin", usage_text, out, err))
    return common::exit_status(*answered);
  auto endpoint = resolve_endpoint(parsed->args.service);
  if (!endpoint) {
    err << "ads-admin: " << endpoint.error().reason << '\n';
    return common::exit_status(common::exit_code::failed);
  }
  admin_session session(std::move(endpoint).value());
  return run_command(parsed->args.command, session, out, err);
}

}  // namespace ads_admin
