#include "gateway/store/checkpointer.hpp"

#include <pthread.h>

#include <spdlog/spdlog.h>

namespace fieldproof::store {
Checkpointer::Checkpointer(Database& writers, int wal_pages) : writers_(writers), wal_pages_(wal_pages) {
  {
    const auto held = HoldWriteLock(writers_);
    sqlite3_wal_hook(writers_.handle(), &Checkpointer::OnCommit, this);  // Replaces autocheckpoint.
  }
  thread_ = std::thread([this] { Run(); });
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  due_or_stopping_.notify_one();
  thread_.join();
  try {
    const auto held = HoldWriteLock(writers_);
    sqlite3_wal_autocheckpoint(writers_.handle(), 1000);  // SQLite's default, and its hook.
  } catch (const StoreError& e) {  // A writer still busy: leave its connection alone.
    spdlog::warn("store: automatic checkpoints not restored: {}", e.what());
  }
}

// On the writer's thread, just after its commit: only a wake-up, no I/O.
int Checkpointer::OnCommit(void* self, sqlite3*, const char*, int wal_pages) {
  auto* checkpointer = static_cast<Checkpointer*>(self);
  if (wal_pages >= checkpointer->wal_pages_) {
    {
      std::lock_guard lock(checkpointer->mutex_);
      checkpointer->due_ = true;
    }
    checkpointer->due_or_stopping_.notify_one();
  }
  return SQLITE_OK;
}

void Checkpointer::Run() {
  pthread_setname_np(pthread_self(), "fp-checkpoint");
  Database db(writers_.path());
  auto passive = [&db](const char* pass) {
    int wal_pages = 0, copied = 0;
    const int rc = sqlite3_wal_checkpoint_v2(db.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal_pages, &copied);
    if (rc != SQLITE_OK) spdlog::warn("store: checkpoint ({}) failed: {}", pass, sqlite3_errmsg(db.handle()));
    return rc == SQLITE_OK;
  };
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      due_or_stopping_.wait(lock, [this] { return due_ || stopping_; });
      if (stopping_) return;
      due_ = false;
    }
    if (!passive("beside the writers")) continue;
    try {
      const auto held = HoldWriteLock(writers_);
      if (passive("writers held")) ++checkpoints_;
    } catch (const StoreError& e) {  // The WAL starts over after a later round instead.
      spdlog::warn("store: checkpoint (writers held) skipped: {}", e.what());
    }
  }
}

}  // namespace fieldproof::store
