#include "scenario/case_context.hpp"

#include <fstream>
#include <iterator>
#include <string_view>
#include <thread>
#include <vector>

#include "harness/cloud_fixtures.hpp"
#include "scenario/port_address.hpp"

namespace scenario {

namespace {
std::string first_line_of(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// The last 40 lines of a log (a sanitizer report fits), shown the way the port's lines are.
std::string log_tail(const std::string& log) {
  std::vector<std::string_view> lines;
  for (std::size_t at = 0; at < log.size();) {
    const auto end = std::min(log.find('\n', at), log.size());
    lines.emplace_back(log.data() + at, end - at);
    at = end + 1;
  }
  std::string out;
  for (std::size_t i = lines.size() > 40 ? lines.size() - 40 : 0; i < lines.size(); ++i) out += "    | " + std::string(lines[i]) + "\n";
  return out.empty() ? "    (nothing)\n" : out;
}
}  // namespace

failure case_context::fail(const step& at, const std::string& why) const {
  std::string text = at.where.text() + ": " + why + "\n  last lines on the port:\n" + lines.recent_text();
  // A module that died explains the failure better than the port's silence does: show how its log ends.
  if (module && module->pid() > 0 && !module->running()) text += "\n  the module is no longer running; its log ends:\n" + log_tail(module->stderr_text());
  // Whatever step failed, a program under test tells what it was doing.
  if (program) text += "\n  the program's output:\n" + log_tail(program->output());
  return failure{std::move(text)};
}

bool case_context::read_more(std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
  if (!port || left <= milliseconds(0)) return false;
  const std::string bytes = port->read_until("\n", left);
  lines.feed(bytes);
  return !bytes.empty();
}

outcome<e2e::host_port*> case_context::host_end(const step& at) {
  if (program && program->running()) return fail(at, "the program under test has the port: wait for its exit first");
  if (!port) {
    auto attached = attach_port(*this, false);
    if (!attached.ok()) return attached.error();
  }
  return &*port;
}

outcome<e2e::admin_client> case_context::admin(const step& at) const {
  switch (spec.settings.cloud) {
    case cloud_kind::separate:
      return e2e::admin_of(*service);
    case cloud_kind::running: {
      const std::string& url = spec.settings.cloud_url;  // https://HOST:PORT
      const auto host_start = url.find("://") == std::string::npos ? 0 : url.find("://") + 3;
      const auto colon = url.rfind(':');
      if (colon == std::string::npos || colon < host_start) return fail(at, "cloud url wants https://HOST:PORT");
      return e2e::admin_client(url.substr(host_start, colon - host_start), url.substr(colon + 1),
                               spec.settings.cloud_ca, first_line_of(spec.settings.cloud_token_file));
    }
    case cloud_kind::embedded:
      if (!module) return fail(at, "the embedded cloud needs an emulator this run started");
      return e2e::embedded_admin(*module);
  }
  return fail(at, "no cloud");
}

step_result until_holds(case_context& context, const step& step, const std::function<std::optional<std::string>()>& mismatch) {
  const auto deadline = std::chrono::steady_clock::now() + context.timeout;
  for (;;) {
    const auto why = mismatch();
    if (!why) return done{};
    if (std::chrono::steady_clock::now() >= deadline) return context.fail(step, *why);
    std::this_thread::sleep_for(milliseconds(25));
  }
}

bool holds_subset(const nlohmann::json& whole, const nlohmann::json& subset) {
  nlohmann::json merged = whole;
  merged.merge_patch(subset);
  return merged == whole;
}

outcome<done> attach_port(case_context& context, bool wait_for_boot) {
  context.port.reset();
  if (const auto tcp = tcp_port_address(context.port_path))
    context.port = e2e::host_port::connect_tcp(tcp->host, tcp->port);
  else
    context.port = e2e::host_port::open_tty(context.port_path);
  context.echo_pending = false;
  if (!wait_for_boot) return done{};
  // The boot URCs end with PB DONE; a case starts after them. A module's first boot makes its keys: on a busy CI
  // machine that takes far longer than a case's answers do.
  const auto deadline = std::chrono::steady_clock::now() + std::max(context.timeout, e2e::startup_deadline);
  for (;;) {
    while (auto line = context.lines.next())
      if (*line == "PB DONE") return done{};
    if (!context.read_more(deadline))
      return failure{context.spec.where.text() + ": the module did not boot (no PB DONE)\n  last lines on the port:\n" +
                     context.lines.recent_text()};
  }
}

}  // namespace scenario
