#pragma once
// wal_checkpointer: a SQLite database's WAL copied back into its file by a thread and a connection of their own.
// A connection's own automatic checkpoint runs inside the commit that takes the WAL past 1,000 pages, with the
// file's fsyncs: every request in flight waited 10-95 ms for it (ads-sim's request log, 16 connections posting).
#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <mutex>
#include <thread>

#include "ads_sim/store/sqlite_database.hpp"

namespace ads_sim::sqlite {

class wal_checkpointer {
 public:
  // Takes over `writer`'s checkpoints: its commits no longer run one; once its WAL holds `pages` pages, this
  // thread checkpoints (PASSIVE: the writer goes on meanwhile). Should the thread fall that far behind, a commit
  // past 20 times `pages` checkpoints itself, so the WAL stays bounded.
  wal_checkpointer(database& writer, const std::filesystem::path& file, int pages = 1000);
  ~wal_checkpointer();  // before the writer closes: its commits checkpoint themselves again
  wal_checkpointer(const wal_checkpointer&) = delete;
  wal_checkpointer& operator=(const wal_checkpointer&) = delete;

  std::size_t checkpoints_run() const;

 private:
  static int on_commit(void* self, sqlite3* writer, const char* name, int pages);
  void run();

  database& writer_;
  database own_;
  const int pages_;
  mutable std::mutex mutex_;
  std::condition_variable wanted_or_stopping_;
  bool wanted_ = false;
  bool stopping_ = false;
  std::size_t checkpoints_ = 0;
  std::thread thread_;
};

}  // namespace ads_sim::sqlite
