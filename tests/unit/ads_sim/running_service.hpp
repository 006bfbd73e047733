#pragma once
// ads-sim running on its own thread, as the emulator embeds it: for the tests that talk to the real HTTPS server.
#include <utility>  // before Asio: Debian's Boost 1.74 needs std::exchange declared

#include <catch2/catch.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tests/unit/ads_sim/support.hpp"
#include "ads_sim/server.hpp"

namespace ads_sim_test {

class running_service {
 public:
  // In a scratch folder of its own, its admin token generated into the data dir as the emulator's embedded one.
  running_service() {
    own_dir_.emplace();
    start(own_dir_->path() / "ads-sim", std::nullopt);
  }
  // In `dir`; with no token, the service generates one into the data dir.
  explicit running_service(const std::filesystem::path& dir, std::optional<std::string> token = admin_token) {
    start(dir, std::move(token));
  }
  // In a scratch folder of its own, with the console's module maker password read from `password.file`.
  struct console_password {
    std::filesystem::path file;
  };
  explicit running_service(const console_password& password) {
    own_dir_.emplace();
    start(own_dir_->path() / "ads-sim", std::nullopt, {}, password.file);
  }
  // In `dir` with other bounds (connections, deadlines).
  running_service(const std::filesystem::path& dir, const ads_sim::service_limits& limits) {
    start(dir, admin_token, limits);
  }
  ~running_service() {
    service.reset();
    io_.stop();
    thread_.join();
  }
  running_service(const running_service&) = delete;
  running_service& operator=(const running_service&) = delete;

  std::string all_log() {
    std::lock_guard lock(log_mutex_);
    std::string all;
    for (const auto& line : log_) all += line + "\n";
    return all;
  }

  // Waits (up to 10 s) until `count` answered requests' log lines contain `text`.
  bool wait_for_requests(const std::string& text, std::size_t count) {
    std::unique_lock lock(log_mutex_);
    return logged_.wait_for(lock, std::chrono::seconds(10), [&] {
      std::size_t seen = 0;
      for (const auto& line : log_) seen += line.find(text) != std::string::npos ? 1 : 0;
      return seen >= count;
    });
  }

  // With the first constructor: the scratch folder holding the data dir ("ads-sim"), like an emulator's state dir.
  std::filesystem::path folder() const { return own_dir_ ? own_dir_->path() : std::filesystem::path(); }
  boost::asio::io_context& io() { return io_; }

  std::unique_ptr<ads_sim::server> service;

 private:
  void start(const std::filesystem::path& dir, std::optional<std::string> token,
             const ads_sim::service_limits& limits = {},
             std::optional<std::filesystem::path> console_password_file = std::nullopt) {
    ads_sim::service_options options;
    options.console_password_file = std::move(console_password_file);
    options.limits = limits;
    options.data_dir = dir;
    options.listen_port = 0;
    options.admin_token = std::move(token);
    options.log = [this](std::string_view line) {
      std::lock_guard lock(log_mutex_);
      log_.emplace_back(line);
      logged_.notify_all();
    };
    auto started = ads_sim::server::start(io_, options);
    INFO((started ? std::string() : started.error().reason));
    REQUIRE(started);
    service = std::move(started).value();
    thread_ = std::thread([this] { io_.run(); });
  }

  std::optional<temp_dir> own_dir_;  // first: the other members use it
  boost::asio::io_context io_;
  // Keeps the thread running after a test stops the service, so work posted later still runs.
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> keep_running_{io_.get_executor()};
  std::thread thread_;
  std::mutex log_mutex_;
  std::condition_variable logged_;
  std::vector<std::string> log_;
};

}  // namespace ads_sim_test
