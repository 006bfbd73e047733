#include "ads_sim/store/database_url.hpp"

#include "ads_sim/store/pg_store.hpp"
#include "ads_sim/store/sqlite_store.hpp"

namespace ads_sim {

namespace {

constexpr std::string_view sqlite_scheme = "sqlite:";

bool is_postgresql(std::string_view text) {
  return text.starts_with("postgresql://") || text.starts_with("postgres://");
}

}  // namespace

std::string database_url::shown() const {
  if (kind == engine::sqlite) return target;
  // postgresql://user:password@host/... → postgresql://user:***@host/...
  const auto scheme_end = target.find("://") + 3;
  const auto at = target.find('@', scheme_end);
  const auto colon = target.find(':', scheme_end);
  std::string text = target;
  if (at != std::string::npos && colon < at) text.replace(colon + 1, at - colon - 1, "***");
  if (const auto query = text.find("password="); query != std::string::npos)
    text.replace(query + 9, text.find('&', query) - (query + 9), "***");
  return text;
}

common::result<database_url, std::string> parse_database_url(std::string_view text) {
  if (text.starts_with(sqlite_scheme)) {
    const auto path = text.substr(sqlite_scheme.size());
    if (path.empty()) return common::unexpected(std::string("--db sqlite: needs a file path (sqlite:PATH)"));
    return database_url{database_url::engine::sqlite, std::string(path)};
  }
  if (is_postgresql(text)) return database_url{database_url::engine::postgresql, std::string(text)};
  return common::unexpected(std::string("--db: not a database URL (sqlite:PATH or postgresql://...)"));
}

common::result<std::unique_ptr<store>, std::string> open_store(const database_url& url) {
  if (url.kind == database_url::engine::sqlite) return open_sqlite_store(url.target);
  return open_pg_store(url.target);
}

}  // namespace ads_sim
