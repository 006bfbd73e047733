#include "agent/file_system.hpp"

#include <cctype>

namespace agent {
namespace {

constexpr std::string_view file_prefix = "fs/file/";
constexpr std::string_view folder_prefix = "fs/dir/";

std::string file_key(std::string_view path) { return std::string(file_prefix) + std::string(path); }
std::string folder_key(std::string_view path) { return std::string(folder_prefix) + std::string(path); }

// The manual's naming rules: none of \ : * ? " < > | , ; (nor the separator /), a letter, digit or underline first,
// no period last.
bool valid_name(std::string_view name) {
  if (name.empty() || name.find_first_of("\\:*?\"<>|,;/") != std::string_view::npos) return false;
  const auto first = static_cast<unsigned char>(name.front());
  if (!std::isalnum(first) && first != '_') return false;
  return name.back() != '.';
}

// "C:/a" + "b" -> "C:/a/b".
std::string child_of(const std::string& folder, std::string_view name) {
  return folder + (folder.back() == '/' ? "" : "/") + std::string(name);
}

// "C:/a/b" -> "C:/a"; "C:/a" -> "C:/".
std::string parent_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash <= 2 ? std::string(file_system::root) : path.substr(0, slash);
}

// The keys under `prefix` + `folder`'s children, each child's name with no further '/'.
template <class F>
void for_each_child(const config_store::nv_image& nv, std::string_view prefix, const std::string& folder, F each) {
  const std::string start = std::string(prefix) + child_of(folder, "");
  for (auto it = nv.values.lower_bound(start); it != nv.values.end() && it->first.starts_with(start); ++it) {
    const std::string_view name = std::string_view(it->first).substr(start.size());
    if (name.find('/') == std::string_view::npos) each(name, it->second);
  }
}

template <class F>
void for_each_under(const config_store::nv_image& nv, std::string_view prefix, F each) {
  for (auto it = nv.values.lower_bound(std::string(prefix)); it != nv.values.end() && it->first.starts_with(prefix);
       ++it) {
    each(it->second);
  }
}

}  // namespace

common::result<std::string, fs_error> file_system::resolve(std::string_view current, std::string_view name) const {
  std::vector<std::string_view> parts;
  std::string_view rest = name;
  if (name.size() >= 2 && name[1] == ':') {
    if (std::toupper(static_cast<unsigned char>(name[0])) != 'C') {
      return std::isalpha(static_cast<unsigned char>(name[0])) ? fs_error::no_such_drive : fs_error::bad_name;
    }
    rest = name.substr(2);
  } else {
    rest = name;
    std::string_view base = current.substr(root.size());
    while (!base.empty()) {
      const std::size_t slash = base.find('/');
      parts.push_back(base.substr(0, slash));
      base = slash == std::string_view::npos ? std::string_view{} : base.substr(slash + 1);
    }
  }
  while (!rest.empty()) {
    const std::size_t slash = rest.find('/');
    const std::string_view part = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    if (!valid_name(part)) return fs_error::bad_name;
    parts.push_back(part);
  }
  std::string path(root);
  for (std::size_t i = 0; i < parts.size(); ++i) path += (i ? "/" : "") + std::string(parts[i]);
  if (path.size() > max_path) return fs_error::bad_name;
  return path;
}

bool file_system::is_folder(const std::string& path) const {
  return path == root || nv_.values.contains(folder_key(path));
}

std::optional<std::string> file_system::read(const std::string& path) const { return nv_.get(file_key(path)); }

fs_listing file_system::list(const std::string& folder) const {
  fs_listing listing;
  for_each_child(nv_, folder_prefix, folder,
                 [&](std::string_view name, const std::string&) { listing.folders.emplace_back(name); });
  for_each_child(nv_, file_prefix, folder,
                 [&](std::string_view name, const std::string&) { listing.files.emplace_back(name); });
  return listing;
}

std::size_t file_system::used_bytes() const {
  std::size_t total = 0;
  for_each_under(nv_, file_prefix, [&](const std::string& bytes) { total += bytes.size(); });
  return total;
}

std::size_t file_system::entries() const {
  std::size_t count = 0;
  for_each_under(nv_, file_prefix, [&](const std::string&) { ++count; });
  for_each_under(nv_, folder_prefix, [&](const std::string&) { ++count; });
  return count;
}

bool file_system::parent_exists(const std::string& path) const { return is_folder(parent_of(path)); }

std::optional<fs_error> file_system::refuses_write(const std::string& path, std::size_t size) const {
  if (path == root || is_folder(path)) return fs_error::bad_name;
  if (!parent_exists(path)) return fs_error::not_found;
  const std::optional<std::string> old = read(path);
  const std::size_t others = used_bytes() - (old ? old->size() : 0);
  if (others + size > max_total_bytes || (!old && entries() >= max_entries)) return fs_error::full;
  return std::nullopt;
}

common::result<nv_changes, fs_error> file_system::write(const std::string& path, std::string bytes) const {
  if (auto refused = refuses_write(path, bytes.size())) return *refused;
  return nv_changes{{file_key(path), std::move(bytes)}};
}

common::result<nv_changes, fs_error> file_system::remove_file(const std::string& path) const {
  if (!read(path)) return fs_error::not_found;
  return nv_changes{{file_key(path), std::nullopt}};
}

common::result<nv_changes, fs_error> file_system::make_folder(const std::string& path) const {
  if (path == root || is_folder(path) || read(path)) return fs_error::exists;
  if (!parent_exists(path)) return fs_error::not_found;
  if (entries() >= max_entries) return fs_error::full;
  return nv_changes{{folder_key(path), std::string()}};
}

common::result<nv_changes, fs_error> file_system::remove_folder(const std::string& path) const {
  if (path == root || !is_folder(path)) return fs_error::not_found;
  const fs_listing inside = list(path);
  if (!inside.folders.empty() || !inside.files.empty()) return fs_error::not_empty;
  return nv_changes{{folder_key(path), std::nullopt}};
}

}  // namespace agent
