// Bytes into the whole module: the V.250 line reader, every command table, AT+ADA, and the APCA service behind
// it, with timers, NV saves and the device service's answers under the input's control.
//
// Input: records separated by 0x1D. The first record, and any record not starting with one of these letters, is
// host bytes. "H<bytes>" host bytes; "T<n>" fire the n-th armed timer; "R<digit><body>" answer the oldest cloud
// request (responses.hpp: response_from); "N0"/"N1" fail/complete the oldest NV save; "D" the port drained its
// output; "X" the host closed the port; "B" reboot; "C<secs>" advance the clock.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ads_client/rsa_key.hpp"
#include "agent/module_core.hpp"
#include "apca/factory_identity.hpp"
#include "fuzz/records.hpp"
#include "fuzz/responses.hpp"
#include "tests/support/fake_cloud.hpp"
#include "tests/support/fake_ports.hpp"

namespace {

// A module as the embedded service leaves it: provisioned with a demo identity (one key for the whole run:
// generating it is slow, and its value does not steer the code paths).
config_store::nv_image factory_nv() {
  static const std::string public_key = ads_client::rsa_key::generate(1024).public_base64_body();
  config_store::nv_image nv;
  apca::install_factory_identity(
      nv, apca::factory_identity{"0dfc7900", "sim7600-demo", "oem-secret", "US", "AC000W000000001", public_key});
  return nv;
}

struct rig {
  test_support::fake_timers timers;
  test_support::fake_clock clock;
  test_support::fake_nv nv;
  test_support::fake_cloud cloud;
  agent::module_core module;

  rig() : module(options(), timers, clock, nv, factory_nv(), &cloud) {}

  static agent::module_options options() {
    agent::module_options options;
    options.network_auto = true;
    return options;
  }

  void fire(unsigned n) {
    apca::timer_id id;
    if (timers.take(n, id)) module.on_timer(id);
  }

  // Answers the oldest request with the input's response; one sent before a disconnect ends with a transport
  // error instead, as the real transport ends it.
  void answer(std::string_view record) {
    if (cloud.requests.empty()) return;
    const auto next = cloud.take();
    next.done(next.dropped ? ads_client::http_outcome{ads_client::transport_error{"disconnected"}}
                           : fuzz::response_from(record));
  }

  void run(std::string_view record) {
    const char op = record.empty() ? 'H' : record.front();
    const std::string_view rest = record.empty() ? record : record.substr(1);
    switch (op) {
      case 'H': module.feed(rest); break;
      case 'T': fire(fuzz::small_number(rest, 0)); break;
      case 'R': answer(rest); break;
      case 'N':
        if (!nv.pending.empty()) nv.finish_save(rest != "0");
        break;
      case 'D': module.output_drained(); break;
      case 'X': module.host_disconnected(); break;
      case 'B': module.reboot(); break;
      case 'C': clock.now += fuzz::small_number(rest, 1); break;
      default: module.feed(record); break;
    }
    module.take_output();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  rig r;
  r.module.power_on();
  r.fire(0);  // the boot timer: RDY
  const auto records = fuzz::split_records(fuzz::as_text(data, size));
  r.module.feed(records.front());
  r.module.take_output();
  for (std::size_t i = 1; i < records.size(); ++i) r.run(records[i]);
  return 0;
}
