#include "ads_sim/server.hpp"

#include <chrono>
#include <fstream>
#include <iostream>

#include "ads_sim/ans_listener.hpp"
#include "ads_sim/change_feed.hpp"
#include "ads_sim/data_dir.hpp"
#include "ads_sim/listener.hpp"
#include "ads_sim/console/console_auth.hpp"
#include "ads_sim/server_tls.hpp"
#include "ads_sim/service_state.hpp"

namespace ads_sim {
namespace {

// The first line of the console password file, if one is given.
common::outcome<std::optional<std::string>> read_console_password(const std::optional<std::filesystem::path>& file) {
  if (!file) return std::optional<std::string>();
  std::ifstream in(*file);
  std::string line;
  if (!in || !std::getline(in, line))
    return common::failure{"cannot read the console password file " + file->string()};
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return std::optional<std::string>(std::move(line));
}

// Makes the console's module maker on first start; returns a generated password, to be shown this once.
common::outcome<std::optional<std::string>> set_up_console(shared_core& core, const service_options& options) {
  const auto password = read_console_password(options.console_password_file);
  if (!password) return password.error();
  const auto made = core.with_core([&](service_core& inner) {
    auto& auth = inner.console().auth();
    auto settings = auth.settings();
    settings.session_idle = options.console_session_idle;
    auth.configure(settings);
    return auth.ensure_module_maker(*password, std::chrono::system_clock::now());
  });
  if (!made) return common::failure{made.error().message};
  return *made;
}

}  // namespace

namespace {

std::string https_url(const std::string& host, std::uint16_t port) {
  const bool v6 = host.find(':') != std::string::npos;
  return "https://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

// A registration with this replica's ANS, or its end: one line each (keep-alives none), so an operator (or a bench)
// sees which replica holds a device's registration; every replica answers "listening" alike, from the store.
void log_registration(const connection_context& context, const ans_core::heard& heard) {
  if (!context.log) return;
  const std::string device = "ads-sim: ANS: device " + std::to_string(heard.device_key);
  if (heard.registration)
    context.log(device + " registered");
  else if (!heard.registered)
    context.log(device + " unregistered");
}

// A listener answering only `part`, when the options ask for one (null when not).
common::outcome<std::shared_ptr<listener>> open_part(boost::asio::io_context& io,
                                                     const std::optional<std::pair<std::string, std::uint16_t>>& where,
                                                     const std::shared_ptr<connection_context>& context,
                                                     served_part part) {
  if (!where) return std::shared_ptr<listener>();
  return listener::open(io, where->first, where->second, context, part);
}

// The demo model's template: the properties the application note's examples and our tests use.
const nlohmann::json& demo_template() {
  static const nlohmann::json list = nlohmann::json::parse(R"([
    {"name":"Blue_LED","base_type":"boolean","direction":"input"},
    {"name":"Green_LED","base_type":"boolean","direction":"input"},
    {"name":"cmd","base_type":"string","direction":"input"},
    {"name":"input","base_type":"integer","direction":"input"},
    {"name":"decimal_in","base_type":"decimal","direction":"input"},
    {"name":"Blue_button","base_type":"boolean","direction":"output"},
    {"name":"log","base_type":"string","direction":"output"},
    {"name":"output","base_type":"integer","direction":"output"},
    {"name":"decimal_out","base_type":"decimal","direction":"output"},
    {"name":"counter","base_type":"integer","direction":"output"},
    {"name":"temp","base_type":"decimal","direction":"output"}])");
  return list;
}

// How a change to a device's queue reaches the ANS notifier holding its registration: this process's own, or — with
// replicas on one PostgreSQL database — every replica's, through the database's NOTIFY (change_feed.hpp).
common::outcome<std::shared_ptr<pg_change_feed>> open_change_feed(boost::asio::io_context& io,
                                                                  const database_url& database,
                                                                  connection_context& context,
                                                                  const std::shared_ptr<ans_listener>& notifier) {
  const std::weak_ptr<ans_listener> weak = notifier;
  if (database.kind != database_url::engine::postgresql) {
    context.core.set_change_listener([weak](std::int64_t device_key) {
      if (const auto shared = weak.lock()) shared->notify(device_key);
    });
    return std::shared_ptr<pg_change_feed>();
  }
  auto feed = pg_change_feed::open(
      io, database.target,
      [weak](std::int64_t device_key) {
        if (const auto shared = weak.lock()) shared->notify(device_key);
      },
      [weak] {
        if (const auto shared = weak.lock()) shared->notify_all();
      },
      context.log);
  if (!feed) return common::failure{"change feed on " + database.shown() + ": " + feed.error().reason};
  context.core.set_change_listener([weak_feed = std::weak_ptr<pg_change_feed>(*feed)](std::int64_t device_key) {
    if (const auto shared = weak_feed.lock()) shared->publish(device_key);
  });
  return *feed;
}

}  // namespace

struct server::state {
  std::shared_ptr<connection_context> context;
  std::shared_ptr<listener> acceptor;
  std::shared_ptr<listener> image_acceptor;
  std::shared_ptr<listener> user_acceptor;  // null unless --user-listen
  std::shared_ptr<listener> app_acceptor;   // null unless --app-listen
  std::string user_host;
  std::string app_host;
  std::shared_ptr<ans_listener> notifier;
  std::shared_ptr<pg_change_feed> feed;  // replicas on PostgreSQL only
  std::string host;
  std::string image_host;
  std::filesystem::path ca;
  std::string admin_token;
  std::optional<std::string> new_console_password;  // generated on this start; shown once by the program
};

server::server(std::unique_ptr<state> parts) : state_(std::move(parts)) {}

data_dir_needs data_dir_needs_of(const service_options& options) {
  return {!options.admin_token, !options.tls, !options.database};
}

common::result<std::unique_ptr<server>, common::exit_error> server::start(boost::asio::io_context& io,
                                                                        service_options options) {
  std::optional<tls_files> given_tls;
  if (options.tls) {
    auto checked = check_given_tls(*options.tls, std::chrono::system_clock::now());
    if (!checked) return common::usage_error(common::reason(checked));
    given_tls = std::move(*checked);
  }
  auto files = open_data_dir(options.data_dir, data_dir_needs_of(options), std::move(options.admin_token));
  if (!files) return common::failed(common::reason(files));
  const tls_files tls = given_tls.value_or(files->tls);
  // --db, or the SQLite file in the data dir.
  const auto database = options.database ? *options.database : database_url::sqlite_file(files->database);
  auto context = std::make_shared<connection_context>(database, files->admin_token);
  if (!context->core.ok()) return common::failed("database " + database.shown() + ": " + context->core.error());
  context->limits = options.limits;
  const auto console_password = set_up_console(context->core, options);
  if (!console_password) return common::failed(common::reason(console_password));
  context->log = options.log ? std::move(options.log) : [](std::string_view line) { std::cerr << line << std::endl; };
  if (auto failed = configure_server_tls(context->tls, tls)) return common::failed(*failed);
  auto opened = listener::open(io, options.listen_host, options.listen_port, context);
  const std::string image_host = options.image_host.value_or(options.listen_host);
  auto images = opened ? listener::open(io, image_host, options.image_port, context) : opened;
  std::weak_ptr<connection_context> weak_context = context;
  auto notifier = ans_listener::open(io, options.ans_host.value_or(options.listen_host), options.ans_port,
                                     [weak_context](std::string_view dsn) -> std::optional<ans_device> {
                                       const auto shared = weak_context.lock();
                                       if (!shared) return std::nullopt;
                                       const auto identity = shared->core.with_core(
                                           [&](service_core& core) { return core.ans_identity(dsn); });
                                       if (!identity) return std::nullopt;
                                       return ans_device{identity->first, identity->second};
                                     },
                                     [weak_context](const ans_core::heard& heard) {
                                       const auto shared = weak_context.lock();
                                       if (!shared) return;
                                       log_registration(*shared, heard);
                                       const auto heard_at = std::chrono::system_clock::now();
                                       // A store write: on the core's worker, never on this I/O loop. The pool
                                       // is the context's and ends its work before the context goes.
                                       shared->core_workers.submit([context = shared.get(), heard, heard_at] {
                                         context->core.with_core([&](service_core& core) {
                                           core.set_notified(heard.device_key, heard.registered, heard_at);
                                           return 0;
                                         });
                                       });
                                     },
                                     [weak_context](std::function<void()> work) {
                                       const auto shared = weak_context.lock();
                                       return shared && shared->core_workers.submit(std::move(work));
                                     });
  if (!opened || !images || !notifier)
    return common::failed(!opened   ? common::reason(opened)
                          : !images ? common::reason(images)
                                    : common::reason(notifier));
  auto user_part = open_part(io, options.user_listen, context, served_part::user_service);
  auto app_part = user_part ? open_part(io, options.app_listen, context, served_part::application_api) : user_part;
  if (!user_part || !app_part)
    return common::failed(!user_part ? common::reason(user_part) : common::reason(app_part));
  context->core.with_core([&](service_core& core) {
    core.set_endpoints({https_url(options.listen_host, (*opened)->port()), options.ans_host.value_or(options.listen_host),
                        (*notifier)->port(), https_url(image_host, (*images)->port()), options.remote_images});
    return 0;
  });
  auto feed = open_change_feed(io, database, *context, *notifier);
  if (!feed) return common::failed(common::reason(feed));
  auto parts = std::make_unique<state>(state{std::move(context), *opened, *images, *user_part, *app_part,
                                             options.user_listen ? options.user_listen->first : "",
                                             options.app_listen ? options.app_listen->first : "",
                                             *notifier, *feed, options.listen_host, image_host, tls.ca_cert,
                                             files->admin_token, *console_password});
  parts->acceptor->start();
  parts->image_acceptor->start();
  if (parts->user_acceptor) parts->user_acceptor->start();
  if (parts->app_acceptor) parts->app_acceptor->start();
  parts->notifier->start();
  return std::unique_ptr<server>(new server(std::move(parts)));
}

std::shared_ptr<terminal::port_directory> server::terminals() const {
  return state_->context->core.with_core([](service_core& core) { return core.state().terminals; });
}

std::optional<std::string> server::console_notice() const {
  if (!state_->new_console_password) return std::nullopt;
  return "ads-sim: console " + url() + "/console/ module maker " + std::string(console::module_maker_email) +
         " password " + *state_->new_console_password + " (shown once; see --console-password-file)";
}

server::~server() { stop(); }

void server::stop() {
  state_->acceptor->stop();
  state_->image_acceptor->stop();
  if (state_->user_acceptor) state_->user_acceptor->stop();
  if (state_->app_acceptor) state_->app_acceptor->stop();
  state_->notifier->stop();
  if (state_->feed) state_->feed->stop();
  state_->context->stop_work();
}

std::uint16_t server::port() const { return state_->acceptor->port(); }
const std::string& server::host() const { return state_->host; }
const std::filesystem::path& server::ca_path() const { return state_->ca; }
const std::string& server::admin_token() const { return state_->admin_token; }

std::string server::url() const { return https_url(state_->host, port()); }
std::uint16_t server::ans_port() const { return state_->notifier->port(); }
std::optional<std::string> server::ans_key_for(std::string_view dsn) {
  const auto identity =
      state_->context->core.with_core([&](service_core& core) { return core.ans_identity(dsn); });
  if (!identity) return std::nullopt;
  return identity->second;
}

std::string server::image_url() const { return https_url(state_->image_host, state_->image_acceptor->port()); }

std::optional<std::string> server::user_url() const {
  if (!state_->user_acceptor) return std::nullopt;
  return https_url(state_->user_host, state_->user_acceptor->port());
}

std::optional<std::string> server::app_url() const {
  if (!state_->app_acceptor) return std::nullopt;
  return https_url(state_->app_host, state_->app_acceptor->port());
}

std::string server::ready_line() const {
  std::string line = "ads-sim ready: " + url();
  if (!ca_path().empty()) line += " ca " + ca_path().string();
  if (const auto user = user_url()) line += " user " + *user;
  if (const auto app = app_url()) line += " app " + *app;
  return line;
}

api_result<created_oem> server::create_oem(std::string_view oem_id, std::string_view name, std::string_view email) {
  return state_->context->core.with_core(
      [&](service_core& core) { return core.create_oem(oem_id, name, email, std::chrono::system_clock::now()); });
}

api_result<std::vector<factory_device>> server::create_factory_devices(std::string_view oem_id,
                                                                        std::string_view model, int count) {
  if (count < 1 || count > max_factory_devices)
    return http_error{400, "count: 1..100"};
  auto keys = fresh_keys(count);  // before taking the core: the slow part
  return state_->context->core.with_core([&](service_core& core) {
    return core.create_factory_devices(oem_id, model, std::move(keys), std::chrono::system_clock::now());
  });
}

api_result<demo_identity> server::ensure_demo_identity(std::string_view oem_id, std::string_view model) {
  auto& shared = state_->context->core;
  // A key only when the device is still to be made: later starts cost nothing.
  const bool first_start = shared.with_core([&](service_core& core) { return core.devices_of(oem_id, model).empty(); });
  auto keys = first_start ? fresh_keys(1) : std::vector<ads_client::rsa_key>{};
  return shared.with_core([&](service_core& core) -> api_result<demo_identity> {
    const auto now = std::chrono::system_clock::now();
    auto oem = core.find_oem(oem_id);
    if (!oem) {
      const auto created = core.create_oem(oem_id, "sim7600-emu demo OEM", "demo@sim7600-emu.invalid", now);
      if (!created) return created.error();
      oem = core.find_oem(oem_id);
      if (!oem) return http_error{500, "demo OEM vanished"};
    }
    auto devices = core.devices_of(oem_id, model);
    if (devices.empty()) {
      if (keys.empty()) keys = fresh_keys(1);  // made by someone else's call and removed since: rare
      const auto created = core.create_factory_devices(oem_id, model, std::move(keys), now);
      if (!created) return created.error();
      devices = core.devices_of(oem_id, model);
      if (devices.empty()) return http_error{500, "demo device vanished"};
    }
    if (!core.storage().templates().find_template(oem_id, model)) {
      const auto templated = core.set_template(oem_id, model, demo_template());
      if (!templated) return templated.error();
    }
    const auto& device = devices.front();
    return demo_identity{oem->oem_id, oem->secret, device.model, device.dsn, device.public_key};
  });
}

api_result<std::vector<template_property>> server::set_template(std::string_view oem_id, std::string_view model,
                                                                 const nlohmann::json& properties) {
  return state_->context->core.with_core(
      [&](service_core& core) { return core.set_template(oem_id, model, properties); });
}

api_result<property_record> server::set_property(std::string_view dsn, std::string_view name,
                                                  const nlohmann::json& value,
                                                  std::optional<std::string_view> base_type) {
  return state_->context->core.with_core([&](service_core& core) {
    return core.set_to_device_property(dsn, name, value, base_type, std::chrono::system_clock::now());
  });
}

api_result<image_record> server::add_image(std::string_view type, std::string_view model, std::string_view version,
                                            std::string_view bytes) {
  return state_->context->core.with_core([&](service_core& core) {
    return core.add_image(type, model, version, bytes, std::chrono::system_clock::now());
  });
}

api_result<ota_job_record> server::create_ota_job(std::int64_t image_id, std::string_view oem_model,
                                                   const std::vector<std::string>& dsns) {
  return state_->context->core.with_core([&](service_core& core) {
    return core.create_ota_job(image_id, oem_model, dsns, std::chrono::system_clock::now());
  });
}

api_result<ota_job_record> server::start_ota_job(std::int64_t job_id) {
  return state_->context->core.with_core(
      [&](service_core& core) { return core.start_ota_job(job_id, std::chrono::system_clock::now()); });
}

std::optional<ota_job_record> server::find_ota_job(std::int64_t job_id) {
  auto job =
      state_->context->core.with_core([&](service_core& core) { return core.storage().ota().find_ota_job(job_id); });
  if (!job) return std::nullopt;
  return std::move(*job);
}

}  // namespace ads_sim
