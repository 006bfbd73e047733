#pragma once
// storage_commands: the AT commands over the module's flash — the file system of drive C: (AT+FSCD, AT+FSLS,
// AT+FSMKDIR, AT+FSRMDIR, AT+FSDEL, AT+FSATTRI, AT+FSMEM, AT+CFTRANRX, AT+CFTRANTX) and the certificate store
// (AT+CCERTDOWN, AT+CCERTLIST, AT+CCERTDELE). What they write goes to NV; the command answers once it is durable.
#include <functional>
#include <string>

#include "agent/command_table.hpp"
#include "agent/data_prompt.hpp"
#include "agent/file_system.hpp"

namespace agent {

struct storage_ports {
  std::function<const config_store::nv_image&()> nv;                         // apca::service::nv
  std::function<void(nv_changes, std::function<void(bool ok)>)> change_nv;  // apca::service::nv_change
  std::function<void(data_prompt)> ask_for_data;                            // at_engine::ask_for_data
  std::function<void(command_result)> complete;                             // at_engine::complete
};

class storage_commands {
 public:
  explicit storage_commands(storage_ports ports) : ports_(std::move(ports)) {}

  void add_to(command_table& table);
  // The module rebooted: the current folder is C:/ again (the files stay).
  void power_cycle() { current_ = std::string(file_system::root); }

 private:
  file_system files() const { return file_system(ports_.nv()); }
  // Stores `changes` and answers the held command: OK once durable, +CME ERROR: 23 when NV could not be written.
  command_result store(nv_changes changes);

  command_result read_fscd() const;
  command_result change_folder(const at_params& params);
  command_result make_folder(const at_params& params);
  command_result remove_folder(const at_params& params);
  command_result count_entries() const;  // AT+FSLS?
  command_result list_all() const;       // AT+FSLS
  command_result list(const at_params& params) const;
  command_result delete_file(const at_params& params);
  command_result file_size(const at_params& params) const;
  command_result memory() const;
  command_result receive_file(const at_params& params);   // AT+CFTRANRX: host -> module
  command_result transmit_file(const at_params& params) const;  // AT+CFTRANTX: module -> host
  command_result download_cert(const at_params& params);
  command_result list_certs() const;
  command_result delete_cert(const at_params& params);

  storage_ports ports_;
  std::string current_ = std::string(file_system::root);  // AT+FSCD
};

}  // namespace agent
