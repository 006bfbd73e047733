// Requests handled in groups (group commit): answered as they would be one at a time and stored at the group's
// end; a lost group's answers are 500 and nothing of it is stored. The core's queue gathers the requests that
// waited while the core was busy into one group.
#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>

#include "ads_sim/core_queue.hpp"
#include "ads_sim/shared_core.hpp"
#include "ads_sim/store/sqlite_store.hpp"
#include "support.hpp"

using namespace ads_sim_test;

namespace {

// A SQLite store whose group is lost after the `lose_at`th request of the first group, or at its end (0): what a
// failed commit or an engine's own rollback does.
class losing_store final : public ads_sim::store {
 public:
  losing_store(std::unique_ptr<ads_sim::store> inner, int lose_at) : inner_(std::move(inner)), lose_at_(lose_at) {}

  ads_sim::oem_store& oems() override { return inner_->oems(); }
  ads_sim::device_store& devices() override { return inner_->devices(); }
  ads_sim::property_store& properties() override { return inner_->properties(); }
  ads_sim::template_store& templates() override { return inner_->templates(); }
  ads_sim::ota_store& ota() override { return inner_->ota(); }
  ads_sim::console_account_store& accounts() override { return inner_->accounts(); }
  ads_sim::end_user_store& end_users() override { return inner_->end_users(); }
  std::optional<std::string> health_problem() override { return inner_->health_problem(); }
  ads_sim::device_data_store& device_data() override { return inner_->device_data(); }
  ads_sim::registration_store& registrations() override { return inner_->registrations(); }

  void begin_group() override { inner_->begin_group(); }
  bool group_lost() override {
    if (++requests_ != lose_at_) return false;
    inner_->abandon_group();
    lost_ = true;
    return true;
  }
  bool end_group() override {
    if (lost_) {
      lost_ = false;
      inner_->end_group();
      return false;
    }
    if (lose_at_ == 0 && !lost_at_end_) {
      lost_at_end_ = true;
      inner_->abandon_group();
      return false;
    }
    return inner_->end_group();
  }
  void abandon_group() override { inner_->abandon_group(); }

 private:
  std::unique_ptr<ads_sim::store> inner_;
  const int lose_at_;
  int requests_ = 0;
  bool lost_ = false;
  bool lost_at_end_ = false;
};

http_request new_oem(const std::string& oem_id) {
  return admin_request("POST", "/oems", json{{"oem_id", oem_id}, {"name", "OEM " + oem_id}, {"email", "o@x"}});
}

std::vector<int> statuses(const std::vector<ads_sim::outcome>& outcomes) {
  std::vector<int> found;
  for (const auto& outcome : outcomes) found.push_back(std::get<http_response>(outcome).status);
  return found;
}

std::vector<ads_sim::outcome> handle_all(ads_sim::shared_core& core, const std::vector<http_request>& requests) {
  return core.handle_group(requests, [] { return t0; });
}

std::vector<std::string> stored_oems(const std::filesystem::path& file) {
  auto opened = ads_sim::open_sqlite_store(file);
  REQUIRE(opened);
  std::vector<std::string> ids;
  for (const auto& oem : (*opened)->oems().list_oems()) ids.push_back(oem.oem_id);
  return ids;
}

std::unique_ptr<ads_sim::store> sqlite_store_in(const std::filesystem::path& file) {
  auto opened = ads_sim::open_sqlite_store(file);
  REQUIRE(opened);
  return std::move(opened).value();
}

std::unique_ptr<ads_sim::store> losing_sqlite_store(const std::filesystem::path& file, int lose_at) {
  return std::make_unique<losing_store>(sqlite_store_in(file), lose_at);
}

// A core queue whose worker is busy until release(): what is submitted meanwhile waits for it. The answers are
// recorded as (request, status) in the order they come.
struct busy_core_queue {
  temp_dir dir;
  ads_sim::shared_core core;
  ads_sim::worker_pool worker{1};
  ads_sim::core_queue queue{core, worker};
  std::promise<void> busy;
  std::mutex mutex;
  std::condition_variable answered;
  std::vector<std::pair<int, int>> answers;
  bool released = false;

  // `grouped`: the SQLite store, which commits in groups; else one that commits call by call.
  explicit busy_core_queue(bool grouped = true)
      : core(grouped ? sqlite_store_in(dir.path() / "ads.db") : losing_sqlite_store(dir.path() / "ads.db", -1),
             admin_token) {
    REQUIRE(core.ok());
    REQUIRE(worker.submit([until = busy.get_future().share()] { until.wait(); }));
  }

  ~busy_core_queue() {
    if (!released) release();
    worker.shutdown();  // before the queue and the answers' mutex go: the worker may still be finishing a group
  }

  void release() {
    released = true;
    busy.set_value();
  }
  std::function<void(ads_sim::outcome)> answer_of(int index) {
    return [this, index](ads_sim::outcome result) {
      std::lock_guard lock(mutex);
      answers.emplace_back(index, std::get<http_response>(result).status);
      answered.notify_all();
    };
  }
  bool wait_for_answers(std::size_t count) {
    std::unique_lock lock(mutex);
    return answered.wait_for(lock, std::chrono::seconds(30), [&] { return answers.size() >= count; });
  }
};

}  // namespace

