#include "ads_sim/store/wal_checkpointer.hpp"

#include <sqlite3.h>

namespace ads_sim::sqlite {

wal_checkpointer::wal_checkpointer(database& writer, const std::filesystem::path& file, int pages)
    : writer_(writer), own_(file), pages_(pages), thread_([this] { run(); }) {
  // The WAL hook replaces the connection's automatic checkpoint (which is itself a WAL hook).
  sqlite3_wal_hook(writer.native(), &wal_checkpointer::on_commit, this);
}

wal_checkpointer::~wal_checkpointer() {
  sqlite3_wal_hook(writer_.native(), nullptr, nullptr);
  sqlite3_wal_autocheckpoint(writer_.native(), 1000);  // SQLite's own, as before
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wanted_or_stopping_.notify_one();
  thread_.join();
}

std::size_t wal_checkpointer::checkpoints_run() const {
  std::lock_guard lock(mutex_);
  return checkpoints_;
}

// On the writer's thread, after each commit, with the WAL's size in pages.
int wal_checkpointer::on_commit(void* self, sqlite3* writer, const char* name, int pages) {
  auto& checkpointer = *static_cast<wal_checkpointer*>(self);
  if (pages >= 20 * checkpointer.pages_) {
    sqlite3_wal_checkpoint_v2(writer, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (pages >= checkpointer.pages_) {
    std::lock_guard lock(checkpointer.mutex_);
    if (checkpointer.wanted_) return SQLITE_OK;
    checkpointer.wanted_ = true;
    checkpointer.wanted_or_stopping_.notify_one();
  }
  return SQLITE_OK;
}

void wal_checkpointer::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wanted_or_stopping_.wait(lock, [this] { return wanted_ || stopping_; });
    if (stopping_) return;
    lock.unlock();
    // PASSIVE: copies what no reader still needs, never waits for the writer; the next write transaction after a
    // complete one starts the WAL over from its beginning.
    sqlite3_wal_checkpoint_v2(own_.native(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    lock.lock();
    wanted_ = false;
    ++checkpoints_;
  }
}

}  // namespace ads_sim::sqlite
