// The open-file limit raised for programs of many connections: up to what is asked, up to the hard limit, and past
// it a reason naming both numbers. Each case lowers the limits in a child process of its own (a lowered hard limit
// cannot be raised again) and reports back through its exit code and a pipe.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <functional>
#include <string>

#include "common/descriptor_limit.hpp"

namespace {

// Runs `check` in a child whose soft and hard limits are `soft` and `hard`; what it returns comes back as text.
std::string in_child_with_limits(rlim_t soft, rlim_t hard, const std::function<std::string()>& check) {
  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::close(pipe_fds[0]);
    const rlimit lowered{soft, hard};
    const std::string said = ::setrlimit(RLIMIT_NOFILE, &lowered) == 0 ? check() : "setrlimit failed";
    const bool written = ::write(pipe_fds[1], said.data(), said.size()) == static_cast<ssize_t>(said.size());
    ::_exit(written ? 0 : 1);
  }
  ::close(pipe_fds[1]);
  std::string said;
  char chunk[256];
  for (ssize_t n; (n = ::read(pipe_fds[0], chunk, sizeof chunk)) > 0;) said.append(chunk, static_cast<std::size_t>(n));
  ::close(pipe_fds[0]);
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  return said;
}

std::string soft_limit_now() {
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  return std::to_string(limit.rlim_cur);
}

}  // namespace

TEST_CASE("descriptor limit: raised to what is asked, within the hard limit", "[common][descriptors]") {
  CHECK(in_child_with_limits(256, 512, [] {
          const auto raised = common::raise_descriptor_limit(400, "400 connections need");
          const std::string said = raised ? std::to_string(*raised) : raised.error().reason;
          return said + " " + soft_limit_now();
        }) == "400 400");
  CHECK(in_child_with_limits(300, 512, [] {
          const auto kept = common::raise_descriptor_limit(100, "100 connections need");  // already enough
          const std::string said = kept ? std::to_string(*kept) : kept.error().reason;
          return said + " " + soft_limit_now();
        }) == "300 300");
}

TEST_CASE("descriptor limit: past the hard limit, a reason naming both numbers and the limit untouched",
          "[common][descriptors]") {
  CHECK(in_child_with_limits(256, 512, [] {
          const auto refused = common::raise_descriptor_limit(1000, "1000 modules need");
          const std::string said = refused ? std::string("raised") : refused.error().reason;
          return said + " / " + soft_limit_now();
        }) == "1000 modules need 1000 file descriptors and the hard limit is 512 (raise it: ulimit -Hn, or "
              "LimitNOFILE=) / 256");
}

TEST_CASE("descriptor limit: raised fully, the soft limit meets the hard one", "[common][descriptors]") {
  CHECK(in_child_with_limits(128, 700, [] {
          const std::size_t raised = common::raise_descriptor_limit_fully();
          return std::to_string(raised) + " " + soft_limit_now();
        }) == "700 700");
}
