#include "gateway/store/checkpointer.hpp"

#include <spdlog/spdlog.h>

#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::store {

Checkpointer::Checkpointer(std::string db_path, std::chrono::milliseconds interval)
    : db_path_(std::move(db_path)), interval_(interval) {
  Database::CheckpointInBackground(true);
  thread_ = std::thread([this] { Run(); });
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_requested_.notify_all();
  thread_.join();
  Database::CheckpointInBackground(false);
}

void Checkpointer::Run() {
  Database db(db_path_);
  for (bool last = false; !last;) {
    {
      std::unique_lock lock(mutex_);
      last = stop_requested_.wait_for(lock, interval_, [this] { return stopping_; });
    }
    int wal_pages = 0, copied = 0;
    const int rc = sqlite3_wal_checkpoint_v2(db.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                             &wal_pages, &copied);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      spdlog::warn("store: checkpoint failed: {}", sqlite3_errmsg(db.handle()));
    }
  }
}

}  // namespace fieldproof::store
