#pragma once
// worker_pool: threads for the service's blocking work — the core's database calls and RSA key generation — so
// the I/O thread only moves bytes and every connection keeps its latency while one request is slow.
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstddef>
#include <memory>
#include <mutex>
#include <utility>

namespace ads_sim {

class worker_pool {
 public:
  explicit worker_pool(std::size_t threads);
  ~worker_pool() { shutdown(); }
  worker_pool(const worker_pool&) = delete;
  worker_pool& operator=(const worker_pool&) = delete;

  // Queues `work`; false once shut down (the work is dropped: the service is closing its connections).
  template <typename Work>
  bool submit(Work&& work) {
    std::lock_guard lock(mutex_);
    if (!pool_) return false;
    boost::asio::post(*pool_, std::forward<Work>(work));
    return true;
  }

  std::size_t threads() const { return threads_; }

  // Waits for the running work, drops the queued work. Never from one of the pool's own threads.
  void shutdown();

 private:
  const std::size_t threads_;
  std::mutex mutex_;
  std::unique_ptr<boost::asio::thread_pool> pool_;
};

}  // namespace ads_sim
