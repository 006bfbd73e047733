#pragma once
// run: the ads-admin program without its process — arguments in, JSON on `out`, reasons on `err`, exit code out.
#include <ostream>
#include <string_view>
#include <vector>

#include "ads_admin/admin_session.hpp"
#include "ads_admin/verbs.hpp"

namespace ads_admin {

// Exits as common::exit_code says: 0 done, 1 (failed) the service refused, could not be reached, or a job did not
// succeed, 2 a usage error.
// `args` without the program name; `xdg_state_home` and `home` from the environment (may be null).
int run_admin(const std::vector<std::string_view>& args, const char* xdg_state_home, const char* home,
              std::ostream& out, std::ostream& err);

// One parsed command against an open session (reads the file an upload names).
int run_command(const admin_command& command, admin_session& session, std::ostream& out, std::ostream& err);

}  // namespace ads_admin
