#include "agent/cert_store.hpp"

#include <algorithm>
#include <cctype>

namespace agent {
namespace {

constexpr std::string_view cert_prefix = "cert/";

std::string cert_key(std::string_view name) { return std::string(cert_prefix) + std::string(name); }

bool ends_with_any_case(std::string_view text, std::string_view suffix) {
  if (text.size() < suffix.size()) return false;
  return std::equal(suffix.begin(), suffix.end(), text.end() - static_cast<std::ptrdiff_t>(suffix.size()),
                    [](char lower, char c) { return std::tolower(static_cast<unsigned char>(c)) == lower; });
}

}  // namespace

bool cert_store::valid_name(std::string_view name) {
  if (name.size() > max_name || name.find_first_of("\\/:*?\"<>|,;") != std::string_view::npos) return false;
  const std::string_view stem = name.substr(0, name.size() < 4 ? 0 : name.size() - 4);
  return !stem.empty() && (ends_with_any_case(name, ".pem") || ends_with_any_case(name, ".der"));
}

std::vector<std::string> cert_store::names() const {
  std::vector<std::string> names;
  const std::string start(cert_prefix);
  for (auto it = nv_.values.lower_bound(start); it != nv_.values.end() && it->first.starts_with(start); ++it) {
    names.push_back(it->first.substr(start.size()));
  }
  return names;
}

std::optional<std::string> cert_store::read(const std::string& name) const { return nv_.get(cert_key(name)); }

std::optional<cert_error> cert_store::refuses_write(const std::string& name, std::size_t size) const {
  if (!valid_name(name)) return cert_error::bad_name;
  if (size > max_cert_bytes) return cert_error::too_long;
  if (!read(name) && names().size() >= max_certs) return cert_error::full;
  return std::nullopt;
}

common::result<nv_changes, cert_error> cert_store::write(const std::string& name, std::string bytes) const {
  if (auto refused = refuses_write(name, bytes.size())) return *refused;
  return nv_changes{{cert_key(name), std::move(bytes)}};
}

common::result<nv_changes, cert_error> cert_store::remove(const std::string& name) const {
  if (!read(name)) return cert_error::not_found;
  return nv_changes{{cert_key(name), std::nullopt}};
}

}  // namespace agent
