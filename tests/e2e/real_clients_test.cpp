// Real modem clients on the emulator's PTY: ppp's chat, picocom, and minicom driven in tmux.
#include <fcntl.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "e2e_helpers.hpp"
#include "harness/harness.hpp"

using namespace e2e;

namespace {
const std::string version_answer = "+ADA: APCA-1.0 ADA-2.4.1 BUILD-a88da1c.132a03a";

// Runs a shell command line (sh -c) to its end.
finished_run shell(const std::string& command_line, milliseconds deadline = default_deadline) {
  return run_to_exit("/bin/sh", {"-c", command_line}, deadline);
}
}  // namespace

TEST_CASE("ppp's chat gets OK to AT and the version", "[e2e][clients]") {
  if (!installed("/usr/sbin/chat")) FAIL("chat (package ppp) is not installed: run scripts/install-deps.sh");
  booted_module m;  // a module ignores input while it boots, so chat starts once PB DONE was seen
  m.port.close();
  const std::string link = m.module.link().string();
  // chat talks on its stdin/stdout; -t 5 bounds each expect.
  // ('-' separates sub-expects in chat, so the build id is expected without its dashes.)
  const finished_run run = shell("chat -v -s -t 5 '' AT OK 'AT+ADA=\"version\"' 'a88da1c.132a03a' <>" + link + " >&0");
  CAPTURE(run.err);
  CHECK(run.exit_code == 0);
  CHECK(run.err.find("got it") != std::string::npos);
}

TEST_CASE("picocom gets OK to AT and the version", "[e2e][clients]") {
  if (!installed("/usr/bin/picocom")) FAIL("picocom is not installed: run scripts/install-deps.sh");
  booted_module m;
  m.port.close();
  // picocom sends what it reads on stdin (--no-escape makes it pass every byte) and exits after --exit-after ms of
  // silence, so it stops by itself once the answers are in.
  const finished_run run = shell("printf 'AT\\rAT+ADA=\"version\"\\r' | picocom -q --no-escape --exit-after 1500 -b 115200 " +
                                     m.module.link().string(),
                                 20s);
  CAPTURE(run.out, run.err);
  CHECK(run.out.find("AT\r\r\nOK\r\n") != std::string::npos);
  CHECK(run.out.find(version_answer + "\r\n\r\nOK\r\n") != std::string::npos);
}

TEST_CASE("minicom in tmux gets OK to AT and the version", "[e2e][clients]") {
  if (!installed("/usr/bin/minicom") || !installed("/usr/bin/tmux"))
    FAIL("minicom or tmux is not installed: run scripts/install-deps.sh");
  booted_module m;
  m.port.close();
  temp_dir dir;
  const std::string socket = (dir.path() / "tmux.sock").string();
  const std::string tmux = "tmux -S " + socket + " ";
  // A private tmux server (its own socket), a private minicom config (no modem init string).
  REQUIRE(shell(tmux + "-f /dev/null new-session -d -x 200 -y 50 'HOME=" + dir.path().string() +
                " minicom -o -D " + m.module.link().string() + "'")
              .exit_code == 0);
  // What minicom draws is piped by tmux into a FIFO, which the test reads with poll(): the screen changing is an
  // event, not something to sample.
  const auto fifo = dir.path() / "screen.fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  host_port screen = host_port::adopt(::open(fifo.c_str(), O_RDONLY | O_NONBLOCK));
  REQUIRE(shell(tmux + "pipe-pane -O 'cat >> " + fifo.string() + "'").exit_code == 0);
  REQUIRE(shell(tmux + "send-keys 'AT' Enter").exit_code == 0);
  CHECK(screen.read_until("OK").ends_with("OK"));
  REQUIRE(shell(tmux + "send-keys 'AT+ADA=\"version\"' Enter").exit_code == 0);
  CHECK(screen.read_until(version_answer).ends_with(version_answer));
  shell(tmux + "kill-server");
}
