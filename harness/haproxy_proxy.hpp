#pragma once
// haproxy_proxy: Debian's HAProxy on 127.0.0.1 in front of ads-sim replicas, as a stand-in for a Kubernetes Service
// (issue 15). TCP mode: TLS passes through, so a client verifies the replicas' own certificate (it names
// 127.0.0.1). Each replica is health-checked with GET /healthz over TLS every 500 ms, so one that dies is out of
// the rotation within ~1.5 s. The proxy runs in the foreground (-db) and is stopped (SIGTERM, reaped) when the
// object goes.
#include <memory>
#include <string>
#include <vector>

#include "harness/harness.hpp"
#include "harness/running_program.hpp"

namespace e2e {

// One replica behind the proxy: where it listens.
struct proxied_replica {
  std::string host;
  std::string port;
};

// The HAProxy configuration for `replicas` behind 127.0.0.1:`listen_port` (what deploy/haproxy.cfg shows a reader).
// With `dying_port`, one more server in the rotation, never checked, on a frontend of the proxy's own there that
// accepts each connection and closes it at once: a replica that dies under every call made to it.
std::string haproxy_config(const std::string& listen_port, const std::vector<proxied_replica>& replicas,
                           const std::string& dying_port = "");

// How the proxy's rotation is made up.
enum class rotation { replicas, replicas_and_a_dying_one };

class haproxy_proxy {
 public:
  // Starts HAProxy over `replicas` on a free loopback port and waits (with a deadline) until it accepts.
  explicit haproxy_proxy(const std::vector<proxied_replica>& replicas, rotation made_of = rotation::replicas);
  ~haproxy_proxy();
  haproxy_proxy(const haproxy_proxy&) = delete;
  haproxy_proxy& operator=(const haproxy_proxy&) = delete;

  std::string url() const { return "https://127.0.0.1:" + port_; }  // what devices, admins and fleets are given
  const std::string& port() const { return port_; }
  std::string log_text() const { return program_->err(); }  // HAProxy's own messages (a server going down)

 private:
  temp_dir dir_;
  std::string port_;
  std::unique_ptr<running_program> program_;
};

// The replicas of `services` (device_service objects) as the proxy needs them.
std::vector<proxied_replica> replicas_of(const std::vector<const device_service*>& services);

}  // namespace e2e
