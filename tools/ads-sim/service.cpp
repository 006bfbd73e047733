#include "tools/ads-sim/service.hpp"

#include <fstream>
#include <iostream>

#include "tools/ads-sim/data_dir.hpp"
#include "tools/ads-sim/listener.hpp"
#include "tools/ads-sim/console/console_auth.hpp"
#include "tools/ads-sim/server_tls.hpp"

namespace ads_sim {
namespace {

// The first line of the console password file, if one is given.
api_result<std::optional<std::string>> read_console_password(const std::optional<std::filesystem::path>& file) {
  using result = api_result<std::optional<std::string>>;
  if (!file) return result::success(std::nullopt);
  std::ifstream in(*file);
  std::string line;
  if (!in || !std::getline(in, line))
    return result::failure(400, "cannot read the console password file " + file->string());
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return result::success(std::move(line));
}

// Makes the console's module maker on first start; returns a generated password, to be shown this once.
api_result<std::optional<std::string>> set_up_console(shared_core& core, const service_options& options) {
  const auto password = read_console_password(options.console_password_file);
  if (!password) return password;
  return core.with_core([&](service_core& inner) {
    auto& auth = inner.console().auth();
    auto settings = auth.settings();
    settings.session_idle = options.console_session_idle;
    auth.configure(settings);
    return auth.ensure_module_maker(*password.value, std::chrono::system_clock::now());
  });
}

}  // namespace

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
  context->limits = options.limits;
  const auto console_password = set_up_console(context->core, options);
  if (!console_password) {
    error = console_password.error;
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
  auto started = std::unique_ptr<service>(new service(std::move(parts)));
  if (*console_password.value)
    std::cerr << "ads-sim: console " << started->url() << "/console/ module maker " << console::module_maker_email
              << " password " << **console_password.value << " (shown once; see --console-password-file)"
              << std::endl;
  return started;
}

service::~service() { stop(); }

void service::stop() {
  state_->acceptor->stop();
  state_->context->stop_work();
}

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
  if (count < 1 || count > max_factory_devices)
    return api_result<std::vector<factory_device>>::failure(400, "count: 1..100");
  auto keys = fresh_keys(count);  // before taking the core: the slow part
  return state_->context->core.with_core([&](service_core& core) {
    return core.create_factory_devices(oem_id, model, std::move(keys), std::chrono::system_clock::now());
  });
}

api_result<demo_identity> service::ensure_demo_identity(std::string_view oem_id, std::string_view model) {
  using result = api_result<demo_identity>;
  auto& shared = state_->context->core;
  // A key only when the device is still to be made: later starts cost nothing.
  const bool first_start = shared.with_core([&](service_core& core) { return core.devices_of(oem_id, model).empty(); });
  auto keys = first_start ? fresh_keys(1) : std::vector<ads_client::rsa_key>{};
  return shared.with_core([&](service_core& core) -> result {
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
      if (keys.empty()) keys = fresh_keys(1);  // made by someone else's call and removed since: rare
      const auto created = core.create_factory_devices(oem_id, model, std::move(keys), now);
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
