#include "ads_sim/worker_pool.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace ads_sim {

worker_pool::worker_pool(std::size_t threads, bool background)
    : background_(background), pool_(std::make_unique<boost::asio::thread_pool>(threads)) {}

// Linux nice values are per thread.
void worker_pool::lower_priority() { ::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), 10); }

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
