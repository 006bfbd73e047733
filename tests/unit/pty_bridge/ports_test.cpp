// The ports on real kernel objects: a real pseudo-TTY, a PTY slave standing in for a serial device, loopback TCP.
#include <utility>  // first: Debian Boost 1.74 Asio needs std::exchange (STYLE pitfalls)

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <tuple>

#include "pty_bridge/pty_port.hpp"
#include "pty_bridge/serial_port.hpp"
#include "pty_bridge/tcp_port.hpp"

using namespace pty_bridge;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// What the runtime would see from a port.
struct recorded_events {
  std::string received;
  std::vector<std::string> log;  // "bytes:<...>" and "closed", in order
  host_events events() {
    return {[this](std::string_view bytes) {
              received += bytes;
              log.push_back("bytes:" + std::string(bytes));
            },
            [this] { log.push_back("closed"); }, nullptr};
  }
  bool closed() const { return !log.empty() && log.back() == "closed"; }
};

// Runs the loop until `done` or a deadline; returns whether `done` became true.
bool run_until(boost::asio::io_context& io, const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    io.restart();
    io.run_for(5ms);
  }
  return true;
}

fs::path fresh_dir() {
  char pattern[] = "/tmp/pty_bridge_test.XXXXXX";
  return fs::path(::mkdtemp(pattern));
}

// A pty_port on a fresh link in a folder of its own, with what it reported; the folder goes with it.
struct open_pty {
  explicit open_pty(std::optional<unsigned> pace_baud = std::nullopt)
      : dir(fresh_dir()), link(dir / "ttySIM"), opened(pty_port::open(io, {link.string(), pace_baud}, seen.events())) {
    REQUIRE(opened.ok());
  }
  ~open_pty() {
    if (opened) opened.value().reset();
    fs::remove_all(dir);
  }
  std::tuple<boost::asio::io_context&, recorded_events&, open_result<pty_port>&> parts() { return {io, seen, opened}; }

  fs::path dir;
  fs::path link;
  boost::asio::io_context io;
  recorded_events seen;
  open_result<pty_port> opened;
};

int open_client(const fs::path& link) {
  const int fd = ::open(link.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK);
  REQUIRE(fd >= 0);
  termios tio{};
  ::tcgetattr(fd, &tio);
  ::cfmakeraw(&tio);
  ::tcsetattr(fd, TCSANOW, &tio);
  return fd;
}

// Reads what is available on `fd` while the loop runs, until `text` has arrived.
bool read_until(boost::asio::io_context& io, int fd, std::string& got, const std::string& text) {
  return run_until(io, [&] {
    char buffer[65536];
    for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) got.append(buffer, static_cast<std::size_t>(n));
    return got.find(text) != std::string::npos;
  });
}

}  // namespace

TEST_CASE("pty_port links a raw pseudo-TTY and carries bytes both ways") {
  open_pty pty;
  auto [io, seen, opened] = pty.parts();
  const fs::path& link = pty.link;
  CHECK(fs::is_symlink(link));
  CHECK(fs::read_symlink(link) == opened.value()->slave_path());
  CHECK(opened.value()->describe() == "pty " + opened.value()->slave_path() + " link " + link.string());

  const int client = open_client(link);
  REQUIRE(::write(client, "AT\r", 3) == 3);
  REQUIRE(run_until(io, [&] { return seen.received == "AT\r"; }));

  opened.value()->send("AT\r\r\nOK\r\n");
  std::string got;
  REQUIRE(read_until(io, client, got, "OK\r\n"));
  CHECK(got == "AT\r\r\nOK\r\n");  // exactly: no line-discipline echo or CR/LF translation

  ::close(client);
  opened.value()->close();
  CHECK_FALSE(fs::exists(fs::symlink_status(link)));
}

