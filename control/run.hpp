#pragma once
// run: sim7600-ctl without its process — arguments in, the answer on `out`, reasons on `err`, exit code out.
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace sim7600_ctl {

// Exits as common::exit_code says: 0 done, 1 (failed) refused by the daemon or the daemon could not be reached,
// 2 a usage error.
int run_ctl(const std::vector<std::string>& args,
            const std::function<std::optional<std::string>(const std::string&)>& environment, std::ostream& out,
            std::ostream& err);

}  // namespace sim7600_ctl
