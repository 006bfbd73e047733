// A case's module port: a TTY's path, or IPV4:PORT for a module's AT port on TCP.
#include <catch2/catch.hpp>

#include "scenario/port_address.hpp"

using scenario::tcp_address;
using scenario::tcp_port_address;

TEST_CASE("port address: IPV4:PORT is a TCP port", "[scenario][port_address]") {
  CHECK(tcp_port_address("127.0.0.1:5000") == tcp_address{"127.0.0.1", 5000});
  CHECK(tcp_port_address("10.0.0.7:65535") == tcp_address{"10.0.0.7", 65535});
}

TEST_CASE("port address: a path, or anything but IPV4:PORT, is a TTY's path", "[scenario][port_address]") {
  for (const char* path : {"/dev/ttyUSB0", "/tmp/ttyM2", "ttyS0", "/tmp/a:1", "./127.0.0.1:5000", "127.0.0.1",
                           "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:50x", "127.0.0:5000", "256.0.0.1:5000",
                           "localhost:5000", "[::1]:5000", "127.0.0.1.5:5000", ":5000", "127..0.1:5000"}) {
    INFO(path);
    CHECK_FALSE(tcp_port_address(path));
  }
}
