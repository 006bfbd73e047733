// sqlite_store's OTA images, jobs and targets, and the console's notes on them.
#include <sqlite3.h>

#include <algorithm>

#include "ads_sim/store/sqlite_store.hpp"

namespace ads_sim {

using namespace sqlite;

namespace {

constexpr std::string_view image_query = "SELECT image_id, type, model, version, size, sha256 FROM images ";

image_record read_image_row(const statement& row) {
  return image_record{row.column_int(0),  row.column_text(1), row.column_text(2),
                      row.column_text(3), row.column_int(4),  row.column_text(5)};
}

// The jobs of one image type (and, when the caller adds "AND i.version = ?", one image version); the caller closes
// the parenthesis.
constexpr std::string_view jobs_of_type =
    "job_id IN (SELECT j.job_id FROM ota_jobs j JOIN images i ON i.image_id = j.image_id WHERE i.type = ?";

// Binds the texts of a target's unfinished states, from `index` on.
void bind_unfinished(statement& query, int index) {
  query.bind(index, to_text(ota_target_state::pending))
      .bind(index + 1, to_text(ota_target_state::processing))
      .bind(index + 2, to_text(ota_target_state::downloaded));
}

}  // namespace

store_result<image_record> sqlite_store::insert_image(image_record image, std::string_view data,
                                                      std::string_view created_at) {
  statement insert(db_,
                   "INSERT INTO images(type, model, version, size, sha256, data, created_at) "
                   "VALUES(?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, image.type).bind(2, image.model).bind(3, image.version).bind(4, image.size).bind(5, image.sha256);
  insert.bind_blob(6, data).bind(7, created_at);
  if (auto stored = written(db_, insert.run()); !stored) return stored.error();
  image.image_id = db_.last_insert_id();
  return image;
}

store_result<image_record> sqlite_store::find_image(std::int64_t image_id) {
  return one_row(db_, sql(image_query, "WHERE image_id = ?"), read_image_row, image_id);
}

std::vector<image_record> sqlite_store::list_images() {
  statement query(db_, sql(image_query, "ORDER BY image_id"));
  return all_rows(query, read_image_row);
}

store_result<std::string> sqlite_store::read_image(std::int64_t image_id, std::int64_t offset, std::int64_t length) {
  // Incremental BLOB I/O reads just the range; substr() would load the whole image for every range (quadratic
  // in the image's size over a download).
  sqlite3_blob* blob = nullptr;
  if (sqlite3_blob_open(db_.native(), "main", "images", "data", image_id, 0, &blob) != SQLITE_OK) {
    sqlite3_blob_close(blob);
    return store_error::not_found;
  }
  const std::int64_t size = sqlite3_blob_bytes(blob);
  store_result<std::string> bytes = store_error::not_found;
  if (offset >= 0 && length >= 0 && offset <= size) {
    std::string range(static_cast<std::size_t>(std::min(length, size - offset)), '\0');
    const bool read = range.empty() || sqlite3_blob_read(blob, range.data(), static_cast<int>(range.size()),
                                                         static_cast<int>(offset)) == SQLITE_OK;
    bytes = read ? store_result<std::string>(std::move(range)) : store_error::database;
  }
  sqlite3_blob_close(blob);
  return bytes;
}

store_result<std::int64_t> sqlite_store::insert_ota_job(std::int64_t image_id,
                                                        const std::optional<std::string>& oem_model,
                                                        const std::vector<std::int64_t>& device_keys,
                                                        std::string_view created_at) {
  transaction tx(db_);
  statement insert(db_, "INSERT INTO ota_jobs(image_id, oem_model, status, created_at) VALUES(?, ?, ?, ?)");
  insert.bind(1, image_id).bind_optional(2, oem_model).bind(3, to_text(ota_job_status::created)).bind(4, created_at);
  if (auto stored = written(db_, insert.run()); !stored) return stored.error();
  const std::int64_t job_id = db_.last_insert_id();
  for (const auto key : device_keys) {
    const bool ran = execute(db_, "INSERT OR IGNORE INTO ota_job_devices(job_id, device_key, state) VALUES(?, ?, ?)",
                             job_id, key, to_text(ota_target_state::pending));
    if (auto stored = written(db_, ran); !stored) return stored.error();
  }
  if (!tx.commit()) return store_error::database;
  return job_id;
}

store_result<ota_job_record> sqlite_store::find_ota_job(std::int64_t job_id) {
  statement query(db_, "SELECT job_id, image_id, oem_model, status FROM ota_jobs WHERE job_id = ?");
  query.bind(1, job_id);
  auto job = one_row(query, [](const statement& row) {
    return ota_job_record{row.column_int(0), row.column_int(1), row.column_optional_text(2),
                          from_text<ota_job_status>(row.column_text(3)).value_or(ota_job_status::created)};
  });
  if (!job) return job;
  statement counts(db_, "SELECT state, count(*) FROM ota_job_devices WHERE job_id = ? GROUP BY state");
  counts.bind(1, job_id);
  while (counts.step()) {
    const auto state = from_text<ota_target_state>(counts.column_text(0));
    const std::int64_t n = counts.column_int(1);
    job->total += n;
    if (state == ota_target_state::processing || state == ota_target_state::downloaded) job->processing += n;
    if (state == ota_target_state::succeeded) job->succeeded = n;
    if (state == ota_target_state::failed) job->failed = n;
  }
  if (counts.failed()) return store_error::database;
  return job;
}

std::vector<ota_job_record> sqlite_store::list_ota_jobs() {
  statement query(db_, "SELECT job_id FROM ota_jobs ORDER BY job_id");
  std::vector<ota_job_record> jobs;
  for (const auto id : all_rows(query, [](const statement& row) { return row.column_int(0); }))
    if (auto job = find_ota_job(id)) jobs.push_back(std::move(*job));
  return jobs;
}

std::vector<ota_target> sqlite_store::ota_targets(std::int64_t job_id) {
  statement query(db_, "SELECT device_key, state FROM ota_job_devices WHERE job_id = ? ORDER BY device_key");
  query.bind(1, job_id);
  return all_rows(query, [](const statement& row) {
    return ota_target{row.column_int(0),
                      from_text<ota_target_state>(row.column_text(1)).value_or(ota_target_state::failed)};
  });
}

std::vector<ota_target_listing> sqlite_store::ota_target_page(std::int64_t job_id, std::int64_t offset,
                                                             std::int64_t limit) {
  statement query(db_,
                  "SELECT d.dsn, d.fw_version, t.state FROM ota_job_devices t JOIN devices d ON d.key = t.device_key "
                  "WHERE t.job_id = ? ORDER BY t.device_key LIMIT ? OFFSET ?");
  query.bind(1, job_id).bind(2, limit).bind(3, offset);
  return all_rows(query, [](const statement& row) {
    return ota_target_listing{row.column_text(0), row.column_text(1),
                              from_text<ota_target_state>(row.column_text(2)).value_or(ota_target_state::failed)};
  });
}

std::vector<std::string> sqlite_store::ota_job_oems(std::int64_t job_id) {
  statement query(db_,
                  "SELECT DISTINCT d.oem_id FROM ota_job_devices t JOIN devices d ON d.key = t.device_key "
                  "WHERE t.job_id = ? ORDER BY d.oem_id");
  query.bind(1, job_id);
  return all_rows(query, [](const statement& row) { return row.column_text(0); });
}

store_done sqlite_store::set_ota_target(std::int64_t job_id, std::int64_t device_key, ota_target_state state,
                                        std::optional<std::int64_t> command_id) {
  statement update(db_,
                   "UPDATE ota_job_devices SET state = ?, command_id = coalesce(?, command_id) "
                   "WHERE job_id = ? AND device_key = ?");
  update.bind(1, to_text(state));
  if (command_id)
    update.bind(2, *command_id);
  else
    update.bind_null(2);
  update.bind(3, job_id).bind(4, device_key);
  return changed_one(db_, update.run());
}

store_done sqlite_store::set_ota_job_status(std::int64_t job_id, ota_job_status status) {
  return changed_one(db_, execute(db_, "UPDATE ota_jobs SET status = ? WHERE job_id = ?", to_text(status), job_id));
}

store_done sqlite_store::complete_finished_jobs() {
  statement update(db_,
                   "UPDATE ota_jobs SET status = ? WHERE status = ? AND NOT EXISTS "
                   "(SELECT 1 FROM ota_job_devices d WHERE d.job_id = ota_jobs.job_id AND d.state IN (?, ?, ?))");
  update.bind(1, to_text(ota_job_status::completed)).bind(2, to_text(ota_job_status::running));
  bind_unfinished(update, 3);
  return written(db_, update.run());
}

store_done sqlite_store::finish_ota_command(std::int64_t device_key, std::int64_t command_id, bool succeeded) {
  statement update(db_, "UPDATE ota_job_devices SET state = CASE WHEN ? THEN (CASE WHEN " + std::string(jobs_of_type) +
                            ") THEN ? ELSE ? END) ELSE ? END WHERE device_key = ? AND command_id = ? AND state = ?");
  update.bind(1, succeeded ? 1 : 0).bind(2, "module").bind(3, to_text(ota_target_state::downloaded));
  update.bind(4, to_text(ota_target_state::succeeded)).bind(5, to_text(ota_target_state::failed));
  update.bind(6, device_key).bind(7, command_id).bind(8, to_text(ota_target_state::processing));
  if (auto done = written(db_, update.run()); !done) return done;
  return complete_finished_jobs();
}

store_done sqlite_store::fail_ota_targets(std::int64_t device_key, std::string_view image_type) {
  statement update(db_, "UPDATE ota_job_devices SET state = ? WHERE device_key = ? AND state IN (?, ?) AND " +
                            std::string(jobs_of_type) + ")");
  update.bind(1, to_text(ota_target_state::failed)).bind(2, device_key);
  update.bind(3, to_text(ota_target_state::processing)).bind(4, to_text(ota_target_state::downloaded));
  update.bind(5, image_type);
  statement close_commands(db_,
                           "UPDATE commands SET state = 'done', status = 1 WHERE device_key = ? AND state = 'delivered' "
                           "AND id IN (SELECT command_id FROM ota_job_devices WHERE device_key = ? AND state = ?)");
  close_commands.bind(1, device_key).bind(2, device_key).bind(3, to_text(ota_target_state::failed));
  if (!update.run() || !close_commands.run()) return store_error::database;
  return complete_finished_jobs();
}

store_done sqlite_store::confirm_module_version(std::int64_t device_key, std::string_view version) {
  statement update(db_,
                   "UPDATE ota_job_devices SET state = ? WHERE device_key = ? AND command_id IS NOT NULL AND "
                   "state IN (?, ?) AND " + std::string(jobs_of_type) + " AND i.version = ?)");
  update.bind(1, to_text(ota_target_state::succeeded)).bind(2, device_key);
  update.bind(3, to_text(ota_target_state::processing)).bind(4, to_text(ota_target_state::downloaded));
  update.bind(5, "module").bind(6, version);
  if (!update.run()) return store_error::database;
  return complete_finished_jobs();
}

store_done sqlite_store::insert_image_meta(const image_meta& meta) {
  return written(db_, execute(db_,
                              "INSERT INTO console_images(image_id, oem_id, description, from_version, uploaded_at) "
                              "VALUES(?, ?, ?, ?, ?)",
                              meta.image_id, meta.oem_id, meta.description, meta.from_version, meta.uploaded_at));
}

std::vector<image_meta> sqlite_store::list_image_meta() {
  statement query(db_,
                  "SELECT image_id, oem_id, description, from_version, uploaded_at FROM console_images "
                  "ORDER BY image_id");
  return all_rows(query, [](const statement& row) {
    return image_meta{row.column_int(0), row.column_text(1), row.column_text(2), row.column_text(3),
                      row.column_text(4)};
  });
}

store_done sqlite_store::insert_job_meta(const job_meta& meta) {
  return written(db_, execute(db_, "INSERT INTO console_jobs(job_id, oem_id, oem_model, description) VALUES(?, ?, ?, ?)",
                              meta.job_id, meta.oem_id, meta.oem_model, meta.description));
}

store_result<job_meta> sqlite_store::find_job_meta(std::int64_t job_id) {
  statement query(db_, "SELECT job_id, oem_id, oem_model, description, started_at FROM console_jobs WHERE job_id = ?");
  query.bind(1, job_id);
  return one_row(query, [](const statement& row) {
    return job_meta{row.column_int(0), row.column_text(1), row.column_text(2), row.column_text(3),
                    row.column_text(4)};
  });
}

store_done sqlite_store::set_job_started(std::int64_t job_id, std::string_view started_at) {
  return changed_one(db_, execute(db_, "UPDATE console_jobs SET started_at = ? WHERE job_id = ?", started_at, job_id));
}

}  // namespace ads_sim