TEST_CASE("pty_port reports a client's close after its last bytes, and serves the next client") {
  open_pty pty;
  auto [io, seen, opened] = pty.parts();
  const fs::path& link = pty.link;

  int client = open_client(link);
  REQUIRE(::write(client, "AT+ADA=\"c", 9) == 9);
  ::close(client);  // half a line, then gone
  REQUIRE(run_until(io, [&] { return seen.closed(); }));
  CHECK(seen.received == "AT+ADA=\"c");
  CHECK(seen.log.back() == "closed");

  client = open_client(link);  // the master never saw a hang-up: the same port serves on
  REQUIRE(::write(client, "AT\r", 3) == 3);
  REQUIRE(run_until(io, [&] { return seen.received == "AT+ADA=\"cAT\r"; }));
  opened.value()->send("OK\r\n");
  std::string got;
  CHECK(read_until(io, client, got, "OK\r\n"));
  ::close(client);
  REQUIRE(run_until(io, [&] { return seen.closed(); }));
}

TEST_CASE("pty_port drops output nobody read when its client leaves") {
  open_pty pty;
  auto [io, seen, opened] = pty.parts();
  int client = open_client(pty.link);
  opened.value()->send("AT+ADA=\"c");  // the echo of a half line the client never reads
  ::close(client);
  REQUIRE(run_until(io, [&] { return seen.closed(); }));
  client = open_client(pty.link);
  opened.value()->send("\r\nRDY\r\n");
  std::string got;
  REQUIRE(read_until(io, client, got, "RDY\r\n"));
  CHECK(got == "\r\nRDY\r\n");
  ::close(client);
}

TEST_CASE("pty_port orders a close before the bytes of a client that opened right after it") {
  open_pty pty;
  auto [io, seen, opened] = pty.parts();
  const fs::path& link = pty.link;
  int client = open_client(link);
  REQUIRE(::write(client, "AT+ADA=\"c", 9) == 9);
  REQUIRE(run_until(io, [&] { return seen.received == "AT+ADA=\"c"; }));
  // Close and reopen and type, all before the loop turns: the new client's line must not join the old one's.
  ::close(client);
  client = open_client(link);
  REQUIRE(::write(client, "AT\r", 3) == 3);
  REQUIRE(run_until(io, [&] { return seen.received == "AT+ADA=\"cAT\r"; }));
  CHECK(seen.log == std::vector<std::string>{"bytes:AT+ADA=\"c", "closed", "bytes:AT\r"});
  ::close(client);
}

