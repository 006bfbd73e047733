// The in-process module's terminal port: every viewer sees all output, only the writer's bytes reach the module
// (on the module's thread, in order), the seat passes on when the writer leaves, and close() ends everything.
#include "ads_sim/terminal/module_terminal.hpp"

#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

using ads_sim::terminal::module_terminal;
using ads_sim::terminal::role;
using ads_sim::terminal::viewer_sink;

namespace {

// The module's thread, run by hand: tasks wait until run_all().
struct module_thread {
  std::vector<std::function<void()>> tasks;
  std::string typed;  // what reached the module's input, as a transcript would record it
  void run_all() {
    auto now = std::move(tasks);
    tasks.clear();
    for (auto& task : now) task();
  }
};

struct seen {
  std::string output;
  std::vector<role> roles;
  bool closed = false;
  viewer_sink sink() {
    return {[this](std::string_view bytes) { output += bytes; }, [this](role now) { roles.push_back(now); },
            [this] { closed = true; }};
  }
};

std::shared_ptr<module_terminal> make_port(module_thread& thread) {
  return std::make_shared<module_terminal>([&thread](std::function<void()> task) { thread.tasks.push_back(task); },
                                           [&thread](std::string_view bytes) { thread.typed += bytes; });
}

}  // namespace

TEST_CASE("the writer's bytes reach the module on its thread, and a reader's are refused", "[ads_sim][terminal]") {
  module_thread thread;
  auto port = make_port(thread);
  seen first, second;
  auto writer = port->attach(first.sink());
  auto reader = port->attach(second.sink());
  CHECK(first.roles == std::vector<role>{role::writer});
  CHECK(second.roles == std::vector<role>{role::reader});

  CHECK(writer->type("AT+ADA=\"sta"));
  CHECK(writer->type("tus\"\r"));
  CHECK_FALSE(reader->type("ATZ\r"));
  CHECK(thread.typed.empty());  // not before the module's thread runs
  thread.run_all();
  CHECK(thread.typed == "AT+ADA=\"status\"\r");

  port->output("\r\nOK\r\n");
  CHECK(first.output == "\r\nOK\r\n");
  CHECK(second.output == "\r\nOK\r\n");
}

TEST_CASE("when the writer leaves, the reader is told it now writes", "[ads_sim][terminal]") {
  module_thread thread;
  auto port = make_port(thread);
  seen first, second;
  auto writer = port->attach(first.sink());
  auto reader = port->attach(second.sink());
  writer.reset();
  CHECK(second.roles == std::vector<role>{role::reader, role::writer});
  CHECK(reader->type("AT\r"));
  thread.run_all();
  CHECK(thread.typed == "AT\r");
  port->output("OK");
  CHECK(first.output.empty());  // detached
}

TEST_CASE("a closed port tells its viewers and takes no more input", "[ads_sim][terminal]") {
  module_thread thread;
  auto port = make_port(thread);
  seen first, late;
  auto writer = port->attach(first.sink());
  port->close();
  CHECK(first.closed);
  CHECK_FALSE(writer->type("AT\r"));
  auto after = port->attach(late.sink());
  CHECK(late.closed);
  CHECK(late.roles.empty());
  thread.run_all();
  CHECK(thread.typed.empty());
}

TEST_CASE("a viewer outliving its port types into nothing", "[ads_sim][terminal]") {
  module_thread thread;
  auto port = make_port(thread);
  seen first;
  auto writer = port->attach(first.sink());
  port.reset();
  CHECK_FALSE(writer->type("AT\r"));
}
