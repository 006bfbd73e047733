#include "ads_client/client_tls_context.hpp"

#include <filesystem>
#include <map>
#include <mutex>

namespace ads_client {

namespace ssl = boost::asio::ssl;

namespace {

common::outcome<std::shared_ptr<ssl::context>> make_context(const std::string& ca_file) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                       ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  boost::system::error_code ec;
  if (ca_file.empty()) {
    context->set_default_verify_paths(ec);
  } else {
    context->load_verify_file(ca_file, ec);
  }
  if (ec) return common::failure{"ca file " + ca_file + ": " + ec.message()};
  context->set_verify_mode(ssl::verify_peer);
  return context;
}

// What identifies one version of a CA file: its path, size and modification time.
struct ca_version {
  std::string path;
  std::uintmax_t size = 0;
  std::filesystem::file_time_type modified{};
  auto operator<=>(const ca_version&) const = default;
};

ca_version version_of(const std::string& ca_file) {
  ca_version version{ca_file};
  if (ca_file.empty()) return version;
  std::error_code ec;
  version.size = std::filesystem::file_size(ca_file, ec);
  version.modified = std::filesystem::last_write_time(ca_file, ec);
  return version;
}

}  // namespace

common::outcome<std::shared_ptr<ssl::context>> client_tls_context(const std::string& ca_file) {
  static std::mutex mutex;
  static std::map<ca_version, std::shared_ptr<ssl::context>> contexts;  // a handful of CA files per process at most
  const ca_version version = version_of(ca_file);
  std::lock_guard lock(mutex);
  if (auto found = contexts.find(version); found != contexts.end()) return found->second;
  auto made = make_context(ca_file);
  if (!made) return made.error();
  contexts.emplace(version, made.value());
  return made.value();
}

}  // namespace ads_client
