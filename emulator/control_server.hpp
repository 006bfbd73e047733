#pragma once
// control_server: the control API (SPEC §7) — HTTP/1.1 with JSON bodies on <state-dir>/control.sock (mode 0600)
// and, with --control HOST:PORT, on loopback TCP where each request must carry the bearer token kept in
// <state-dir>/control-token (0600). Requests run against a control_world on the daemon's loop.
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>

#include "common/result.hpp"
#include "control/control_verbs.hpp"

namespace sim7600_emu {

class control_server {
 public:
  // The server, or why it could not open (one line). `after_request` runs after each request was handled (the
  // runtime delivers the output it caused).
  static common::outcome<std::unique_ptr<control_server>> open(
      boost::asio::io_context& io, const std::filesystem::path& state_dir,
      const std::optional<std::string>& tcp_address, sim7600_control::control_world& world,
      std::function<void()> after_request);
  ~control_server();

  // "control unix:PATH" and " tcp HOST:PORT" when on TCP: for the daemon's log.
  std::string describe() const;

  struct impl;

 private:
  explicit control_server(std::unique_ptr<impl> impl);
  std::unique_ptr<impl> impl_;
};

}  // namespace sim7600_emu
