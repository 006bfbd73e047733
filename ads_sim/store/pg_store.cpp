// pg_store: the PostgreSQL store — one connection, one object per aggregate, the schema migrated on open.
#include "ads_sim/store/pg_store.hpp"

#include "ads_sim/store/schema_migrations.hpp"

namespace ads_sim {

namespace pg {

store_done written(const result& answer) {
  if (answer.ok()) return common::done{};
  return answer.constraint_violation() ? store_error::exists : store_error::database;
}

store_done changed_one(const result& answer) {
  if (answer.ok() && answer.affected() == 0) return store_error::not_found;
  return written(answer);
}

store_done inserted_new(const result& answer) {
  if (answer.ok() && answer.affected() == 0) return store_error::exists;
  return written(answer);
}

namespace {

class pg_store final : public store {
 public:
  explicit pg_store(const std::string& url) : db_(url) {}

  std::optional<std::string> open() {
    if (!db_.ok()) return db_.error();
    return migrate_schema(db_);
  }

  oem_store& oems() override { return oems_; }
  device_store& devices() override { return devices_; }
  property_store& properties() override { return properties_; }
  template_store& templates() override { return templates_; }
  ota_store& ota() override { return ota_; }
  console_account_store& accounts() override { return accounts_; }
  end_user_store& end_users() override { return end_users_; }
  device_data_store& device_data() override { return device_data_; }
  registration_store& registrations() override { return registrations_; }

  std::optional<std::string> health_problem() override {
    const auto version = schema_version(db_);
    if (!version) return "database " + db_.where() + " does not answer: " + db_.last_failure();
    return schema_problem(*version, static_cast<int>(migrations().size()));
  }

 private:
  connection db_;
  oem_table oems_{db_};
  device_table devices_{db_};
  property_table properties_{db_};
  template_table templates_{db_};
  ota_table ota_{db_};
  console_account_table accounts_{db_};
  end_user_table end_users_{db_};
  device_data_table device_data_{db_};
  registration_table registrations_{db_};
};

}  // namespace
}  // namespace pg

common::result<std::unique_ptr<store>, std::string> open_pg_store(const std::string& url) {
  auto opened = std::make_unique<pg::pg_store>(url);
  if (auto failed = opened->open()) return common::unexpected(*failed);
  return std::unique_ptr<store>(std::move(opened));
}

}  // namespace ads_sim
