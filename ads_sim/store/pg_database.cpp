#include "ads_sim/store/pg_database.hpp"

#include <algorithm>
#include <iostream>

namespace ads_sim::pg {

namespace {

// SQLSTATE class of integrity constraint violations.
constexpr std::string_view constraint_class = "23";

void log_failure(std::string_view what, std::string_view message) {
  std::cerr << "ads-sim: postgresql: " << what << ": " << message << std::endl;
}

// libpq takes keywords in order and the last value of one wins, so the URL, expanded after the default timeout,
// keeps a connect_timeout of its own.
PGconn* connect_within_timeout(const std::string& url) {
  const std::string timeout = std::to_string(default_connect_timeout_secs);
  const char* const keywords[] = {"connect_timeout", "dbname", nullptr};
  const char* const values[] = {timeout.c_str(), url.c_str(), nullptr};
  return PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
}

}  // namespace

std::string first_line(const char* message) {
  std::string text = message ? message : "unknown error";
  if (const auto end = text.find('\n'); end != std::string::npos) text.resize(end);
  return text;
}

void parameters::add_text(std::string text) {
  lengths_.push_back(static_cast<int>(text.size()));
  formats_.push_back(0);
  values_.emplace_back(std::move(text));
}

void parameters::add(const std::optional<std::string>& text) {
  if (text) return add_text(*text);
  values_.emplace_back(std::nullopt);
  lengths_.push_back(0);
  formats_.push_back(0);
}

void parameters::add(std::optional<std::int64_t> value) {
  add(value ? std::optional<std::string>(std::to_string(*value)) : std::nullopt);
}

void parameters::add(bytes value) {
  values_.emplace_back(std::string(value.data));
  lengths_.push_back(static_cast<int>(value.data.size()));
  formats_.push_back(1);
}

std::vector<const char*> parameters::pointers() const {
  std::vector<const char*> list;
  for (const auto& value : values_) list.push_back(value ? value->c_str() : nullptr);
  return list;
}

bool result::ok() const {
  if (!answer_) return false;
  const auto status = PQresultStatus(answer_.get());
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

bool result::constraint_violation() const {
  const char* state = answer_ ? PQresultErrorField(answer_.get(), PG_DIAG_SQLSTATE) : nullptr;
  return state && std::string_view(state).starts_with(constraint_class);
}

std::int64_t result::affected() const {
  const char* count = answer_ ? PQcmdTuples(answer_.get()) : nullptr;
  return count && *count ? std::stoll(count) : 0;
}

std::int64_t result::integer(int row, int column) const {
  return std::stoll(PQgetvalue(answer_.get(), row, column));
}

std::string result::text(int row, int column) const {
  return std::string(PQgetvalue(answer_.get(), row, column),
                     static_cast<std::size_t>(PQgetlength(answer_.get(), row, column)));
}

std::optional<std::string> result::optional_text(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return text(row, column);
}

connection::connection(const std::string& url) : conn_(connect_within_timeout(url)) {
  if (!conn_) {
    error_ = "out of memory";
  } else if (PQstatus(conn_.get()) != CONNECTION_OK) {
    // libpq's message names the host and port it tried, never the password.
    error_ = first_line(PQerrorMessage(conn_.get()));
    if (error_.empty()) error_ = "connection failed";
  } else {
    exec("SET client_min_messages = warning");  // no NOTICE lines from IF NOT EXISTS on stderr
  }
}

std::string connection::where() const {
  if (!conn_) return "postgresql";
  const char* host = PQhost(conn_.get());
  const char* port = PQport(conn_.get());
  const char* db = PQdb(conn_.get());
  return std::string(host ? host : "") + ":" + (port ? port : "") + "/" + (db ? db : "");
}

bool connection::connected() const { return conn_ && PQstatus(conn_.get()) == CONNECTION_OK; }

std::optional<std::string> connection::setting(std::string_view keyword) const {
  if (!conn_) return std::nullopt;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(PQconninfo(conn_.get()), &PQconninfoFree);
  for (const PQconninfoOption* option = options.get(); option && option->keyword; ++option)
    if (keyword == option->keyword) return option->val ? std::optional<std::string>(option->val) : std::nullopt;
  return std::nullopt;
}

int connection::socket() const { return conn_ ? PQsocket(conn_.get()) : -1; }

bool connection::consume_input() {
  if (conn_ && PQconsumeInput(conn_.get()) != 0 && PQstatus(conn_.get()) == CONNECTION_OK) return true;
  last_failure_ = conn_ ? first_line(PQerrorMessage(conn_.get())) : error_;
  if (last_failure_.empty()) last_failure_ = "connection lost";
  return false;
}

std::vector<notification> connection::take_notifications() {
  std::vector<notification> received;
  if (!conn_) return received;
  while (PGnotify* note = PQnotifies(conn_.get())) {
    received.push_back({note->relname ? note->relname : "", note->extra ? note->extra : ""});
    PQfreemem(note);
  }
  return received;
}

void connection::quiet_notices() {
  if (conn_) PQsetNoticeProcessor(conn_.get(), [](void*, const char*) {}, nullptr);
}

bool connection::usable() {
  if (!conn_) return false;
  if (PQstatus(conn_.get()) == CONNECTION_OK) return true;
  PQreset(conn_.get());
  if (PQstatus(conn_.get()) == CONNECTION_OK) return true;
  last_failure_ = first_line(PQerrorMessage(conn_.get()));
  log_failure("reconnect to " + where(), last_failure_);
  return false;
}

result connection::checked(PGresult* answer, std::string_view sql) {
  result answered(answer);
  if (answered.ok() || answered.constraint_violation()) return answered;  // the caller's "exists", not a failure
  const char* primary = answer ? PQresultErrorField(answer, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  last_failure_ = primary ? primary : first_line(PQerrorMessage(conn_.get()));
  // The statement's first words say which one failed; its parameters are never logged.
  log_failure(sql.substr(0, std::min<std::size_t>(sql.size(), 48)), last_failure_);
  return answered;
}

result connection::exec(std::string_view sql) {
  if (!usable()) return result{};
  const std::string text(sql);
  return checked(PQexec(conn_.get(), text.c_str()), sql);
}

result connection::run(std::string_view sql, const parameters& values, bool binary_result) {
  if (!usable()) return result{};
  const std::string text(sql);
  const auto pointers = values.pointers();
  return checked(PQexecParams(conn_.get(), text.c_str(), values.count(), nullptr, pointers.data(), values.lengths(),
                              values.formats(), binary_result ? 1 : 0),
                 sql);
}

transaction::transaction(connection& db) : db_(db) { began_ = db_.exec("BEGIN").ok(); }

transaction::~transaction() {
  if (began_ && !done_) db_.exec("ROLLBACK");
}

bool transaction::commit() {
  done_ = true;
  return began_ && db_.exec("COMMIT").ok();
}

}  // namespace ads_sim::pg
