#pragma once
// database_url: which engine holds ads-sim's store (SPEC §10, `--db URL`) — `sqlite:PATH` or libpq's URI
// (`postgresql://...`, `postgres://...`) — and opening the store it names.
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "ads_sim/store/store.hpp"

namespace ads_sim {

struct database_url {
  enum class engine { sqlite, postgresql };
  engine kind = engine::sqlite;
  std::string target;  // the SQLite file, or the whole PostgreSQL URI as libpq takes it

  static database_url sqlite_file(const std::filesystem::path& file) { return {engine::sqlite, file.string()}; }
  // For messages: the file, or the URI without its password.
  std::string shown() const;
};

// The engine and target `text` names; the error is the one-line reason it cannot be used.
common::result<database_url, std::string> parse_database_url(std::string_view text);

// Opens (creating, migrating) the store; the error says why not, in one line without the password.
common::result<std::unique_ptr<store>, std::string> open_store(const database_url& url);

}  // namespace ads_sim
