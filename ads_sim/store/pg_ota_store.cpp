// pg_store's OTA images, jobs and targets, and the console's notes on them. A job's counters are counted from its
// targets' rows each time they are read, and every target change is one statement: replicas sharing the database
// cannot lose or double-count a device's result.
#include "ads_sim/store/pg_store.hpp"

namespace ads_sim::pg {

namespace {

std::string image_query(std::string_view tail) {
  std::string text("SELECT image_id, type, model, version, size, sha256 FROM images ");
  return text.append(tail);
}

image_record read_image_row(const result& rows, int row) {
  return image_record{rows.integer(row, 0), rows.text(row, 1), rows.text(row, 2),
                      rows.text(row, 3),    rows.integer(row, 4), rows.text(row, 5)};
}

// The jobs of one image type ($N given by the caller) — and, when the caller adds "AND i.version = $M", one image
// version; the caller closes the parenthesis.
std::string jobs_of_type(int type_parameter) {
  return "job_id IN (SELECT j.job_id FROM ota_jobs j JOIN images i ON i.image_id = j.image_id WHERE i.type = $" +
         std::to_string(type_parameter);
}

// The texts of a target's unfinished states (store_text.cpp), a constant list for "state IN ...".
constexpr std::string_view unfinished_states = "('pending', 'processing', 'downloaded')";

}  // namespace

store_result<image_record> ota_table::insert_image(image_record image, std::string_view data,
                                                   std::string_view created_at) {
  const auto inserted = db_.query("INSERT INTO images(type, model, version, size, sha256, data, created_at) "
                                  "VALUES($1, $2, $3, $4, $5, $6, $7) RETURNING image_id",
                                  image.type, image.model, image.version, image.size, image.sha256, bytes{data},
                                  created_at);
  if (auto stored = written(inserted); !stored) return stored.error();
  image.image_id = inserted.integer(0, 0);
  return image;
}

store_result<image_record> ota_table::find_image(std::int64_t image_id) {
  return one_row(db_.query(image_query("WHERE image_id = $1"), image_id), read_image_row);
}

std::vector<image_record> ota_table::list_images() {
  return all_rows(db_.query(image_query("ORDER BY image_id")), read_image_row);
}

store_result<std::string> ota_table::read_image(std::int64_t image_id, std::int64_t offset, std::int64_t length) {
  // substring() of an uncompressed (EXTERNAL) bytea fetches only the TOAST chunks of the range: a download does not
  // read the whole image for every range. NULL: the offset lies beyond the end.
  if (offset < 0 || length < 0) return store_error::not_found;
  parameters values;
  values.add(image_id);
  values.add(offset);
  values.add(length);
  const auto range = db_.run("SELECT CASE WHEN $2::bigint <= octet_length(data) "
                             "THEN substring(data FROM $2::integer + 1 FOR $3::integer) END FROM images "
                             "WHERE image_id = $1",
                             values, true);
  if (!range.ok()) return store_error::database;
  if (range.rows() == 0 || range.is_null(0, 0)) return store_error::not_found;
  return range.text(0, 0);  // binary format: the raw bytes
}

store_result<std::int64_t> ota_table::insert_ota_job(std::int64_t image_id, const std::optional<std::string>& oem_model,
                                                     const std::vector<std::int64_t>& device_keys,
                                                     std::string_view created_at) {
  transaction tx(db_);
  const auto job = db_.query("INSERT INTO ota_jobs(image_id, oem_model, status, created_at) VALUES($1, $2, $3, $4) "
                             "RETURNING job_id",
                             image_id, oem_model, to_text(ota_job_status::created), created_at);
  if (auto stored = written(job); !stored) return stored.error();
  const std::int64_t job_id = job.integer(0, 0);
  for (const auto key : device_keys) {
    const auto target = db_.query("INSERT INTO ota_job_devices(job_id, device_key, state) VALUES($1, $2, $3) "
                                  "ON CONFLICT DO NOTHING",
                                  job_id, key, to_text(ota_target_state::pending));
    if (auto stored = written(target); !stored) return stored.error();
  }
  if (!tx.commit()) return store_error::database;
  return job_id;
}

store_result<ota_job_record> ota_table::find_ota_job(std::int64_t job_id) {
  // One statement: the job and its counts read in one snapshot.
  const auto found = db_.query(
      "SELECT j.job_id, j.image_id, j.oem_model, j.status, count(d.device_key), "
      "count(*) FILTER (WHERE d.state IN ('processing', 'downloaded')), "
      "count(*) FILTER (WHERE d.state = 'succeeded'), count(*) FILTER (WHERE d.state = 'failed') "
      "FROM ota_jobs j LEFT JOIN ota_job_devices d ON d.job_id = j.job_id WHERE j.job_id = $1 GROUP BY j.job_id",
      job_id);
  return one_row(found, [](const result& rows, int row) {
    ota_job_record job{rows.integer(row, 0), rows.integer(row, 1), rows.optional_text(row, 2),
                       from_text<ota_job_status>(rows.text(row, 3)).value_or(ota_job_status::created)};
    job.total = rows.integer(row, 4);
    job.processing = rows.integer(row, 5);
    job.succeeded = rows.integer(row, 6);
    job.failed = rows.integer(row, 7);
    return job;
  });
}

std::vector<ota_job_record> ota_table::list_ota_jobs() {
  std::vector<ota_job_record> jobs;
  for (const auto id : all_rows(db_.query("SELECT job_id FROM ota_jobs ORDER BY job_id"), first_integer))
    if (auto job = find_ota_job(id)) jobs.push_back(std::move(*job));
  return jobs;
}

std::vector<ota_target> ota_table::ota_targets(std::int64_t job_id) {
  return all_rows(
      db_.query("SELECT device_key, state FROM ota_job_devices WHERE job_id = $1 ORDER BY device_key", job_id),
      [](const result& rows, int row) {
        return ota_target{rows.integer(row, 0),
                          from_text<ota_target_state>(rows.text(row, 1)).value_or(ota_target_state::failed)};
      });
}

std::vector<ota_target_listing> ota_table::ota_target_page(std::int64_t job_id, std::int64_t offset,
                                                          std::int64_t limit) {
  return all_rows(db_.query("SELECT d.dsn, d.fw_version, t.state FROM ota_job_devices t "
                            "JOIN devices d ON d.key = t.device_key WHERE t.job_id = $1 "
                            "ORDER BY t.device_key LIMIT $2 OFFSET $3",
                            job_id, limit, offset),
                  [](const result& rows, int row) {
                    return ota_target_listing{
                        rows.text(row, 0), rows.text(row, 1),
                        from_text<ota_target_state>(rows.text(row, 2)).value_or(ota_target_state::failed)};
                  });
}

std::vector<std::string> ota_table::ota_job_oems(std::int64_t job_id) {
  return all_rows(db_.query("SELECT DISTINCT d.oem_id FROM ota_job_devices t JOIN devices d ON d.key = t.device_key "
                            "WHERE t.job_id = $1 ORDER BY d.oem_id",
                            job_id),
                  [](const result& rows, int row) { return rows.text(row, 0); });
}

store_done ota_table::set_ota_target(std::int64_t job_id, std::int64_t device_key, ota_target_state state,
                                     std::optional<std::int64_t> command_id) {
  return changed_one(db_.query("UPDATE ota_job_devices SET state = $1, command_id = coalesce($2, command_id) "
                               "WHERE job_id = $3 AND device_key = $4",
                               to_text(state), command_id, job_id, device_key));
}

store_done ota_table::set_ota_job_status(std::int64_t job_id, ota_job_status status) {
  return changed_one(db_.query("UPDATE ota_jobs SET status = $1 WHERE job_id = $2", to_text(status), job_id));
}

store_done ota_table::complete_finished_jobs() {
  return written(db_.query(std::string("UPDATE ota_jobs SET status = $1 WHERE status = $2 AND NOT EXISTS "
                                       "(SELECT 1 FROM ota_job_devices d WHERE d.job_id = ota_jobs.job_id "
                                       "AND d.state IN ") +
                               std::string(unfinished_states) + ")",
                           to_text(ota_job_status::completed), to_text(ota_job_status::running)));
}

store_done ota_table::finish_ota_command(std::int64_t device_key, std::int64_t command_id, bool succeeded) {
  const auto update = db_.query("UPDATE ota_job_devices SET state = CASE WHEN $1::boolean THEN (CASE WHEN " +
                                    jobs_of_type(2) +
                                    ") THEN $3 ELSE $4 END) ELSE $5 END WHERE device_key = $6 AND command_id = $7 "
                                    "AND state = $8",
                                succeeded, "module", to_text(ota_target_state::downloaded),
                                to_text(ota_target_state::succeeded), to_text(ota_target_state::failed), device_key,
                                command_id, to_text(ota_target_state::processing));
  if (auto done = written(update); !done) return done;
  return complete_finished_jobs();
}

store_done ota_table::fail_ota_targets(std::int64_t device_key, std::string_view image_type) {
  // One transaction: the targets fail and their commands close together.
  transaction tx(db_);
  const auto failed = db_.query("UPDATE ota_job_devices SET state = $1 WHERE device_key = $2 "
                                "AND state IN ('processing', 'downloaded') AND " +
                                    jobs_of_type(3) + ")",
                                to_text(ota_target_state::failed), device_key, image_type);
  const auto closed = db_.query("UPDATE commands SET state = 'done', status = 1 WHERE device_key = $1 "
                                "AND state = 'delivered' AND id IN (SELECT command_id FROM ota_job_devices "
                                "WHERE device_key = $1 AND state = $2)",
                                device_key, to_text(ota_target_state::failed));
  if (!tx.ok() || !failed.ok() || !closed.ok() || !tx.commit()) return store_error::database;
  return complete_finished_jobs();
}

store_done ota_table::confirm_module_version(std::int64_t device_key, std::string_view version) {
  const auto update = db_.query("UPDATE ota_job_devices SET state = $1 WHERE device_key = $2 "
                                "AND command_id IS NOT NULL AND state IN ('processing', 'downloaded') AND " +
                                    jobs_of_type(3) + " AND i.version = $4)",
                                to_text(ota_target_state::succeeded), device_key, "module", version);
  if (!update.ok()) return store_error::database;
  return complete_finished_jobs();
}

store_done ota_table::insert_image_meta(const image_meta& meta) {
  return written(db_.query("INSERT INTO console_images(image_id, oem_id, description, from_version, uploaded_at) "
                           "VALUES($1, $2, $3, $4, $5)",
                           meta.image_id, meta.oem_id, meta.description, meta.from_version, meta.uploaded_at));
}

std::vector<image_meta> ota_table::list_image_meta() {
  return all_rows(db_.query("SELECT image_id, oem_id, description, from_version, uploaded_at FROM console_images "
                            "ORDER BY image_id"),
                  [](const result& rows, int row) {
                    return image_meta{rows.integer(row, 0), rows.text(row, 1), rows.text(row, 2), rows.text(row, 3),
                                      rows.text(row, 4)};
                  });
}

store_done ota_table::insert_job_meta(const job_meta& meta) {
  return written(db_.query("INSERT INTO console_jobs(job_id, oem_id, oem_model, description) VALUES($1, $2, $3, $4)",
                           meta.job_id, meta.oem_id, meta.oem_model, meta.description));
}

store_result<job_meta> ota_table::find_job_meta(std::int64_t job_id) {
  return one_row(db_.query("SELECT job_id, oem_id, oem_model, description, started_at FROM console_jobs "
                           "WHERE job_id = $1",
                           job_id),
                 [](const result& rows, int row) {
                   return job_meta{rows.integer(row, 0), rows.text(row, 1), rows.text(row, 2), rows.text(row, 3),
                                   rows.text(row, 4)};
                 });
}

store_done ota_table::set_job_started(std::int64_t job_id, std::string_view started_at) {
  return changed_one(
      db_.query("UPDATE console_jobs SET started_at = $1 WHERE job_id = $2", started_at, job_id));
}

}  // namespace ads_sim::pg
