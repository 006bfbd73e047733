#include "ads_sim/command_line.hpp"

#include <charconv>

namespace ads_sim {

namespace {

// Like the emulator's --state-dir: XDG state home, else ~/.local/state, else the working directory.
std::filesystem::path default_data_dir(const char* xdg_state_home, const char* home) {
  if (xdg_state_home && *xdg_state_home) return std::filesystem::path(xdg_state_home) / "ads-sim";
  if (home && *home) return std::filesystem::path(home) / ".local" / "state" / "ads-sim";
  return "ads-sim-data";
}

}  // namespace

std::optional<std::pair<std::string, std::uint16_t>> parse_listen_address(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return std::nullopt;
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return std::nullopt;  // an IPv6 address needs brackets
  }
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port_text.empty() || port > 65535)
    return std::nullopt;
  return std::pair{std::string(host), static_cast<std::uint16_t>(port)};
}

namespace {

// The flags as given, before they are checked and converted into service options.
struct given_flags {
  std::optional<std::string> listen, ans_listen, image_listen, user_listen, app_listen, data_dir, database,
      admin_token, console_password_file, console_session_idle, tls_cert, tls_key, tls_ca, max_connections;
  bool remote_images = false;
};

void add_flags(CLI::App& app, given_flags& flags) {
  cli::configure(app, {"ads-sim [flags]", "The Ayla-like device service: HTTPS device and admin APIs, ANS, OTA images.",
                       ""});
  app.add_option("--listen", flags.listen,
                 "address to serve HTTPS on (default 127.0.0.1:8443; port 0 = any free port)")
      ->type_name("HOST:PORT");
  app.add_option("--data-dir", flags.data_dir,
                 "what no other flag names: database, CA (DIR/ca.pem), certificates, admin token;\nmade on first "
                 "start; a read-only one is used as it is, never written\n(default $XDG_STATE_HOME/ads-sim or "
                 "~/.local/state/ads-sim)")
      ->type_name("DIR");
  app.add_option("--db", flags.database,
                 "the store: sqlite:PATH or postgresql://USER@HOST:PORT/DB (libpq's URI)\n(default: the SQLite "
                 "file in --data-dir)")
      ->type_name("URL");
  app.add_option("--tls-cert", flags.tls_cert,
                 "serve this certificate (PEM, then any intermediates) instead of the data dir's;\nreplicas given "
                 "the same files present one certificate (needs --tls-key)")
      ->type_name("FILE");
  app.add_option("--tls-key", flags.tls_key, "the private key of --tls-cert (PEM, unencrypted)")->type_name("FILE");
  app.add_option("--tls-ca", flags.tls_ca,
                 "the CA clients are told to trust (the ready line's \"ca\"), which must sign --tls-cert\n"
                 "(default: none named)")
      ->type_name("FILE");
  app.add_option("--admin-token", flags.admin_token,
                 "bearer token of the admin API (default: generated once into DIR/admin-token)")
      ->type_name("TOKEN");
  app.add_option("--console-password-file", flags.console_password_file,
                 "the console's module maker password, first line of FILE (default: generated on\nfirst start and "
                 "printed once on stderr)")
      ->type_name("FILE");
  app.add_option("--console-session-idle", flags.console_session_idle,
                 "a console session ends after this long unused (default 1800)")
      ->type_name("SECONDS");
  app.add_option("--ans-listen", flags.ans_listen,
                 "the ANS notifier's UDP address (default: the --listen host, any port;\nAyla's agents expect 55055; "
                 "devices read it from GET /dsns)")
      ->type_name("IP:PORT");
  app.add_option("--image-listen", flags.image_listen,
                 "the image host for remote OTA downloads (default: the --listen host, any port)")
      ->type_name("HOST:PORT");
  app.add_option("--user-listen", flags.user_listen,
                 "also serve Ayla's user service alone (sign-in, tokens) on this address,\nas user-field.aylanetworks.com "
                 "does (default: only on --listen)")
      ->type_name("HOST:PORT");
  app.add_option("--app-listen", flags.app_listen,
                 "also serve Ayla's application API alone (/apiv1) on this address,\nas ads-field.aylanetworks.com does "
                 "(default: only on --listen)")
      ->type_name("HOST:PORT");
  app.add_option("--max-connections", flags.max_connections,
                 "most connections served at once (default: as many as the file descriptor limit\nallows, raised to "
                 "its hard limit, less 256 for the service's own files)")
      ->type_name("N");
  app.add_flag("--remote-images", flags.remote_images,
               "offer OTA images with source \"remote\" (via the image host) instead of \"local\"");
}

// ads-sim's reasons are older than CLI11 and its users match them.
const cli::wording words = {
    [](const std::string& argument, const std::string&) { return "unknown flag " + argument; },
    "missing value for {}"};

common::outcome<std::pair<std::string, std::uint16_t>> address_of(const std::string& flag, const std::string& value) {
  auto address = parse_listen_address(value);
  if (!address) return common::failure{flag + " wants HOST:PORT, got " + value};
  return std::move(*address);
}

common::outcome<std::string> not_empty(const std::string& flag, const std::string& value) {
  if (value.empty()) return common::failure{flag + " must not be empty"};
  return value;
}

}  // namespace

