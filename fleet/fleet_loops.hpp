#pragma once
// fleet_loops: one event loop per core, each on its own thread, that the fleet's modules are spread over (module
// i on loop i % N). A module lives on one loop for its whole life, so its state needs no lock.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <thread>
#include <vector>

namespace fleet {

class fleet_loops {
 public:
  explicit fleet_loops(std::size_t count);
  ~fleet_loops();  // stops and joins
  fleet_loops(const fleet_loops&) = delete;
  fleet_loops& operator=(const fleet_loops&) = delete;

  std::size_t size() const { return loops_.size(); }
  boost::asio::io_context& loop(std::size_t index) { return *loops_[index % loops_.size()]; }
  void start();            // each loop runs on its thread until stop()
  void stop_and_join();

 private:
  using guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  std::vector<std::unique_ptr<boost::asio::io_context>> loops_;
  std::vector<guard> guards_;
  std::vector<std::thread> threads_;
};

}  // namespace fleet
