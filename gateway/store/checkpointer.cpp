#include "gateway/store/checkpointer.hpp"

#include <sqlite3.h>

#include <pthread.h>

#include <spdlog/spdlog.h>

#include <thread>

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
  checkpointer->committed_frames_ = wal_pages;
  if (wal_pages >= checkpointer->wal_pages_) {
    {
      std::lock_guard lock(checkpointer->mutex_);
      checkpointer->due_ = true;
    }
    checkpointer->due_or_stopping_.notify_one();
  }
  return SQLITE_OK;
}

namespace {

// One passive checkpoint; false if it failed. Sets `frames` to the WAL's length and
// `backfilled` to how many of its frames are in the database now.
bool Passive(Database& db, const char* pass, int& frames, int& backfilled) {
  const int rc = sqlite3_wal_checkpoint_v2(db.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                           &frames, &backfilled);
  if (rc != SQLITE_OK) spdlog::warn("store: checkpoint ({}) failed: {}", pass, sqlite3_errmsg(db.handle()));
  return rc == SQLITE_OK;
}

// Frames counted since `mark` (a WAL length or a backfilled count), `now` being the count at
// present. A count below the mark means the WAL started over in between: all `now` are new.
int FramesSince(int mark, int now) { return now < mark ? now : now - mark; }

}  // namespace

bool Checkpointer::CopyBesideWriters(Database& db, int& backfilled) {
  for (int round = 1;; ++round) {
    int frames = 0, before = backfilled;
    if (!Passive(db, "beside the writers", frames, backfilled)) return false;
    if (FramesSince(before, backfilled) <= kFewFrames || round == kMaxRoundsBeside) return true;
  }
}

void Checkpointer::Run() {
  pthread_setname_np(pthread_self(), "fp-checkpoint");
  Database db(writers_.path());
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      due_or_stopping_.wait(lock, [this] { return due_ || stopping_; });
      if (stopping_) return;
      due_ = false;
    }
    int backfilled = 0;
    std::unique_lock<FifoLock> held;
    bool copy = true;
    for (int attempt = 1; !held; ++attempt) {
      if (copy) {
        const int before = backfilled;
        if (!CopyBesideWriters(db, backfilled)) break;
        // Nothing copied on a retry: a reader's snapshot (a backup) holds the frames back.
        if (attempt > 1 && backfilled == before) {
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        copy = false;
      }
      if (attempt >= kTriesForAFreeLock || committed_frames_ >= 2 * wal_pages_) {
        // The writers have not paused for long: a backlog. A last round first, so that pass 2
        // copies only what the transactions ahead in the queue commit.
        if (FramesSince(backfilled, committed_frames_) <= kFewFrames ||
            CopyBesideWriters(db, backfilled)) {
          held = QueueForWriteLock();
        }
        break;
      }
      held = TryWriteLock();
      if (!held) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      } else if (FramesSince(backfilled, committed_frames_) > kFewFrames) {
        // Commits came before the lock was free: copy them beside the writers, who are likely
        // still paused, and try again at once. (A round per try instead, each with its two
        // fdatasyncs, cost more than it saved.)
        held = {};
        copy = true;
      }
    }
    if (!held) continue;  // The WAL starts over after a later round instead.
    const auto hold_start = std::chrono::steady_clock::now();
    int frames = 0, before = backfilled;
    const bool done = Passive(db, "writers held", frames, backfilled);
    held.unlock();
    const auto hold = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - hold_start);
    // Only this thread writes it.
    if (hold.count() > longest_hold_us_) longest_hold_us_ = hold.count();
    if (!done) continue;
    frames_copied_held_ += static_cast<std::uint64_t>(FramesSince(before, backfilled));
    {
      // The commits that woke us while we copied are in the database too.
      std::lock_guard lock(mutex_);
      due_ = false;
    }
    ++checkpoints_;
  }
}

// Pass 2 takes the lock at a moment when no writer holds it or waits for it, just after a
// round: then next to nothing is left to copy. Queueing for it instead, pass 2 copies all that
// the transactions ahead in the queue commit (2,000 frames and 100 ms with the writers held,
// seen at 6,400 msg/s).
std::unique_lock<FifoLock> Checkpointer::TryWriteLock() {
  FifoLock& lock = writers_.write_lock();
  if (lock.try_lock_for(std::chrono::milliseconds(0))) return {lock, std::adopt_lock};
  return {};
}

std::unique_lock<FifoLock> Checkpointer::QueueForWriteLock() {
  try {
    return HoldWriteLock(writers_);
  } catch (const StoreError& e) {
    spdlog::warn("store: checkpoint (writers held) skipped: {}", e.what());
    return {};
  }
}

}  // namespace fieldproof::store
