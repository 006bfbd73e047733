#include "ads_sim/terminal/module_terminal.hpp"

#include <string>
#include <vector>

namespace ads_sim::terminal {

class module_terminal::attached final : public viewer {
 public:
  attached(std::weak_ptr<module_terminal> port, viewer_id id) : port_(std::move(port)), id_(id) {}
  ~attached() override {
    if (const auto port = port_.lock()) port->detach(id_);
  }
  bool type(std::string_view bytes) override {
    const auto port = port_.lock();
    return port && port->type(id_, bytes);
  }

 private:
  std::weak_ptr<module_terminal> port_;
  viewer_id id_;
};

module_terminal::module_terminal(task_runner run_on_module, input_hook input)
    : run_on_module_(std::move(run_on_module)), input_(std::move(input)) {}

std::unique_ptr<viewer> module_terminal::attach(viewer_sink sink) {
  std::lock_guard lock(mutex_);
  const viewer_id id = next_id_++;
  if (closed_) {
    if (sink.port_closed) sink.port_closed();
    return std::make_unique<attached>(std::weak_ptr<module_terminal>(), id);
  }
  const role first = seat_.join(id);
  auto& kept = viewers_.emplace(id, std::move(sink)).first->second;
  if (kept.role_changed) kept.role_changed(first);
  return std::make_unique<attached>(weak_from_this(), id);
}

void module_terminal::detach(viewer_id id) {
  std::lock_guard lock(mutex_);
  viewers_.erase(id);
  if (const auto promoted = seat_.leave(id)) {
    const auto found = viewers_.find(*promoted);
    if (found != viewers_.end() && found->second.role_changed) found->second.role_changed(role::writer);
  }
}

bool module_terminal::type(viewer_id id, std::string_view bytes) {
  // Under the lock: once close() returns, nothing more is handed to the module's thread.
  std::lock_guard lock(mutex_);
  if (closed_ || !seat_.may_write(id)) return false;
  // On the module's thread, in the order typed, through the same hook as any host's bytes.
  run_on_module_([self = shared_from_this(), bytes = std::string(bytes)] { self->input_(bytes); });
  return true;
}

void module_terminal::output(std::string_view bytes) {
  std::lock_guard lock(mutex_);
  for (auto& [id, sink] : viewers_)
    if (sink.output) sink.output(bytes);
}

void module_terminal::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  for (auto& [id, sink] : viewers_)
    if (sink.port_closed) sink.port_closed();
  viewers_.clear();
}

}  // namespace ads_sim::terminal
