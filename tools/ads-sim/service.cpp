#include "tools/ads-sim/service.hpp"

#include <iostream>

#include "tools/ads-sim/data_dir.hpp"
#include "tools/ads-sim/listener.hpp"
#include "tools/ads-sim/server_tls.hpp"

namespace ads_sim {

struct service::state {
  std::shared_ptr<connection_context> context;
  std::shared_ptr<listener> acceptor;
  std::string host;
  std::filesystem::path ca;
  std::string admin_token;
};

service::service(std::unique_ptr<state> parts) : state_(std::move(parts)) {}

std::unique_ptr<service> service::start(boost::asio::io_context& io, service_options options, std::string& error) {
  error.clear();
  auto files = open_data_dir(options.data_dir, std::move(options.admin_token));
  if (!files) {
    error = files.error;
    return nullptr;
  }
  auto context = std::make_shared<connection_context>(files->database, files->admin_token);
  if (!context->core.ok()) {
    error = "database " + files->database.string() + ": " + context->core.error();
    return nullptr;
  }
  context->log = options.log ? std::move(options.log) : [](std::string_view line) { std::cerr << line << std::endl; };
  if (auto failed = configure_server_tls(context->tls, files->tls)) {
    error = *failed;
    return nullptr;
  }
  auto opened = listener::open(io, options.listen_host, options.listen_port, context);
  if (!opened) {
    error = opened.error;
    return nullptr;
  }
  auto parts = std::make_unique<state>(state{std::move(context), *opened, options.listen_host, files->tls.ca_cert,
                                             files->admin_token});
  parts->acceptor->start();
  return std::unique_ptr<service>(new service(std::move(parts)));
}

service::~service() { stop(); }

void service::stop() { state_->acceptor->stop(); }

std::uint16_t service::port() const { return state_->acceptor->port(); }
const std::string& service::host() const { return state_->host; }
const std::filesystem::path& service::ca_path() const { return state_->ca; }
const std::string& service::admin_token() const { return state_->admin_token; }

std::string service::url() const {
  const bool v6 = state_->host.find(':') != std::string::npos;
  return "https://" + (v6 ? "[" + state_->host + "]" : state_->host) + ":" + std::to_string(port());
}

std::string service::ready_line() const { return "ads-sim ready: " + url() + " ca " + ca_path().string(); }

api_result<created_oem> service::create_oem(std::string_view oem_id, std::string_view name, std::string_view email) {
  return state_->context->core.with_core(
      [&](service_core& core) { return core.create_oem(oem_id, name, email, std::chrono::system_clock::now()); });
}

api_result<std::vector<factory_device>> service::create_factory_devices(std::string_view oem_id,
                                                                        std::string_view model, int count) {
  return state_->context->core.with_core([&](service_core& core) {
    return core.create_factory_devices(oem_id, model, count, std::chrono::system_clock::now());
  });
}

api_result<demo_identity> service::ensure_demo_identity(std::string_view oem_id, std::string_view model) {
  using result = api_result<demo_identity>;
  return state_->context->core.with_core([&](service_core& core) -> result {
    const auto now = std::chrono::system_clock::now();
    auto oem = core.find_oem(oem_id);
    if (!oem) {
      const auto created = core.create_oem(oem_id, "sim7600-emu demo OEM", "demo@sim7600-emu.invalid", now);
      if (!created) return result::failure(created.status, created.error);
      oem = core.find_oem(oem_id);
      if (!oem) return result::failure(500, "demo OEM vanished");
    }
    auto devices = core.devices_of(oem_id, model);
    if (devices.empty()) {
      const auto created = core.create_factory_devices(oem_id, model, 1, now);
      if (!created) return result::failure(created.status, created.error);
      devices = core.devices_of(oem_id, model);
      if (devices.empty()) return result::failure(500, "demo device vanished");
    }
    const auto& device = devices.front();
    return result::success({oem->oem_id, oem->secret, device.model, device.dsn, device.public_key});
  });
}

api_result<property_record> service::set_property(std::string_view dsn, std::string_view name,
                                                  const nlohmann::json& value,
                                                  std::optional<std::string_view> base_type) {
  return state_->context->core.with_core([&](service_core& core) {
    return core.set_to_device_property(dsn, name, value, base_type, std::chrono::system_clock::now());
  });
}

api_result<image_record> service::add_image(std::string_view type, std::string_view model, std::string_view version,
                                            std::string_view bytes) {
  return state_->context->core.with_core([&](service_core& core) {
    return core.add_image(type, model, version, bytes, std::chrono::system_clock::now());
  });
}

api_result<ota_job_record> service::create_ota_job(std::int64_t image_id, std::string_view oem_model,
                                                   const std::vector<std::string>& dsns) {
  return state_->context->core.with_core([&](service_core& core) {
    return core.create_ota_job(image_id, oem_model, dsns, std::chrono::system_clock::now());
  });
}

api_result<ota_job_record> service::start_ota_job(std::int64_t job_id) {
  return state_->context->core.with_core(
      [&](service_core& core) { return core.start_ota_job(job_id, std::chrono::system_clock::now()); });
}

std::optional<ota_job_record> service::find_ota_job(std::int64_t job_id) {
  return state_->context->core.with_core([&](service_core& core) { return core.storage().find_ota_job(job_id); });
}

}  // namespace ads_sim
