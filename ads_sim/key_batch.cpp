#include "ads_sim/key_batch.hpp"

#include <algorithm>
#include <memory>
#include <mutex>

#include "ads_sim/service_core.hpp"

namespace ads_sim {
namespace {

// What the parts of one batch share: the keys made so far and how many parts are still running.
struct batch {
  batch(int parts, keys_made done) : parts_left(parts), done(std::move(done)) {}
  std::mutex mutex;
  std::vector<ads_client::rsa_key> keys;
  int parts_left;
  bool failed = false;
  keys_made done;
};

void finish_part(batch& shared, std::vector<ads_client::rsa_key> keys, int wanted) {
  std::vector<ads_client::rsa_key> all;
  {
    std::lock_guard lock(shared.mutex);
    if (static_cast<int>(keys.size()) != wanted) shared.failed = true;  // gave up part way
    std::move(keys.begin(), keys.end(), std::back_inserter(shared.keys));
    if (--shared.parts_left > 0 || shared.failed) return;
    all.swap(shared.keys);
  }
  shared.done(std::move(all));
}

}  // namespace

bool make_keys_in_parallel(worker_pool& pool, int count, const std::atomic<bool>& give_up, keys_made done) {
  const int parts = std::max(1, std::min(count, static_cast<int>(pool.threads())));
  auto shared = std::make_shared<batch>(parts, std::move(done));
  bool queued_any = false;
  for (int part = 0; part < parts; ++part) {
    const int wanted = count / parts + (part < count % parts ? 1 : 0);
    const bool queued = pool.submit([shared, wanted, &give_up] {
      finish_part(*shared, fresh_keys(wanted, &give_up), wanted);
    });
    if (!queued) {
      std::lock_guard lock(shared->mutex);
      shared->failed = true;  // the pool is closing: the batch can never be whole
      break;
    }
    queued_any = true;
  }
  return queued_any;
}

}  // namespace ads_sim
