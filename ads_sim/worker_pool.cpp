#include "ads_sim/worker_pool.hpp"

namespace ads_sim {

worker_pool::worker_pool(std::size_t threads)
    : threads_(threads), pool_(std::make_unique<boost::asio::thread_pool>(threads)) {}

void worker_pool::shutdown() {
  std::unique_ptr<boost::asio::thread_pool> stopping;
  {
    std::lock_guard lock(mutex_);
    stopping.swap(pool_);
  }
  if (!stopping) return;
  stopping->stop();  // queued work is dropped, not run
  stopping->join();
}

}  // namespace ads_sim
