// control_roundtrip: a control verb to its URC on the AT port. `busy on` / `busy off` go to the daemon's control
// socket and the host waits for the `+ADA: "status"` URC each causes (p50, p99). Beside it, measured in the same
// run: the control API's own round trip (`state`, no port output) and `AT` through the PTY, the two halves of the
// path. Prints figures only.
#include <cstdio>
#include <cstdlib>

#include "bench/bench_stats.hpp"
#include "harness/harness.hpp"
#include "control/control_client.hpp"

namespace {

void print(const char* what, const bench::figures& f) {
  std::printf("%-40s p50 %8.1f us   p99 %8.1f us   %9.0f /s\n", what, f.p50_us, f.p99_us, f.per_second);
}

}  // namespace

int main(int argc, char** argv) {
  const int count = argc > 1 ? std::max(100, std::atoi(argv[1])) : 2000;
  std::printf("control_roundtrip: %d of each\n", count);
  e2e::booted_module module;
  e2e::start_service(module.port);
  module.port.command("AT+ADA=\"status\"");  // from now on every status change is a URC

  sim7600_ctl::control_endpoint endpoint;
  endpoint.socket_path = (module.module.state_dir() / "control.sock").string();
  const auto request = [&](const char* action) {
    return sim7600_control::control_request{"POST", "/v1/busy", {{"action", action}}};
  };
  const sim7600_control::control_request state{"GET", "/v1/state", {}};
  const auto busy_on = request("on"), busy_off = request("off");

  bool on = false;
  const bench::figures verb_to_urc = bench::measure(count, [&] {
    on = !on;
    sim7600_ctl::call_control(endpoint, on ? busy_on : busy_off);
    module.port.read_until(on ? "\"status\",8\r\n" : "\"status\",15,3\r\n");
  });
  const bench::figures control_only = bench::measure(count, [&] { sim7600_ctl::call_control(endpoint, state); });
  const bench::figures at = bench::measure(count, [&] { module.port.command("AT"); });
  module.module.terminate();

  print("busy on|off -> status URC on the port", verb_to_urc);
  print("baseline: control API state round trip", control_only);
  print("baseline: AT round trip through the PTY", at);
  std::printf("%-40s p50 x%.2f of the two baselines' sum\n", "verb -> URC",
              verb_to_urc.p50_us / (control_only.p50_us + at.p50_us));
  return 0;
}
