#pragma once
// End-to-end harness: runs the real sim7600-emu binary on a real pseudo-TTY and talks to it as a host would.
// Every wait is for an event (bytes, a line, a process exit) with a deadline; nothing sleeps in its place.
// Each emulator gets its own temp folder (state dir, PTY link), so tests may run in parallel.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace e2e {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

constexpr milliseconds default_deadline = 10s;
// A daemon's first start makes its RSA keys: about a second of CPU under the sanitizers, and many more on two cores
// that a 200-module fleet test also uses. The ready line is awaited this long (a deadline, not a delay).
constexpr milliseconds startup_deadline = 60s;

// A fresh folder under /tmp, removed with everything in it at the end of the test.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// What a program printed and how it ended.
struct finished_run {
  int exit_code = -1;  // -1: killed by a signal or still running at the deadline
  std::string out;
  std::string err;
};

// Runs `program args...` to its end (with a deadline) and collects its output.
finished_run run_to_exit(const std::string& program, const std::vector<std::string>& args,
                         milliseconds deadline = default_deadline);

// Starts `program` (found on PATH when it has no slash) with stdin from /dev/null, stdout and stderr on the given
// fds, and `extra_environment` ("NAME=value") added to this process's environment.
pid_t spawn(const std::string& program, const std::vector<std::string>& args, int stdout_fd, int stderr_fd,
            const std::vector<std::string>& extra_environment = {});
// Waits for `pid` to end, with a deadline; its exit code (-1: killed by a signal), or nothing at the deadline.
std::optional<int> wait_for_exit(pid_t pid, milliseconds deadline);

// `name` in the running program's own directory, where the daemons are built and installed.
std::string program_beside_me(const std::string& name);
std::string emulator_binary();  // program_beside_me("sim7600-emu")

std::string file_contents(const std::filesystem::path& path);  // the whole file, bytes as they are

// One sim7600-emu daemon. Starts with a fresh state dir, a unique --pty-link (unless it is given --serial),
// --boot-ms 50 and --network manual (unless given --network).
class emulator {
 public:
  explicit emulator(std::vector<std::string> extra_args = {});
  ~emulator();  // SIGKILL if still running
  emulator(const emulator&) = delete;
  emulator& operator=(const emulator&) = delete;

  void start();             // spawns and waits for the ready line
  int terminate();          // SIGTERM, waits for the exit; returns the exit code
  void kill_hard();         // SIGKILL (kill -9) and reap
  void restart() { terminate(), start(); }
  bool running();
  pid_t pid() const { return pid_; }  // -1 when not running

  const std::filesystem::path& link() const { return link_; }
  const std::filesystem::path& state_dir() const { return state_dir_; }
  const std::filesystem::path& folder() const { return dir_.path(); }
  const std::string& ready_line() const { return ready_line_; }
  std::string stderr_text() const;  // what the daemon logged so far

 private:
  int wait_exit(milliseconds deadline);

  temp_dir dir_;
  std::filesystem::path link_;
  std::filesystem::path state_dir_;
  std::vector<std::string> extra_args_;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string ready_line_;
};

// A host on the module's AT port: a raw, non-canonical client of a TTY (O_NOCTTY) or a TCP socket.
class host_port {
 public:
  static host_port open_tty(const std::filesystem::path& device);
  static host_port connect_tcp(const std::string& host, unsigned short port);
  static host_port adopt(int fd);  // an fd the test opened itself (a PTY master standing in for an MCU's UART)
  host_port(host_port&& other) noexcept;
  host_port& operator=(host_port&& other) noexcept;
  ~host_port();

  void send(std::string_view bytes);
  // Reads exactly `expected.size()` bytes (or what came before the deadline) and returns them, so a test writes
  // CHECK(port.expect("AT\r\r\nOK\r\n") == "AT\r\r\nOK\r\n") and sees the difference when it fails.
  std::string expect(std::string_view expected, milliseconds deadline = default_deadline);
  // Reads until `text` has arrived (returns everything read, `text` included) or the deadline passed.
  std::string read_until(std::string_view text, milliseconds deadline = default_deadline);
  // Sends `line` + CR and reads until the final result code of a command (OK / ERROR / +CME ERROR).
  std::string command(std::string_view line, milliseconds deadline = default_deadline);
  // Reads through the next final result code (OK / ERROR / +CME ERROR: ...), returning all read.
  std::string read_final(milliseconds deadline = default_deadline);
  // Whatever arrives within `quiet` (used only to show that nothing more is sent; never as a wait).
  std::string read_available(milliseconds quiet = 0ms);
  void close();
  int fd() const { return fd_; }

