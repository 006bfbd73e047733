#pragma once
// module_terminal: the terminal_port a module running in-process offers — a second tap on its one UART. Every
// viewer sees all the module writes (the module's thread calls output()); the viewer holding the writer's seat
// may type, and its bytes reach the module on the module's thread as any host's bytes do (the `input` hook).
// No Asio: the owner says how to run work on the module's thread (`run_on_module`).
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>

#include "ads_sim/terminal/terminal_port.hpp"
#include "ads_sim/terminal/writer_seat.hpp"

namespace ads_sim::terminal {

class module_terminal final : public terminal_port, public std::enable_shared_from_this<module_terminal> {
 public:
  using task_runner = std::function<void(std::function<void()> task)>;
  using input_hook = std::function<void(std::string_view bytes)>;

  // `run_on_module` must run tasks later (it is called under the terminal's lock) and in the order given; `input`
  // is called from those tasks.
  module_terminal(task_runner run_on_module, input_hook input);

  std::unique_ptr<viewer> attach(viewer_sink sink) override;
  // On the module's thread: what the module wrote, for every viewer.
  void output(std::string_view bytes);
  // The module is going away: every viewer is told; typing after this is ignored.
  void close();

 private:
  class attached;
  void detach(viewer_id id);
  bool type(viewer_id id, std::string_view bytes);

  task_runner run_on_module_;
  input_hook input_;
  std::mutex mutex_;
  writer_seat seat_;
  std::map<viewer_id, viewer_sink> viewers_;
  viewer_id next_id_ = 1;
  bool closed_ = false;
};

}  // namespace ads_sim::terminal
