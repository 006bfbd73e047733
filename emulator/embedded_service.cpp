#include "emulator/embedded_service.hpp"


#include <algorithm>
#include <fstream>
#include <iostream>

namespace sim7600_emu {

namespace {

// The service's URL for ads-admin --service-dir; replaced atomically so a reader never sees half a line.
bool write_url_file(const std::filesystem::path& dir, const std::string& url) {
  const auto path = dir / "url";
  const auto temp = dir / "url.tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << url << "\n";
    if (!out.flush()) return false;
  }
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  return !ec;
}

}  // namespace

common::outcome<std::unique_ptr<embedded_service>> embedded_service::start(
    const std::filesystem::path& state_dir, const std::optional<std::string>& console_password_file,
    std::size_t modules) {
  std::unique_ptr<embedded_service> embedded(new embedded_service());
  embedded->data_dir_ = state_dir / "ads-sim";
  ads_sim::service_options options;
  options.data_dir = embedded->data_dir_;
  options.listen_host = "127.0.0.1";
  options.listen_port = 0;
  // A module keeps up to three connections (control, poll, download); the default limit is kept as the floor for
  // the console, admin calls and a module's reconnections.
  options.limits.max_connections = std::max(options.limits.max_connections, 3 * modules + 256);
  if (console_password_file) options.console_password_file = *console_password_file;
  std::error_code ec;
  std::filesystem::create_directory(embedded->data_dir_, ec);  // the state dir exists: file_store::open made it
  if (ec || !std::filesystem::is_directory(embedded->data_dir_, ec))
    return common::failure{"embedded ads-sim: " + embedded->data_dir_.string() + " is not a directory it can use"};
  // One line per request, kept beside the service's data rather than on the emulator's terminal.
  auto log = std::make_shared<std::ofstream>(embedded->data_dir_ / "requests.log", std::ios::app);
  options.log = [log](std::string_view line) {
    if (*log) *log << line << '\n' << std::flush;
  };
  auto started = ads_sim::server::start(embedded->io_, options);
  if (!started) return common::failure{started.error().reason};
  embedded->service_ = std::move(started).value();
  embedded->thread_ = std::thread([service = embedded.get()] { service->io_.run(); });
  auto demo = embedded->service_->ensure_demo_identity();
  if (!demo) return common::failure{"embedded ads-sim: demo identity: " + demo.error().message};
  embedded->identity_ = {demo->oem_id, demo->oem_model, demo->oem_secret, "US", demo->dsn, demo->public_key};
  if (!write_url_file(embedded->data_dir_, embedded->service_->url()))
    return common::failure{"embedded ads-sim: cannot write " + (embedded->data_dir_ / "url").string()};
  if (const auto notice = embedded->service_->console_notice()) std::cerr << *notice << std::endl;
  return embedded;
}

embedded_service::~embedded_service() {
  service_.reset();  // stops accepting and closes its connections, on its own thread
  io_.stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace sim7600_emu
