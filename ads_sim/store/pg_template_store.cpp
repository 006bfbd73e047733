// pg_store's templates: a model's properties.
#include "ads_sim/store/pg_store.hpp"

namespace ads_sim::pg {

store_done template_table::replace_template(std::string_view oem_id, std::string_view model,
                                            const std::vector<template_property>& list) {
  transaction tx(db_);
  if (!tx.ok() ||
      !db_.query("DELETE FROM template_properties WHERE oem_id = $1 AND model = $2", oem_id, model).ok() ||
      !db_.query("INSERT INTO templates(oem_id, model) VALUES($1, $2) ON CONFLICT DO NOTHING", oem_id, model).ok())
    return store_error::database;
  for (const auto& property : list) {
    const auto inserted = db_.query("INSERT INTO template_properties(oem_id, model, name, base_type, direction) "
                                    "VALUES($1, $2, $3, $4, $5)",
                                    oem_id, model, property.name, to_text(property.type), to_text(property.dir));
    if (auto stored = written(inserted); !stored) return stored;
  }
  if (!tx.commit()) return store_error::database;
  return common::done{};
}

store_result<std::vector<template_property>> template_table::find_template(std::string_view oem_id,
                                                                           std::string_view model) {
  const auto exists = db_.query("SELECT 1 FROM templates WHERE oem_id = $1 AND model = $2", oem_id, model);
  if (!exists.ok()) return store_error::database;
  if (exists.rows() == 0) return store_error::not_found;
  const auto list = db_.query("SELECT name, base_type, direction FROM template_properties "
                              "WHERE oem_id = $1 AND model = $2 ORDER BY name COLLATE \"C\"",
                              oem_id, model);
  if (!list.ok()) return store_error::database;
  return all_rows(list, [](const result& rows, int row) {
    return template_property{rows.text(row, 0), from_text<base_type>(rows.text(row, 1)).value_or(base_type::string),
                             from_text<direction>(rows.text(row, 2)).value_or(direction::from_device)};
  });
}

}  // namespace ads_sim::pg
