#include "gateway/store/checkpointer.hpp"

#include <pthread.h>

#include <spdlog/spdlog.h>

namespace fieldproof::store {
namespace {

// Holds the process's write lock: no writer of this process is inside a transaction.
class WritersHeld {
 public:
  explicit WritersHeld(Database& db) : lock_(db.write_lock()) {
    held_ = lock_.try_lock_for(Database::kBusyTimeout);
  }
  ~WritersHeld() {
    if (held_) lock_.unlock();
  }
  bool held() const { return held_; }

 private:
  FifoLock& lock_;
  bool held_;
};

}  // namespace

Checkpointer::Checkpointer(Database& writers, int wal_pages) : writers_(writers), wal_pages_(wal_pages) {
  {
    WritersHeld held(writers_);
    if (!held.held()) throw StoreError(SQLITE_BUSY, "checkpointer: the writers did not let go for 5 s");
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
  WritersHeld held(writers_);
  sqlite3_wal_autocheckpoint(writers_.handle(), 1000);  // SQLite's default, and its hook.
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
    WritersHeld held(writers_);
    if (held.held() && passive("writers held")) ++checkpoints_;
  }
}

}  // namespace fieldproof::store
