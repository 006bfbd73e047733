#pragma once
// Backoff jitter. Random bytes and hex text are common's (common/random_bytes.hpp, common/hex.hpp).

namespace apca {

double random_unit();  // uniform in [0, 1), drawn through common::random_bytes

}  // namespace apca