TEST_CASE("a group's requests are answered as one at a time, and stored at its end", "[ads_sim][group]") {
  temp_dir dir;
  ads_sim::shared_core core(ads_sim::database_url::sqlite_file(dir.path() / "ads.db"), admin_token);
  REQUIRE(core.ok());
  const auto outcomes = handle_all(core, {new_oem("aa000001"), new_oem("aa000001"), new_oem("aa000002"),
                                          admin_request("GET", "/oems")});
  CHECK(statuses(outcomes) == std::vector<int>{201, 409, 201, 200});
  CHECK(body_of(std::get<http_response>(outcomes[3]))["oems"].size() == 2);  // the group read its own changes
  CHECK(stored_oems(dir.path() / "ads.db") == std::vector<std::string>{"aa000001", "aa000002"});
}

TEST_CASE("a group lost at its commit answers 500 and stores nothing, and the next group is stored",
          "[ads_sim][group]") {
  temp_dir dir;
  ads_sim::shared_core core(losing_sqlite_store(dir.path() / "ads.db", 0), admin_token);
  REQUIRE(core.ok());
  const auto lost = handle_all(core, {new_oem("aa000001"), new_oem("aa000001"), admin_request("GET", "/oems")});
  CHECK(statuses(lost) == std::vector<int>{500, 500, 500});
  CHECK(body_of(std::get<http_response>(lost[0]))["error"].get<std::string>().find("send it again") !=
        std::string::npos);
  CHECK(stored_oems(dir.path() / "ads.db").empty());

  CHECK(statuses(handle_all(core, {new_oem("aa000001")})) == std::vector<int>{201});
  CHECK(stored_oems(dir.path() / "ads.db") == std::vector<std::string>{"aa000001"});
}

TEST_CASE("a group lost midway: the requests before are 500, the ones after are stored", "[ads_sim][group]") {
  temp_dir dir;
  ads_sim::shared_core core(losing_sqlite_store(dir.path() / "ads.db", 2), admin_token);
  REQUIRE(core.ok());
  const auto outcomes = handle_all(core, {new_oem("aa000001"), new_oem("aa000002"), new_oem("aa000003")});
  CHECK(statuses(outcomes) == std::vector<int>{500, 500, 201});
  CHECK(stored_oems(dir.path() / "ads.db") == std::vector<std::string>{"aa000003"});
}

TEST_CASE("the core's queue handles the requests that waited for a busy core as one group", "[ads_sim][group]") {
  busy_core_queue f;
  for (int i = 0; i < 5; ++i) REQUIRE(f.queue.submit(new_oem("bb00000" + std::to_string(i)), f.answer_of(i)));
  REQUIRE(f.queue.submit(new_oem("bb000000"), f.answer_of(5)));  // the same OEM again: answered as a repeat
  f.release();
  REQUIRE(f.wait_for_answers(6));
  CHECK(f.answers == std::vector<std::pair<int, int>>{{0, 201}, {1, 201}, {2, 201}, {3, 201}, {4, 201}, {5, 409}});
  CHECK(f.queue.groups_handled() == 1);
  CHECK(f.queue.requests_handled() == 6);

  REQUIRE(f.queue.submit(admin_request("GET", "/oems"), f.answer_of(6)));
  REQUIRE(f.wait_for_answers(7));
  CHECK(f.answers.back() == std::pair<int, int>{6, 200});
  CHECK(f.queue.groups_handled() == 2);
  CHECK(stored_oems(f.dir.path() / "ads.db").size() == 5);

  f.worker.shutdown();
  CHECK_FALSE(f.queue.submit(admin_request("GET", "/oems"), f.answer_of(7)));
}

TEST_CASE("on an engine that commits call by call, each request is answered as soon as it is stored",
          "[ads_sim][group]") {
  busy_core_queue f(false);
  REQUIRE_FALSE(f.core.commits_in_groups());
  for (int i = 0; i < 3; ++i) REQUIRE(f.queue.submit(new_oem("cc00000" + std::to_string(i)), f.answer_of(i)));
  f.release();
  REQUIRE(f.wait_for_answers(3));
  CHECK(f.answers == std::vector<std::pair<int, int>>{{0, 201}, {1, 201}, {2, 201}});
  CHECK(f.queue.groups_handled() == 3);
}

TEST_CASE("a stopped core queue drops what waits, and with it what the answers hold", "[ads_sim][group]") {
  busy_core_queue f;
  const auto connection = std::make_shared<int>(0);  // what a waiting request's answer holds: its connection
  std::atomic<bool> answered = false;
  REQUIRE(f.queue.submit(admin_request("GET", "/oems"), [&, connection](ads_sim::outcome) { answered = true; }));
  CHECK(connection.use_count() == 2);

  f.queue.stop();
  CHECK(connection.use_count() == 1);
  CHECK_FALSE(f.queue.submit(admin_request("GET", "/oems"), [](ads_sim::outcome) {}));
  f.release();  // the handling queued behind the busy work runs now, and finds nothing to handle
  std::promise<void> ran_after;
  REQUIRE(f.worker.submit([&] { ran_after.set_value(); }));
  REQUIRE(ran_after.get_future().wait_for(std::chrono::seconds(30)) == std::future_status::ready);
  CHECK_FALSE(answered);
  CHECK(f.queue.groups_handled() == 0);
}