 private:
  explicit host_port(int fd) : fd_(fd) {}
  bool read_some(std::string& into, std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  std::string pending_;  // read past what the last expect/read_until wanted
};

// The boot URCs as a host sees them (SPEC §2).
inline constexpr std::string_view boot_urcs = "\r\nRDY\r\n\r\n+CPIN: READY\r\n\r\nSMS DONE\r\n\r\nPB DONE\r\n";

// A started emulator with a host on its PTY that has seen the boot URCs: where most tests begin.
// sim7600-ctl --state-dir <the module's> ARGS...: the control API (SPEC §7) driven as a user drives it.
finished_run run_ctl(const emulator& module, std::vector<std::string> args);

struct booted_module {
  explicit booted_module(std::vector<std::string> extra_args = {});
  void reconnect();  // closes the host's port and opens it again (same module)

  emulator module;
  host_port port;
  std::string boot_output;  // what the host saw up to PB DONE
};

// Sends AT+ADA="start" and checks the answer and its URC.
void start_service(host_port& port);

// The base64 body of a PEM (its lines between the BEGIN and END lines, joined).
std::string pem_body(const std::string& pem);

// A data folder a test prepared (or copied, or made read-only) for ads-sim's --data-dir.
struct data_folder {
  std::filesystem::path path;
};

// One ads-sim daemon (the device service) on a free loopback port, with its own data folder and admin token.
// Its admin API is reached with e2e::admin_client (support/admin_client.hpp).
class device_service {
 public:
  // `extra_args`: more ads-sim flags, e.g. {"--remote-images"} to offer OTA images from its image host.
  explicit device_service(std::vector<std::string> extra_args = {});
  // Another replica of `first` (SPEC §10): its data folder (CA, certificate, admin token) and these flags, its own
  // port and log. Give both the same --db so they share one database.
  device_service(const device_service& first, std::vector<std::string> extra_args);
  // On `folder` as it is (e.g. read-only), with these flags.
  device_service(data_folder folder, std::vector<std::string> extra_args);
  ~device_service();
  void kill_hard();  // SIGKILL (kill -9) and reap: the service vanishes mid-connection
  // SIGSTOP / SIGCONT: the service stops answering with its connections open (a cloud that hangs), then resumes.
  void freeze();
  void thaw();
  pid_t pid() const { return pid_; }
  void start();      // (again) on the same port and data folder, waiting for its ready line
  device_service(const device_service&) = delete;
  device_service& operator=(const device_service&) = delete;

  const std::string& url() const { return url_; }  // https://127.0.0.1:PORT
  std::string host() const { return "127.0.0.1"; }
  std::string port() const { return url_.substr(url_.rfind(':') + 1); }
  // The CA its ready line names (the data folder's ca.pem, or --tls-ca); empty when it names none.
  std::filesystem::path ca_file() const { return ready_url("ca"); }
  static std::string admin_token() { return "e2e-admin-token"; }  // for admin_client (support/admin_client.hpp)
  std::string log_text() const;  // the service's request log (stderr) so far
  // The URL (or path) after `word` in the ready line ("user", "app": the --user-listen / --app-listen listeners;
  // "ca": the CA file), or "".
  std::string ready_url(std::string_view word) const;

 private:
  temp_dir dir_;
  std::filesystem::path data_dir_ = dir_.path() / "data";
  std::vector<std::string> extra_args_;
  pid_t pid_ = -1;
  std::string url_;  // empty until the first start picked a free port
  std::string ready_line_;
};

// The note's network bring-up (sample 4.1, byte for byte): APN, data call, time server, clock sync.
void bring_up_network(host_port& port);

// Sets each config name to its value with AT+ADA="cs" and checks the OK.
void configure(host_port& port, const std::vector<std::pair<std::string, std::string>>& values);

// Reads until `text` has arrived `count` times (or the deadline); returns everything read.
std::string read_until_count(host_port& port, std::string_view text, std::size_t count, milliseconds deadline);

}  // namespace e2e
