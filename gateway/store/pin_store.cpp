#include "gateway/store/pin_store.hpp"

namespace fieldproof::store {

void PinStore::Set(const std::string& site, const std::string& technician_id, const StoredPin& pin,
                   core::UnixMillis now) {
  db_.Prepare(
         "INSERT INTO technician_pins (site, technician_id, salt, pin_hash, iterations, updated_at) "
         "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (site, technician_id) DO UPDATE SET "
         "salt = ?3, pin_hash = ?4, iterations = ?5, failures = 0, locked_until = 0, updated_at = ?6")
      .Bind(1, site)
      .Bind(2, technician_id)
      .Bind(3, pin.salt)
      .Bind(4, pin.hash)
      .Bind(5, static_cast<std::int64_t>(pin.iterations))
      .Bind(6, now)
      .Run();
}

std::optional<StoredPin> PinStore::Find(const std::string& site, const std::string& technician_id) {
  auto s = db_.Prepare(
      "SELECT salt, pin_hash, iterations, failures, locked_until FROM technician_pins "
      "WHERE site = ? AND technician_id = ?");
  s.Bind(1, site).Bind(2, technician_id);
  if (!s.Step()) return std::nullopt;
  return StoredPin{s.Text("salt"), s.Text("pin_hash"), static_cast<int>(s.Int("iterations")),
                   {static_cast<int>(s.Int("failures")), s.Int("locked_until")}};
}

void PinStore::SaveAttempts(const std::string& site, const std::string& technician_id,
                            const core::PinAttempts& attempts) {
  db_.Prepare(
         "UPDATE technician_pins SET failures = ?, locked_until = ? WHERE site = ? AND technician_id = ?")
      .Bind(1, static_cast<std::int64_t>(attempts.failures))
      .Bind(2, attempts.locked_until)
      .Bind(3, site)
      .Bind(4, technician_id)
      .Run();
}

void PinStore::SignedIn(const std::string& site, const std::string& technician_id,
                        const std::string& device_id, core::UnixMillis now) {
  InTransaction(db_, [&] {
    SaveAttempts(site, technician_id, {});
    db_.Prepare("INSERT INTO sign_ins (site, technician_id, device_id, signed_in_at) VALUES (?,?,?,?)")
        .Bind(1, site)
        .Bind(2, technician_id)
        .Bind(3, device_id)
        .Bind(4, now)
        .Run();
  });
}

}  // namespace fieldproof::store
