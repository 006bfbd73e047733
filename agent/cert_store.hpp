#pragma once
// cert_store: the certificates and keys the host downloaded (AT+CCERTDOWN), by file name, kept in the NV image
// under "cert/" so they survive a restart. Pure, as file_system is: it reads the NV image and answers changes.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/file_system.hpp"

namespace agent {

enum class cert_error { bad_name, too_long, full, not_found };

class cert_store {
 public:
  // The emulator's bounds (the manual does not state the real module's).
  static constexpr std::size_t max_certs = 16;
  static constexpr std::size_t max_cert_bytes = 10240;
  static constexpr std::size_t max_name = 64;

  explicit cert_store(const config_store::nv_image& nv) : nv_(nv) {}

  // A certificate or key file name: "ca.pem", "client.der" (a ".pem" or ".der" name, no path).
  static bool valid_name(std::string_view name);

  std::vector<std::string> names() const;  // sorted
  std::optional<std::string> read(const std::string& name) const;
  std::optional<cert_error> refuses_write(const std::string& name, std::size_t size) const;
  common::result<nv_changes, cert_error> write(const std::string& name, std::string bytes) const;
  common::result<nv_changes, cert_error> remove(const std::string& name) const;

 private:
  const config_store::nv_image& nv_;
};

}  // namespace agent
