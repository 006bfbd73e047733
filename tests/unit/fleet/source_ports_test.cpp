// Fitting a fleet's connections into the source ports: the kernel's range text, the plan (spread over loopback
// source addresses, or a line saying what would fail), and each module's address.
#include <catch2/catch.hpp>

#include "fleet/source_ports.hpp"

using fleet::module_source_address;
using fleet::parse_port_range;
using fleet::plan_source_addresses;
using fleet::port_range;

namespace {
const port_range linux_default{32768, 60999};
}

TEST_CASE("source ports: the kernel's range text is read as it words it", "[fleet][source_ports]") {
  const auto range = parse_port_range("32768\t60999\n");
  REQUIRE(range);
  CHECK(range->first == 32768);
  CHECK(range->last == 60999);
  CHECK(range->size() == 28232);
  CHECK(parse_port_range("1024 65535").value().size() == 64512);
  CHECK(parse_port_range("5000\t5000\n").value().size() == 1);
}

TEST_CASE("source ports: text that is not a range is refused with why", "[fleet][source_ports]") {
  for (const char* bad : {"", "32768", "60999\t32768\n", "0 100", "1024 70000", "1024 2048 4096", "a b", "1024x 2048"}) {
    INFO(bad);
    const auto range = parse_port_range(bad);
    REQUIRE_FALSE(range);
    CHECK(range.error().reason == "not a port range (two port numbers, the first not above the second)");
  }
}

TEST_CASE("source ports: a fleet that fits one address's ports is not spread and says nothing",
          "[fleet][source_ports]") {
  // 28,232 ports less 16 spare = 28,216 = 7,054 modules x 4 connections.
  const auto fits = plan_source_addresses(linux_default, 7054, "127.0.0.1", "8443");
  CHECK(fits.addresses == 1);
  CHECK_FALSE(fits.line);
  CHECK_FALSE(plan_source_addresses(linux_default, 7054, "10.1.2.3", "443").line);
  CHECK(module_source_address(0, 1).empty());
  CHECK(module_source_address(7053, 1).empty());
}

TEST_CASE("source ports: past one address, a loopback service's modules are spread over loopback addresses",
          "[fleet][source_ports]") {
  const auto spread = plan_source_addresses(linux_default, 7055, "127.0.0.1", "8443");
  CHECK(spread.addresses == 2);
  CHECK(spread.line == "7055 modules connect from 127.0.0.1 to 127.0.0.2: up to 28220 connections to the service, "
                       "and one address has 28232 source ports (net.ipv4.ip_local_port_range 32768-60999)");
  CHECK(plan_source_addresses(linux_default, 10000, "127.0.0.1", "8443").addresses == 2);
  CHECK(plan_source_addresses(linux_default, 100000, "127.0.0.1", "8443").addresses == 15);
  // A small range, as a test's network namespace sets it: 200 ports leave 184, 100 leave 84, 60 leave 44.
  CHECK(plan_source_addresses(port_range{40000, 40199}, 30, "127.0.0.1", "8443").addresses == 1);
  CHECK(plan_source_addresses(port_range{40000, 40099}, 30, "127.0.0.1", "8443").addresses == 2);   // 120 / 84
  CHECK(plan_source_addresses(port_range{40000, 40059}, 40, "127.0.0.1", "8443").addresses == 4);   // 160 / 44
  // Every address gets its share, in turn.
  CHECK(module_source_address(0, 4) == "127.0.0.1");
  CHECK(module_source_address(1, 4) == "127.0.0.2");
  CHECK(module_source_address(3, 4) == "127.0.0.4");
  CHECK(module_source_address(4, 4) == "127.0.0.1");
}

TEST_CASE("source ports: when spreading cannot help, one line says what would fail and what to do",
          "[fleet][source_ports]") {
  const std::string advice = ": a connection past them fails with 'Cannot assign requested address'; widen the range "
                             "(sysctl -w net.ipv4.ip_local_port_range=\"1024 65535\") or run the fleet as shards on "
                             "several machines (--shard)";
  // A service elsewhere: a loopback source cannot reach it.
  const auto remote = plan_source_addresses(linux_default, 10000, "10.1.2.3", "443");
  CHECK(remote.addresses == 1);
  CHECK(remote.line == "10000 modules may hold up to 40000 connections to 10.1.2.3:443 at once and the system has "
                       "28232 source ports (net.ipv4.ip_local_port_range 32768-60999)" + advice);
  // A host name may resolve to IPv6 (localhost to ::1), which an IPv4 source cannot reach.
  CHECK(plan_source_addresses(linux_default, 10000, "localhost", "443").addresses == 1);
  // More addresses than loopback's 254, or a range with nothing past the spare ports.
  const auto too_many = plan_source_addresses(port_range{40000, 40099}, 10000, "127.0.0.1", "8443");
  CHECK(too_many.addresses == 1);
  REQUIRE(too_many.line);
  CHECK(too_many.line->ends_with(advice));
  CHECK(plan_source_addresses(port_range{40000, 40009}, 30, "127.0.0.1", "8443").addresses == 1);
  CHECK(plan_source_addresses(port_range{40000, 40009}, 30, "127.0.0.1", "8443").line);
}
