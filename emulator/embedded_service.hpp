#pragma once
// embedded_service: without --ads-url the emulator runs ads-sim in-process on loopback (SPEC §1), on a thread of
// its own so the service's database work never holds up the module's event loop; keeps its data in STATE-DIR/ads-sim
// (with a `url` file for ads-admin), and gives the module a factory identity it knows.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include <boost/asio/io_context.hpp>

#include "apca/factory_identity.hpp"
#include "ads_sim/server.hpp"
#include "common/result.hpp"

namespace sim7600_emu {

class embedded_service {
 public:
  // The running service, or why it cannot start (one line).
  // `console_password_file`: the console's module maker password (see ads-sim --console-password-file).
  // `modules`: how many modules it serves (a fleet's count), so its connection limit holds them all.
  static common::outcome<std::unique_ptr<embedded_service>> start(
      const std::filesystem::path& state_dir, const std::optional<std::string>& console_password_file,
      std::size_t modules = 1);
  ~embedded_service();
  embedded_service(const embedded_service&) = delete;
  embedded_service& operator=(const embedded_service&) = delete;

  std::string host() const { return service_->host(); }
  std::string port() const { return std::to_string(service_->port()); }
  std::string url() const { return service_->url(); }
  std::string ca_file() const { return service_->ca_path().string(); }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  const apca::factory_identity& identity() const { return identity_; }
  std::shared_ptr<ads_sim::terminal::port_directory> terminals() const { return service_->terminals(); }

 private:
  embedded_service() = default;
  std::filesystem::path data_dir_;
  boost::asio::io_context io_;
  std::unique_ptr<ads_sim::server> service_;  // destroyed before io_ stops
  std::thread thread_;
  apca::factory_identity identity_;
};

}  // namespace sim7600_emu
