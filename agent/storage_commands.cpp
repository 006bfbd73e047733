#include "agent/storage_commands.hpp"

#include <algorithm>

#include "agent/cert_store.hpp"
#include "apca/ada_text.hpp"

namespace agent {
namespace {

constexpr int memory_full = 20;     // +CME ERROR: 20 "memory full": a bound of the drive or the store
constexpr int memory_failure = 23;  // +CME ERROR: 23 "memory failure": NV could not be written
// AT+CFTRANTX sends a file in blocks of at most this many bytes, each after its "+CFTRANTX: DATA,<n>" line (the
// block size is the emulator's; the manual shows one block per example).
constexpr std::size_t transmit_block = 2048;

// The manual answers a file-system failure with plain ERROR; only a full drive says why.
command_result refused(fs_error error) {
  return error == fs_error::full ? command_result::cme(memory_full) : command_result::error();
}
command_result refused(cert_error error) {
  return error == cert_error::full ? command_result::cme(memory_full) : command_result::error();
}

// "C:/" stays; "C:/a" shows as "C:/a/", as AT+FSCD prints a folder.
std::string folder_shown(const std::string& path) { return path.back() == '/' ? path : path + "/"; }

}  // namespace

void storage_commands::add_to(command_table& table) {
  const auto path = text(file_system::max_path);
  table.add({.name = "+FSCD",
             .test = answer_ok(),
             .read = handler(*this, &storage_commands::read_fscd),
             .set = handler(*this, &storage_commands::change_folder),
             .set_args = {path}});
  table.add({.name = "+FSMKDIR",
             .test = answer_ok(),
             .set = handler(*this, &storage_commands::make_folder),
             .set_args = {path}});
  table.add({.name = "+FSRMDIR",
             .test = answer_ok(),
             .set = handler(*this, &storage_commands::remove_folder),
             .set_args = {path}});
  table.add({.name = "+FSLS",
             .test = answer({"+FSLS: (0-2)"}),
             .read = handler(*this, &storage_commands::count_entries),
             .set = handler(*this, &storage_commands::list),
             .set_args = {integer(0, 2)},
             .action = handler(*this, &storage_commands::list_all)});
  table.add({.name = "+FSDEL",
             .test = answer_ok(),
             .set = handler(*this, &storage_commands::delete_file),
             .set_args = {path}});
  table.add({.name = "+FSATTRI",
             .test = answer_ok(),
             .set = handler(*this, &storage_commands::file_size),
             .set_args = {path}});
  table.add({.name = "+FSMEM", .test = answer_ok(), .action = handler(*this, &storage_commands::memory)});
  const long max_file = static_cast<long>(file_system::max_total_bytes);
  table.add({.name = "+CFTRANRX",
             .test = answer({"+CFTRANRX: \"FILEPATH\",(1-" + std::to_string(file_system::max_total_bytes) + ")"}),
             .set = handler(*this, &storage_commands::receive_file),
             .set_args = {path, integer(1, max_file)}});
  table.add({.name = "+CFTRANTX",
             .test = answer({"+CFTRANTX: \"FILEPATH\""}),
             .set = handler(*this, &storage_commands::transmit_file),
             .set_args = {path, optional(integer(0, max_file)), optional(integer(1, max_file))}});
  const auto cert_name = text(cert_store::max_name);
  table.add({.name = "+CCERTDOWN",
             .test = answer({"+CCERTDOWN: (1-" + std::to_string(cert_store::max_cert_bytes) + ")"}),
             .set = handler(*this, &storage_commands::download_cert),
             .set_args = {cert_name, integer(1, static_cast<long>(cert_store::max_cert_bytes))}});
  table.add({.name = "+CCERTLIST", .test = answer_ok(), .action = handler(*this, &storage_commands::list_certs)});
  table.add({.name = "+CCERTDELE",
             .test = answer_ok(),
             .set = handler(*this, &storage_commands::delete_cert),
             .set_args = {cert_name}});
}

command_result storage_commands::store(nv_changes changes) {
  ports_.change_nv(std::move(changes), [complete = ports_.complete](bool ok) {
    complete(ok ? command_result::ok() : command_result::cme(memory_failure));
  });
  return command_result::held();
}

// ---- folders ----

command_result storage_commands::read_fscd() const { return command_result::ok({"+FSCD: " + folder_shown(current_)}); }

command_result storage_commands::change_folder(const at_params& params) {
  const auto path = files().resolve(current_, params.text(0));
  if (!path) return refused(path.error());
  if (!files().is_folder(*path)) return command_result::error();
  current_ = *path;
  return read_fscd();
}

command_result storage_commands::make_folder(const at_params& params) {
  const auto path = files().resolve(current_, params.text(0));
  if (!path) return refused(path.error());
  auto changes = files().make_folder(*path);
  if (!changes) return refused(changes.error());
  return store(std::move(*changes));
}

command_result storage_commands::remove_folder(const at_params& params) {
  const auto path = files().resolve(current_, params.text(0));
  if (!path) return refused(path.error());
  // The current folder, or one it lies in, stays (the host would stand nowhere).
  if (current_ == *path || current_.starts_with(*path + "/")) return command_result::error();
  auto changes = files().remove_folder(*path);
  if (!changes) return refused(changes.error());
  return store(std::move(*changes));
}

// ---- listing ----

command_result storage_commands::count_entries() const {
  const fs_listing inside = files().list(current_);
  return command_result::ok(
      {"+FSLS: SUBDIRECTORIES:" + std::to_string(inside.folders.size()) + ",FILES:" + std::to_string(inside.files.size())});
}

command_result storage_commands::list_all() const { return list(at_params({std::string("0")})); }

command_result storage_commands::list(const at_params& params) const {
  const int type = params.integer(0);  // 0 both, 1 folders, 2 files
  const fs_listing inside = files().list(current_);
  std::vector<std::string> lines;
  auto section = [&lines](const char* title, const std::vector<std::string>& names) {
    if (names.empty()) return;
    if (!lines.empty()) lines.emplace_back();
    lines.emplace_back(title);
    lines.insert(lines.end(), names.begin(), names.end());
  };
  if (type != 2) section("+FSLS: SUBDIRECTORIES:", inside.folders);
  if (type != 1) section("+FSLS: FILES:", inside.files);
  return command_result::ok(std::move(lines));
}

// ---- files ----

command_result storage_commands::delete_file(const at_params& params) {
  const auto path = files().resolve(current_, params.text(0));
  if (!path) return refused(path.error());
  auto changes = files().remove_file(*path);
  if (!changes) return refused(changes.error());
  return store(std::move(*changes));
}

command_result storage_commands::file_size(const at_params& params) const {
  const auto path = files().resolve(current_, params.text(0));
  if (!path) return refused(path.error());
  const auto bytes = files().read(*path);
  if (!bytes) return command_result::error();
  return command_result::ok({"+FSATTRI: " + std::to_string(bytes->size())});
}

command_result storage_commands::memory() const {
  return command_result::ok({"+FSMEM: C:(" + std::to_string(file_system::max_total_bytes) + "," +
                             std::to_string(files().used_bytes()) + ")"});
}

command_result storage_commands::receive_file(const at_params& params) {
  const auto path = files().resolve(current_, params.text(0));
  if (!path) return refused(path.error());
  const auto length = static_cast<std::size_t>(params.integer(1));
  if (auto refusal = files().refuses_write(*path, length)) return refused(*refusal);
  ports_.ask_for_data({.prompt = ">", .length = length, .done = [this, target = *path](data_block block) {
                         // Checked again: the drive may have changed while the bytes came (a control verb).
                         auto changes = files().write(target, std::move(block.bytes));
                         if (!changes) return refused(changes.error());
                         return store(std::move(*changes));
                       }});
  return command_result::held();
}

command_result storage_commands::transmit_file(const at_params& params) const {
  const auto path = files().resolve(current_, params.text(0));
  if (!path) return refused(path.error());
  const auto bytes = files().read(*path);
  if (!bytes) return command_result::error();
  const auto from = static_cast<std::size_t>(params.integer(1, 0));
  if (from > bytes->size() || (params.has(2) && !params.has(1))) return command_result::error();
  const std::size_t count =
      params.has(2) ? static_cast<std::size_t>(params.integer(2)) : bytes->size() - from;
  if (from + count > bytes->size()) return command_result::error();
  std::vector<std::string> lines;
  for (std::size_t at = from; at < from + count; at += transmit_block) {
    const std::size_t block = std::min(transmit_block, from + count - at);
    lines.push_back("+CFTRANTX: DATA," + std::to_string(block));
    lines.push_back(bytes->substr(at, block));
  }
  lines.emplace_back("+CFTRANTX: 0");
  return command_result::ok(std::move(lines));
}

// ---- certificates ----

command_result storage_commands::download_cert(const at_params& params) {
  const std::string& name = params.text(0);
  const auto length = static_cast<std::size_t>(params.integer(1));
  if (auto refusal = cert_store(ports_.nv()).refuses_write(name, length)) return refused(*refusal);
  ports_.ask_for_data({.prompt = ">", .length = length, .done = [this, name](data_block block) {
                         auto changes = cert_store(ports_.nv()).write(name, std::move(block.bytes));
                         if (!changes) return refused(changes.error());
                         return store(std::move(*changes));
                       }});
  return command_result::held();
}

command_result storage_commands::list_certs() const {
  std::vector<std::string> lines;
  for (const auto& name : cert_store(ports_.nv()).names()) lines.push_back("+CCERTLIST: " + apca::quote_at_string(name));
  return command_result::ok(std::move(lines));
}

command_result storage_commands::delete_cert(const at_params& params) {
  auto changes = cert_store(ports_.nv()).remove(params.text(0));
  if (!changes) return refused(changes.error());
  return store(std::move(*changes));
}

}  // namespace agent
