// GNSS end to end: the world's position set with sim7600-ctl, a session started on the AT port, and Debian's gpsd
// reading the emulator's NMEA port (--nmea-link) as it reads a real receiver; gpspipe -w shows what gpsd made of
// it. Every wait has a deadline.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "e2e_helpers.hpp"
#include "harness/harness.hpp"

using namespace e2e;

namespace {

void world(const emulator& module, std::vector<std::string> args) {
  const finished_run run = run_ctl(module, std::move(args));
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
}

// A program started in the background with its stdout on a pipe we read line by line; killed at the end.
class background_program {
 public:
  background_program(const std::string& program, const std::vector<std::string>& args, const std::filesystem::path& log) {
    int out[2];
    REQUIRE(::pipe(out) == 0);
    const int err = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_ = spawn(program, args, out[1], err);
    ::close(out[1]);
    ::close(err);
    out_ = out[0];
  }
  ~background_program() {
    ::kill(pid_, SIGTERM);
    if (!wait_for_exit(pid_, 5s)) {
      ::kill(pid_, SIGKILL);
      wait_for_exit(pid_, 5s);
    }
    ::close(out_);
  }
  // The next line of its stdout, or nothing by the deadline.
  std::optional<std::string> next_line(std::chrono::steady_clock::time_point deadline) {
    for (;;) {
      if (const auto newline = pending_.find('\n'); newline != std::string::npos) {
        std::string line = pending_.substr(0, newline);
        pending_.erase(0, newline + 1);
        return line;
      }
      const auto left = std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
      pollfd p{out_, POLLIN, 0};
      if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) return std::nullopt;
      char buffer[4096];
      const ssize_t n = ::read(out_, buffer, sizeof buffer);
      if (n <= 0) return std::nullopt;
      pending_.append(buffer, static_cast<std::size_t>(n));
    }
  }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  std::string pending_;
};

