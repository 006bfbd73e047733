#pragma once
// key_batch: a batch of RSA keys made on every thread of a worker pool at once, so making a fleet's devices (one
// 2048-bit key each, tens of milliseconds of CPU) scales with the cores instead of queueing on one thread.
#include <atomic>
#include <functional>
#include <vector>

#include "ads_client/rsa_key.hpp"
#include "ads_sim/worker_pool.hpp"

namespace ads_sim {

using keys_made = std::function<void(std::vector<ads_client::rsa_key> keys)>;

// Splits `count` keys over the pool's threads; the part that finishes last calls `done` with all of them, on that
// worker. When `give_up` is set, or the pool shuts down, `done` is never called. False when nothing could be queued.
bool make_keys_in_parallel(worker_pool& pool, int count, const std::atomic<bool>& give_up, keys_made done);

}  // namespace ads_sim