TEST_CASE("pty_port replaces a stale link and refuses to replace a regular file") {
  const fs::path dir = fresh_dir();
  const fs::path link = dir / "ttySIM";
  fs::create_symlink("/dev/pts/nonexistent", link);
  boost::asio::io_context io;
  recorded_events seen;
  {
    auto opened = pty_port::open(io, {link.string(), std::nullopt}, seen.events());
    REQUIRE(opened.ok());
    CHECK(fs::read_symlink(link) == opened.value()->slave_path());
  }
  CHECK_FALSE(fs::exists(fs::symlink_status(link)));  // removed on close
  const fs::path file = dir / "plain";
  { std::ofstream(file.string()) << "x"; }
  auto refused = pty_port::open(io, {file.string(), std::nullopt}, seen.events());
  CHECK_FALSE(refused.ok());
  CHECK(refused.error().reason.find("not a symlink") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("pty_port never blocks when nobody reads: the newest output is kept, the oldest dropped") {
  open_pty pty;
  auto [io, seen, opened] = pty.parts();
  const fs::path& link = pty.link;
  for (int i = 0; i < 20000; ++i) opened.value()->send("+ADA: \"p\",\"line\",\"i\"," + std::to_string(i) + "\r\n");
  io.restart();
  io.run_for(20ms);  // the loop keeps turning: nothing blocked above
  const int client = open_client(link);
  std::string got;
  REQUIRE(read_until(io, client, got, ",19999\r\n"));
  CHECK(got.size() < 20000 * 20);  // most of it was dropped
  ::close(client);
}

TEST_CASE("pty_port paced at a baud rate still delivers every byte in order") {
  open_pty pty{115200u};
  auto [io, seen, opened] = pty.parts();
  const fs::path& link = pty.link;
  const int client = open_client(link);
  std::string sent;
  for (int i = 0; i < 50; ++i) sent += "+CSQ: " + std::to_string(i) + ",99\r\n";
  opened.value()->send(sent);
  std::string got;
  REQUIRE(read_until(io, client, got, "+CSQ: 49,99\r\n"));
  CHECK(got == sent);
  ::close(client);
}

TEST_CASE("baud_to_speed maps standard rates and rejects others") {
  CHECK(baud_to_speed(9600) == B9600);
  CHECK(baud_to_speed(115200) == B115200);
  CHECK(baud_to_speed(921600) == B921600);
  CHECK_FALSE(baud_to_speed(12345));
  CHECK_FALSE(baud_to_speed(0));
}

TEST_CASE("serial_port sets the device raw 8N1 at the rate, with optional RTS/CTS") {
  // A PTY slave accepts serial settings and reports them back, so it stands in for a USB-UART.
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  REQUIRE(master >= 0);
  REQUIRE(::grantpt(master) == 0);
  REQUIRE(::unlockpt(master) == 0);
  const std::string device = ::ptsname(master);
  const int observer = ::open(device.c_str(), O_RDWR | O_NOCTTY);  // keeps the slave's settings readable
  REQUIRE(observer >= 0);

  boost::asio::io_context io;
  recorded_events seen;
  auto opened = serial_port::open(io, {device, 9600, true}, seen.events());
  REQUIRE(opened.ok());
  CHECK(opened.value()->describe() == "serial " + device);
  termios tio{};
  REQUIRE(::tcgetattr(observer, &tio) == 0);
  CHECK(::cfgetospeed(&tio) == B9600);
  CHECK((tio.c_cflag & CSIZE) == CS8);
  CHECK((tio.c_cflag & (PARENB | CSTOPB)) == 0);
  CHECK((tio.c_cflag & CRTSCTS) != 0);
  CHECK((tio.c_lflag & (ECHO | ICANON)) == 0);

  REQUIRE(::write(master, "ATI\r", 4) == 4);
  REQUIRE(run_until(io, [&] { return seen.received == "ATI\r"; }));
  opened.value()->send("OK\r\n");
  ::fcntl(master, F_SETFL, O_NONBLOCK);
  std::string got;
  CHECK(read_until(io, master, got, "OK\r\n"));

  CHECK(serial_port::open(io, {device, 12345, false}, seen.events()).error().reason == "unsupported baud rate 12345");
  CHECK_FALSE(serial_port::open(io, {"/dev/null", 9600, false}, seen.events()).ok());
  opened.value().reset();
  ::close(observer);
  ::close(master);
}

TEST_CASE("tcp_port serves one client at a time and reports its going") {
  boost::asio::io_context io;
  recorded_events seen;
  auto opened = tcp_port::open(io, "127.0.0.1:0", seen.events());
  REQUIRE(opened.ok());
  const std::string where = opened.value()->describe();
  REQUIRE(where.rfind("tcp 127.0.0.1:", 0) == 0);
  const auto port_number = static_cast<unsigned short>(std::stoi(where.substr(where.rfind(':') + 1)));
  const boost::asio::ip::tcp::endpoint endpoint(boost::asio::ip::make_address("127.0.0.1"), port_number);

  boost::asio::ip::tcp::socket first(io);
  first.connect(endpoint);
  boost::asio::write(first, boost::asio::buffer(std::string("AT\r")));
  REQUIRE(run_until(io, [&] { return seen.received == "AT\r"; }));
  opened.value()->send("\r\nOK\r\n");
  std::string got(6, '\0');
  bool read_done = false;
  boost::asio::async_read(first, boost::asio::buffer(got), [&](auto, auto) { read_done = true; });
  REQUIRE(run_until(io, [&] { return read_done; }));
  CHECK(got == "\r\nOK\r\n");

  boost::asio::ip::tcp::socket second(io);
  second.connect(endpoint);
  std::string refusal;
  bool refusal_done = false;
  boost::asio::async_read(second, boost::asio::dynamic_buffer(refusal), [&](auto, auto) { refusal_done = true; });
  REQUIRE(run_until(io, [&] { return refusal_done; }));  // ends at EOF: told, then closed
  CHECK(refusal == "busy\r\n");

  first.close();
  REQUIRE(run_until(io, [&] { return seen.closed(); }));

  boost::asio::ip::tcp::socket third(io);  // the port is free again
  third.connect(endpoint);
  boost::asio::write(third, boost::asio::buffer(std::string("ATI\r")));
  REQUIRE(run_until(io, [&] { return seen.received == "AT\rATI\r"; }));
}
