#pragma once
// connection_limit: how many connections the ads-sim program serves at once. --max-connections N, or by default as
// many as the process's descriptors allow: the soft limit raised to the hard one (a device service for a fleet
// must not stop at a shell's 1,024), less what the service keeps for its own (database, listeners, files, its
// PostgreSQL connections). It touches the process, so only the program calls it; the embedded service sizes its
// own from its fleet.
#include <cstddef>
#include <optional>

#include "common/result.hpp"

namespace ads_sim {

inline constexpr std::size_t descriptors_kept_for_the_service = 256;

// Raises the descriptor limit for `asked` connections, or as far as it goes without: the connections to serve, or
// "--max-connections N needs M file descriptors and the hard limit is H (raise it: ulimit -Hn, or LimitNOFILE=)".
common::outcome<std::size_t> fit_connection_limit(std::optional<std::size_t> asked);

}  // namespace ads_sim
