#pragma once
// server: ads-sim as a running HTTPS server on a caller's io_context — what the ads-sim program runs and what
// the sim7600-emu daemon embeds on loopback (port 0). Owns the data dir (database, CA, admin token); serves the
// device protocol and admin API of PROTOCOL.md; offers the admin operations as C++ calls too.
// Thread safety: the C++ calls may be made from any thread; the request core is serialised internally.
// Parts: data_dir (the folder), listener (accepting), https_session (a connection), shared_core (the core).
// Destroy the server before its io_context.
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ads_sim/data_dir.hpp"
#include "ads_sim/given_tls.hpp"
#include "ads_sim/service_core.hpp"
#include "ads_sim/service_limits.hpp"
#include "ads_sim/terminal/port_directory.hpp"
#include "common/exit_code.hpp"

namespace ads_sim {

struct service_options {
  std::filesystem::path data_dir;
  // The store (--db, SPEC §10): default, the SQLite file in data_dir. The data dir holds only what the options
  // leave to it: the database file, the TLS material and the admin token (data_dir.hpp).
  std::optional<database_url> database;
  // The certificate, key and CA to serve (--tls-cert, --tls-key, --tls-ca); default: the data dir's.
  std::optional<given_tls_files> tls;
  std::string listen_host = "127.0.0.1";  // an IP address or a host name to resolve
  std::uint16_t listen_port = 8443;       // 0: an ephemeral port, see server::port()
  std::optional<std::string> admin_token;  // default: DIR/admin-token, generated once (0600)
  // The ANS notifier (UDP): an IP address and port (Ayla's agents use 55055; 0 = ephemeral). Default: the
  // listen host, port 0.
  std::optional<std::string> ans_host;
  std::uint16_t ans_port = 0;
  // The image host (HTTPS, no Ayla auth) for `remote` OTA downloads. Default: the listen host, port 0.
  std::optional<std::string> image_host;
  std::uint16_t image_port = 0;
  bool remote_images = false;  // OTA offers use source "remote" (the image host) instead of "local"
  // Listeners of their own for Ayla's user service and application API (each answers only its part; the main
  // port keeps answering everything). Unset: none.
  std::optional<std::pair<std::string, std::uint16_t>> user_listen;
  std::optional<std::pair<std::string, std::uint16_t>> app_listen;
  // One line per request (method, path, status, bytes, µs); default: stderr.
  std::function<void(std::string_view line)> log;
  service_limits limits;
  // --max-connections; unset, the program serves as many as its descriptors allow (connection_limit.hpp) and
  // limits.max_connections is what a service started in-process keeps.
  std::optional<std::size_t> max_connections;
  // The console's module maker password (first line of the file); default: generated on first start and printed
  // once on stderr. Given on a later start, it replaces the stored one.
  std::optional<std::filesystem::path> console_password_file;
  std::chrono::seconds console_session_idle{30 * 60};  // a console session ends after this long unused
};

// What the data dir must hold with these options: what no flag names elsewhere (data_dir.hpp).
data_dir_needs data_dir_needs_of(const service_options& options);

// A ready-to-use module identity for the demo OEM (what a factory writes into a module).
struct demo_identity {
  std::string oem_id;
  std::string oem_secret;
  std::string oem_model;
  std::string dsn;
  std::string public_key;  // base64 SPKI body (id/key)
};

class server {
 public:
  // Opens the data dir (creating it 0700 with its CA and certificates on first start, when it may be written) and
  // starts listening. The error's code is `usage` when the TLS files the options name are to blame (exit 2).
  static common::result<std::unique_ptr<server>, common::exit_error> start(boost::asio::io_context& io,
                                                                          service_options options);
  ~server();  // stops accepting and closes open connections
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  std::uint16_t port() const;
  const std::string& host() const;
  std::string url() const;  // "https://HOST:PORT"
  std::uint16_t ans_port() const;
  // A device's ANS cipher key (raw 16 bytes), as GET /dsns gives it base64-encoded.
  std::optional<std::string> ans_key_for(std::string_view dsn);
  std::string image_url() const;  // "https://HOST:PORT" of the image host
  // "https://HOST:PORT" of the user-service-only and application-API-only listeners, when asked for.
  std::optional<std::string> user_url() const;
  std::optional<std::string> app_url() const;
  const std::filesystem::path& ca_path() const;  // empty when ads-sim does not know the CA (--tls-cert alone)
  const std::string& admin_token() const;
  // The line that shows the console's newly generated module maker password, once everything else has started;
  // nullopt when the password was not made on this start.
  std::optional<std::string> console_notice() const;
  // "ads-sim ready: https://HOST:PORT[ ca CA-FILE][ user https://HOST:PORT][ app https://HOST:PORT]"
  std::string ready_line() const;
  // Where a module running in this process offers its AT port to the console's terminal (see terminal_port.hpp).
  std::shared_ptr<terminal::port_directory> terminals() const;

  api_result<created_oem> create_oem(std::string_view oem_id, std::string_view name, std::string_view email);
  api_result<std::vector<factory_device>> create_factory_devices(std::string_view oem_id, std::string_view model,
                                                                 int count);
  // Creates the OEM (with that id) and one factory device of `model` unless they exist; same answer every start.
  api_result<demo_identity> ensure_demo_identity(std::string_view oem_id = "0dfc7900",
                                                 std::string_view model = "sim7600-demo");
  // Sets a to-device property as the admin API does (wakes a listening device).
  // A model's template (the admin API's PUT .../template).
  api_result<std::vector<template_property>> set_template(std::string_view oem_id, std::string_view model,
                                                          const nlohmann::json& properties);
  api_result<property_record> set_property(std::string_view dsn, std::string_view name, const nlohmann::json& value,
                                           std::optional<std::string_view> base_type = std::nullopt);

  // OTA as the admin API does it: upload an image, make a job for an OEM model (or a DSN list), start it.
  api_result<image_record> add_image(std::string_view type, std::string_view model, std::string_view version,
                                     std::string_view bytes);
  api_result<ota_job_record> create_ota_job(std::int64_t image_id, std::string_view oem_model,
                                            const std::vector<std::string>& dsns = {});
  api_result<ota_job_record> start_ota_job(std::int64_t job_id);
  std::optional<ota_job_record> find_ota_job(std::int64_t job_id);

  void stop();

 private:
  struct state;
  explicit server(std::unique_ptr<state> parts);
  std::unique_ptr<state> state_;
};

}  // namespace ads_sim
