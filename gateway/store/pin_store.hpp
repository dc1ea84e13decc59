#pragma once
// Technicians' PINs for signing in on handhelds (core/technician_pin.hpp): the hash, the
// failed attempts, and a log of sign-ins (who, on which handheld, when).
#include <optional>
#include <string>

#include "gateway/core/technician_pin.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::store {

struct StoredPin {
  std::string salt;  // hex
  std::string hash;  // hex
  int iterations = 0;
  core::PinAttempts attempts;
};

class PinStore {
 public:
  explicit PinStore(Database& db) : db_(db) {}

  // A new PIN; it also lifts a lock.
  void Set(const std::string& site, const std::string& technician_id, const StoredPin& pin,
           core::UnixMillis now);
  std::optional<StoredPin> Find(const std::string& site, const std::string& technician_id);
  void SaveAttempts(const std::string& site, const std::string& technician_id,
                    const core::PinAttempts& attempts);
  // A right PIN: the failures are forgotten and the sign-in logged.
  void SignedIn(const std::string& site, const std::string& technician_id,
                const std::string& device_id, core::UnixMillis now);

 private:
  Database& db_;
};

}  // namespace fieldproof::store
