// The source-port check: the kernel's range text, and the one line a person gets when a fleet may outgrow it.
#include <catch2/catch.hpp>

#include "fleet/source_ports.hpp"

using fleet::parse_port_range;
using fleet::port_range;
using fleet::source_port_warning;

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

TEST_CASE("source ports: a fleet that fits says nothing, one that may not gets one line naming the numbers",
          "[fleet][source_ports]") {
  const port_range linux_default{32768, 60999};
  CHECK_FALSE(source_port_warning(linux_default, 7058, "127.0.0.1:8443"));  // 7,058 x 4 = 28,232: just fits
  const auto warned = source_port_warning(linux_default, 7059, "127.0.0.1:8443");
  REQUIRE(warned);
  CHECK(*warned ==
        "7059 modules may hold up to 28236 connections to 127.0.0.1:8443 at once and the system has 28232 source "
        "ports (net.ipv4.ip_local_port_range 32768-60999): a connection past them fails with 'Cannot assign "
        "requested address'; widen the range (sysctl -w net.ipv4.ip_local_port_range=\"1024 65535\") or run the "
        "fleet as shards on several machines (--shard)");
  CHECK(warned->find('\n') == std::string::npos);
  CHECK_FALSE(source_port_warning(port_range{1024, 65535}, 10000, "127.0.0.1:8443"));
}
