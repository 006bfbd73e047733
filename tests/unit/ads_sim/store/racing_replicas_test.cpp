// Replicas starting together on one empty database (a Kubernetes Deployment's pods do): each makes sure the
// console's module maker exists. The one that looked before the other's account was stored finds the email taken
// when it stores its own, and must start all the same — once it did not, and that replica exited.
#include <functional>
#include <utility>

#include "ads_sim/console/console_auth.hpp"
#include "store_engines.hpp"

using namespace ads_sim;

namespace {

// A replica's view of the shared accounts while another replica starts beside it: the other's module maker is
// stored right after this one looked and found none.
class racing_accounts final : public console_account_store {
 public:
  racing_accounts(console_account_store& shared, std::function<void()> other_starts)
      : shared_(shared), other_starts_(std::move(other_starts)) {}

  bool has_module_maker() override {
    const bool had = shared_.has_module_maker();
    if (other_starts_) std::exchange(other_starts_, nullptr)();
    return had;
  }
  // Everything else as the shared store has it.
  store_result<account_record> insert_account(const account_record& account, std::string_view created_at) override {
    return shared_.insert_account(account, created_at);
  }
  store_result<account_record> find_account(std::int64_t id) override { return shared_.find_account(id); }
  store_result<account_record> find_account_by_email(std::string_view email) override {
    return shared_.find_account_by_email(email);
  }
  store_done set_password_hash(std::int64_t id, std::string_view hash) override {
    return shared_.set_password_hash(id, hash);
  }
  store_done insert_session(std::string_view id_hash, const session_record& session) override {
    return shared_.insert_session(id_hash, session);
  }
  store_result<session_record> find_session(std::string_view id_hash) override { return shared_.find_session(id_hash); }
  store_done touch_session(std::string_view id_hash, std::int64_t expires_at) override {
    return shared_.touch_session(id_hash, expires_at);
  }
  store_done delete_session(std::string_view id_hash) override { return shared_.delete_session(id_hash); }
  store_done delete_sessions_ended_by(std::int64_t now) override { return shared_.delete_sessions_ended_by(now); }
  login_failures failures_of(std::string_view email) override { return shared_.failures_of(email); }
  store_done record_failure(std::string_view email, std::int64_t now) override {
    return shared_.record_failure(email, now);
  }
  store_done clear_failures(std::string_view email) override { return shared_.clear_failures(email); }

 private:
  console_account_store& shared_;
  std::function<void()> other_starts_;
};

const console::console_settings quick_hashes{1000};  // the password hash's cost is not what is tested here
const auto started = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));

}  // namespace

TEMPLATE_LIST_TEST_CASE("store: replicas starting together on an empty database both start, with one module maker",
                        "[store][console]", store_engines) {
  TestType engine;
  auto db = engine.open();
  console::console_auth other(db->accounts(), quick_hashes);
  bool other_made = false;
  std::optional<std::string> others_password;  // generated: that replica shows it
  racing_accounts view(db->accounts(), [&] {
    const auto made = other.ensure_module_maker(std::nullopt, started);
    other_made = static_cast<bool>(made);
    if (made) others_password = *made;
  });
  console::console_auth mine(view, quick_hashes);

  SECTION("no password given: the other replica's generated one stands, and only it shows it") {
    const auto made = mine.ensure_module_maker(std::nullopt, started);
    REQUIRE(made);
    CHECK_FALSE(made->has_value());
    REQUIRE(other_made);
    REQUIRE(others_password);
    CHECK(mine.login(console::module_maker_email, *others_password, "", started));
  }
  SECTION("a password given: it is the module maker's") {
    const auto made = mine.ensure_module_maker(std::string("maker-password-1"), started);
    REQUIRE(made);
    CHECK(other_made);
    CHECK(mine.login(console::module_maker_email, "maker-password-1", "", started));
  }
  CHECK(db->accounts().has_module_maker());
}
