#include "fleet/fleet_loops.hpp"

namespace fleet {

fleet_loops::fleet_loops(std::size_t count) {
  for (std::size_t i = 0; i < std::max<std::size_t>(1, count); ++i) {
    loops_.push_back(std::make_unique<boost::asio::io_context>(1));  // one thread runs each: no locking inside
    guards_.emplace_back(loops_.back()->get_executor());
  }
}

fleet_loops::~fleet_loops() { stop_and_join(); }

void fleet_loops::start() {
  for (auto& loop : loops_) threads_.emplace_back([io = loop.get()] { io->run(); });
}

void fleet_loops::stop_and_join() {
  for (auto& g : guards_) g.reset();
  for (auto& loop : loops_) loop->stop();
  for (auto& thread : threads_)
    if (thread.joinable()) thread.join();
  threads_.clear();
}

}  // namespace fleet
