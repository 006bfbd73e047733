#pragma once
// run: sim7600-ctl without its process — arguments in, the answer on `out`, reasons on `err`, exit code out.
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace sim7600_ctl {

inline constexpr int exit_done = 0;
inline constexpr int exit_refused = 1;  // refused by the daemon, or the daemon could not be reached
inline constexpr int exit_usage = 2;

int run_ctl(const std::vector<std::string>& args,
            const std::function<std::optional<std::string>(const std::string&)>& environment, std::ostream& out,
            std::ostream& err);

}  // namespace sim7600_ctl