common::outcome<command_line> parse_command_line(const std::vector<std::string_view>& args, const char* xdg_state_home,
                                                 const char* home) {
  command_line result;
  given_flags flags;
  CLI::App app("", "ads-sim");
  add_flags(app, flags);
  const auto parsed = cli::parse(app, std::vector<std::string>(args.begin(), args.end()), words);
  if (!parsed) return parsed.error();
  result.what = *parsed;
  if (result.what != cli::request::run) return result;

  service_options& options = result.args;
  options.data_dir = default_data_dir(xdg_state_home, home);
  options.remote_images = flags.remote_images;
  if (flags.listen) {
    auto address = address_of("--listen", *flags.listen);
    if (!address) return address.error();
    std::tie(options.listen_host, options.listen_port) = *address;
  }
  if (flags.ans_listen) {
    auto address = address_of("--ans-listen", *flags.ans_listen);
    if (!address) return address.error();
    std::tie(options.ans_host, options.ans_port) = *address;
  }
  if (flags.image_listen) {
    auto address = address_of("--image-listen", *flags.image_listen);
    if (!address) return address.error();
    std::tie(options.image_host, options.image_port) = *address;
  }
  if (flags.user_listen) {
    auto address = address_of("--user-listen", *flags.user_listen);
    if (!address) return address.error();
    options.user_listen = std::move(*address);
  }
  if (flags.app_listen) {
    auto address = address_of("--app-listen", *flags.app_listen);
    if (!address) return address.error();
    options.app_listen = std::move(*address);
  }
  if (flags.data_dir) {
    auto dir = not_empty("--data-dir", *flags.data_dir);
    if (!dir) return dir.error();
    options.data_dir = *dir;
  }
  if (flags.database) {
    auto database = parse_database_url(*flags.database);
    if (!database) return common::failure{database.error()};
    options.database = std::move(*database);
  }
  if (flags.console_password_file) {
    auto file = not_empty("--console-password-file", *flags.console_password_file);
    if (!file) return file.error();
    options.console_password_file = *file;
  }
  if (flags.console_session_idle) {
    const std::string& value = *flags.console_session_idle;
    int seconds = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec != std::errc() || end != value.data() + value.size() || seconds < 1)
      return common::failure{"--console-session-idle wants a number of seconds, got " + value};
    options.console_session_idle = std::chrono::seconds(seconds);
  }
  if (flags.max_connections) {
    const std::string& value = *flags.max_connections;
    std::size_t connections = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), connections);
    if (ec != std::errc() || end != value.data() + value.size() || connections < 1)
      return common::failure{"--max-connections wants a number of connections, got " + value};
    options.max_connections = connections;
  }
  if (flags.tls_cert || flags.tls_key || flags.tls_ca) {
    if (!flags.tls_cert)
      return common::failure{flags.tls_key ? "--tls-key needs --tls-cert" : "--tls-ca needs --tls-cert"};
    if (!flags.tls_key) return common::failure{"--tls-cert needs --tls-key"};
    auto cert = not_empty("--tls-cert", *flags.tls_cert);
    if (!cert) return cert.error();
    auto key = not_empty("--tls-key", *flags.tls_key);
    if (!key) return key.error();
    options.tls = given_tls_files{*cert, *key, std::nullopt};
    if (flags.tls_ca) {
      auto ca = not_empty("--tls-ca", *flags.tls_ca);
      if (!ca) return ca.error();
      options.tls->ca = *ca;
    }
  }
  if (flags.admin_token) {
    auto token = not_empty("--admin-token", *flags.admin_token);
    if (!token) return token.error();
    options.admin_token = *token;
  }
  return result;
}

cli::command_words completion_words() {
  given_flags flags;
  CLI::App app("", "ads-sim");
  add_flags(app, flags);
  return cli::describe(app);
}

std::string usage_text() {
  given_flags flags;
  CLI::App app("", "ads-sim");
  add_flags(app, flags);
  return app.help();
}

}  // namespace ads_sim