// Reads gpspipe -w until a TPV report with a 2D or 3D fix; that report, or null at the deadline.
nlohmann::json first_fix(background_program& gpspipe, milliseconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (auto line = gpspipe.next_line(deadline)) {
    const auto report = nlohmann::json::parse(*line, nullptr, false);
    if (report.is_object() && report.value("class", "") == "TPV" && report.value("mode", 0) >= 2) return report;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("gnss: gpsd on the NMEA port reports the fix the world set, after a hot start on the AT port",
          "[e2e][gnss][clients]") {
  if (!installed("/usr/sbin/gpsd") || !installed("/usr/bin/gpspipe"))
    FAIL("gpsd or gpspipe is not installed: run scripts/install-deps.sh");
  temp_dir dir;
  const auto nmea_link = dir.path() / "ttyNMEA";
  booted_module m({"--nmea-link", nmea_link.string()});
  CHECK(m.module.ready_line().find(" nmea pty /dev/pts/") != std::string::npos);
  REQUIRE(m.port.command("ATE0") == "ATE0\r\r\nOK\r\n");
  world(m.module, {"gnss", "fix", "48.8584", "2.2945", "35"});
  REQUIRE(m.port.command("AT+CGPSHOT") == "\r\nOK\r\n");

  const std::string port = std::to_string(free_port());
  background_program gpsd("/usr/sbin/gpsd", {"-N", "-n", "-S", port, std::filesystem::canonical(nmea_link).string()},
                          dir.path() / "gpsd.log");
  // gpspipe may come before gpsd listens: it is started again until it connects.
  nlohmann::json fix = nullptr;
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (fix.is_null() && std::chrono::steady_clock::now() < deadline) {
    background_program gpspipe("/usr/bin/gpspipe", {"-w", "127.0.0.1:" + port}, dir.path() / "gpspipe.log");
    fix = first_fix(gpspipe, std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now()));
  }
  INFO(file_contents(dir.path() / "gpsd.log") + file_contents(dir.path() / "gpspipe.log"));
  REQUIRE_FALSE(fix.is_null());
  CHECK(fix["lat"].get<double>() == Approx(48.8584).margin(1e-6));
  CHECK(fix["lon"].get<double>() == Approx(2.2945).margin(1e-6));

  // The AT port says the same, and `state` shows the session.
  CHECK(m.port.command("AT+CGPSINFO").starts_with("\r\n+CGPSINFO: 4851.504000,N,00217.670000,E,"));
  const auto state = nlohmann::json::parse(run_ctl(m.module, {"state", "--json"}).out);
  CHECK(state["gnss"]["sky"] == "standing");
  CHECK(state["gnss"]["session"]["phase"] == "fixed");
  CHECK(state["gnss"]["session"]["start"] == "hot");
}

TEST_CASE("gnss: lost satellites empty the fix, a GPX route moves the antenna, bad input changes nothing",
          "[e2e][gnss]") {
  temp_dir dir;
  booted_module m;
  REQUIRE(m.port.command("ATE0") == "ATE0\r\r\nOK\r\n");
  REQUIRE(m.port.command("AT+CGPSHOT;+CGPSINFO=1") == "\r\nOK\r\n");
  CHECK(m.port.read_until("\r\n+CGPSINFO: 3113.343286,N,12121.234064,E,").ends_with("E,"));
  world(m.module, {"gnss", "lost"});
  CHECK(m.port.read_until("+CGPSINFO: ,,,,,,,,\r\n").ends_with("+CGPSINFO: ,,,,,,,,\r\n"));
  const finished_run again = run_ctl(m.module, {"gnss", "lost"});
  CHECK(again.exit_code == 1);
  CHECK(again.err == "sim7600-ctl: the sky already has no satellites\n");

  // A track due north along the 10th meridian east, 0.01° (1112 m) a minute: played from now.
  const auto track = dir.path() / "track.gpx";
  std::ofstream(track) << "<?xml version=\"1.0\"?>\n<gpx version=\"1.1\" creator=\"e2e\"><trk><trkseg>\n"
                          "<trkpt lat=\"50.00\" lon=\"10.00\"><ele>100</ele><time>2020-01-01T00:00:00Z</time></trkpt>\n"
                          "<trkpt lat=\"50.01\" lon=\"10.00\"><ele>100</ele><time>2020-01-01T00:01:00Z</time></trkpt>\n"
                          "</trkseg></trk></gpx>\n";
  const finished_run route = run_ctl(m.module, {"gnss", "route", track.string(), "--json"});
  INFO(route.err);
  REQUIRE(route.exit_code == 0);
  CHECK(route.out == "{\"points\":2}\n");
  // Moving north at 18.5 m/s: 36.0 knots, course 0.0.
  CHECK(m.port.read_until(",36.0,0.0\r\n", 10s).find("+CGPSINFO: 500") != std::string::npos);
  const auto state = nlohmann::json::parse(run_ctl(m.module, {"state", "--json"}).out);
  CHECK(state["gnss"]["sky"] == "route");
  CHECK(state["gnss"]["speed_mps"].get<double>() == Approx(18.53).margin(0.01));

  std::ofstream(dir.path() / "bad.gpx") << "<gpx><trkpt lat=\"50\" lon=\"10\"></trkpt></gpx>";
  const finished_run bad = run_ctl(m.module, {"gnss", "route", (dir.path() / "bad.gpx").string()});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err == "sim7600-ctl: " + (dir.path() / "bad.gpx").string() + ": line 1: <trkpt> has no <time>\n");
  CHECK(run_ctl(m.module, {"gnss", "route", (dir.path() / "none.gpx").string()}).err.starts_with("sim7600-ctl: cannot read "));
  CHECK(run_ctl(m.module, {"gnss", "fix", "91", "0"}).err == "sim7600-ctl: lat must be a number in -90..90\n");
  CHECK(run_ctl(m.module, {"gnss", "fix", "north", "0"}).err == "sim7600-ctl: lat must be a number in -90..90\n");
  CHECK(nlohmann::json::parse(run_ctl(m.module, {"state", "--json"}).out)["gnss"]["sky"] == "route");
}
