// A batch of RSA keys spread over a worker pool: every key made once, handed over once, and nothing handed over
// when the batch gives up or the pool is closing.
#include "ads_sim/key_batch.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>

namespace {

// What `done` received, waited for with a deadline.
struct handed_over {
  std::mutex mutex;
  std::condition_variable changed;
  int calls = 0;
  std::vector<ads_client::rsa_key> keys;

  ads_sim::keys_made sink() {
    return [this](std::vector<ads_client::rsa_key> made) {
      std::lock_guard lock(mutex);
      ++calls;
      keys = std::move(made);
      changed.notify_all();
    };
  }
  bool wait_for_call() {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, std::chrono::seconds(60), [this] { return calls > 0; });
  }
};

}  // namespace

TEST_CASE("a batch larger than the pool is split over its threads and handed over whole, once") {
  ads_sim::worker_pool pool(2);
  std::atomic<bool> give_up{false};
  handed_over result;
  REQUIRE(ads_sim::make_keys_in_parallel(pool, 5, give_up, result.sink()));
  REQUIRE(result.wait_for_call());
  pool.shutdown();  // every part has run: a second call would have happened by now
  CHECK(result.calls == 1);
  REQUIRE(result.keys.size() == 5);
  std::set<std::string> distinct;
  for (const auto& key : result.keys) distinct.insert(key.public_pem());
  CHECK(distinct.size() == 5);
}

TEST_CASE("a batch smaller than the pool makes exactly the keys asked for") {
  ads_sim::worker_pool pool(4);
  std::atomic<bool> give_up{false};
  handed_over result;
  REQUIRE(ads_sim::make_keys_in_parallel(pool, 1, give_up, result.sink()));
  REQUIRE(result.wait_for_call());
  pool.shutdown();
  CHECK(result.calls == 1);
  CHECK(result.keys.size() == 1);
}

TEST_CASE("a batch that gives up, or meets a closed pool, hands nothing over") {
  std::atomic<bool> give_up{true};
  handed_over result;
  {
    ads_sim::worker_pool pool(2);
    REQUIRE(ads_sim::make_keys_in_parallel(pool, 4, give_up, result.sink()));
    pool.shutdown();  // waits for the parts, which gave up at once
  }
  CHECK(result.calls == 0);

  ads_sim::worker_pool closed(2);
  closed.shutdown();
  give_up = false;
  CHECK_FALSE(ads_sim::make_keys_in_parallel(closed, 3, give_up, result.sink()));
  CHECK(result.calls == 0);
}
