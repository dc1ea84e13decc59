// The verifier on a real SQLite file with hand-made arrival times: clock-offset correction,
// and taps that wait hours in an offline handheld's outbox.
#include "gateway/verify/tap_verifier.hpp"
#include "gateway/verify/verification_worker.hpp"

#include <sqlite3.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <thread>
#include <mutex>

#include "gateway/codec/message_codec.hpp"
#include "gateway/core/topic.hpp"
#include "gateway/crypto/hex.hpp"
#include "gateway/crypto/key_diversification.hpp"
#include "gateway/crypto/tag_emulator.hpp"
#include "gateway/store/event_store.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/store/registry_store.hpp"
#include "tests/unit/store/store_test_util.hpp"

namespace fieldproof::verify {
namespace {

using core::kHour;
using core::kMinute;
const crypto::Key128 kMaster = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6};

class TapVerifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("fieldproof-verifier-" + std::to_string(std::random_device{}()) + ".db");
    db_ = std::make_unique<store::Database>(path_.string());
    store::Migrate(*db_);
    store::RegistryStore registry(*db_);
    asset_ = {"A-1", "FRA", "T1", 0, "Gate A", 10, 20, "fire_shutter", "04A1B2C3D4E5F6", 365, "OWN", false};
    // 1.5 km away across the apron.
    far_asset_ = {"A-2", "FRA", "T2", 0, "Gate Z", 1510, 20, "fire_shutter", "04A1B2C3D4E5F7", 365, "OWN", false};
    std::vector<codec::RegistryFile<core::Asset>::Row> assets = {{2, asset_}, {3, far_asset_}};
    registry.ImportAssets(assets, 0);
    std::vector<codec::RegistryFile<core::Technician>::Row> techs = {
        {2, {"T-1", "Anna", "ACME", {"fire_shutter"}, {"FRA"}}}};
    registry.ImportTechnicians(techs, 0);
    std::vector<codec::RegistryFile<core::Device>::Row> devices = {{2, {"HH-1", "FRA", "ACME"}},
                                                                    {3, {"HH-2", "FRA", "ACME"}}};
    registry.ImportDevices(devices, 0);

    crypto::TagEmulator::Config tag;
    tag.base_url = "https://tag.fieldproof.example/t";
    crypto::HexDecodeInto(asset_.tag_uid, tag.uid);
    tag.meta_read_key = crypto::SiteMetaReadKey(kMaster, "FRA");
    tag.file_read_key = crypto::TagFileReadKey(kMaster, tag.uid);
    tag_ = std::make_unique<crypto::TagEmulator>(tag);
    crypto::HexDecodeInto(far_asset_.tag_uid, tag.uid);
    tag.file_read_key = crypto::TagFileReadKey(kMaster, tag.uid);
    far_tag_ = std::make_unique<crypto::TagEmulator>(tag);
    config_.master_key = kMaster;
    config_.asset_types = {{"fire_shutter", 3 * kMinute, {"signage"}, 3000, 30000, {}}};
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove(path_);
    std::filesystem::remove(path_.string() + "-wal");
    std::filesystem::remove(path_.string() + "-shm");
  }

  // A tag read now (the tag's counter moves on), sent and received when told.
  core::Tap MakeTap(const std::string& msg_id, core::TapKind kind, core::UnixMillis device_read_at,
                    core::UnixMillis device_sent_at, const std::string& device = "HH-1",
                    bool far = false) {
    core::Tap tap;
    tap.msg_id = msg_id;
    tap.device_id = device;
    tap.technician_id = "T-1";
    tap.site = "FRA";
    tap.tag = {core::TagRead::Type::kSun, *(far ? far_tag_ : tag_)->Read(rng_)};
    tap.read_at = device_read_at;
    tap.sent_at = device_sent_at;
    tap.kind = kind;
    tap.firmware = "hh-1";
    if (kind == core::TapKind::kEnd) {
      tap.checklist = {{"signage", core::ChecklistAnswer::kPass}};
      tap.result = core::InspectionResult::kPass;
    }
    return tap;
  }

  void Store(const core::Tap& tap, core::UnixMillis received_at) {
    store::EventStore events(*db_);
    std::vector<store::PendingEvent> batch = {
        {core::TapTopic("FRA", tap.device_id), "FRA", codec::EncodeTap(tap), received_at, tap}};
    events.WriteBatch(batch);
  }

  std::filesystem::path path_;
  std::unique_ptr<store::Database> db_;
  core::Asset asset_;
  core::Asset far_asset_;
  std::unique_ptr<crypto::TagEmulator> tag_;
  std::unique_ptr<crypto::TagEmulator> far_tag_;
  std::mt19937_64 rng_{3};
  VerifierConfig config_;
};

// The handheld app shows the asset its tag's URL names: a tag whose URL names another asset
// than its UID is on does not count, one that names its own asset is verified as any other.
TEST_F(TapVerifierTest, ATagUrlMustNameTheAssetItsUidIsOn) {
  const core::UnixMillis now = *core::ParseRfc3339("2026-11-20T12:00:00Z");
  std::vector<core::Verdict> verdicts;
  std::string rejected_notice;
  for (const std::string named : {"A-2", "A-1"}) {
    crypto::TagEmulator::Config config;  // A-1's tag, its URL written for `named`.
    config.base_url = "https://tag.fieldproof.example/t/" + named;
    crypto::HexDecodeInto(asset_.tag_uid, config.uid);
    config.meta_read_key = crypto::SiteMetaReadKey(kMaster, "FRA");
    config.file_read_key = crypto::TagFileReadKey(kMaster, config.uid);
    config.read_counter = tag_->read_counter();
    tag_ = std::make_unique<crypto::TagEmulator>(config);
    const core::UnixMillis start = now - (named == "A-2" ? 60 : 20) * kMinute;
    Store(MakeTap(named + "-s", core::TapKind::kStart, start, start), start + 100);
    Store(MakeTap(named + "-e", core::TapKind::kEnd, start + 5 * kMinute, start + 5 * kMinute),
          start + 5 * kMinute + 100);
    const AssessReport report = TapVerifier(*db_, config_).AssessPending(100, now);
    ASSERT_EQ(report.notices.size(), 1u) << named;
    verdicts.push_back(report.notices[0].verdict);
    if (named == "A-2") rejected_notice = report.notices[0].payload;
  }
  EXPECT_EQ(verdicts, (std::vector<core::Verdict>{core::Verdict::kRejected, core::Verdict::kVerified}));
  EXPECT_NE(rejected_notice.find("the tag's URL names asset A-2, but its UID"), std::string::npos)
      << rejected_notice;
}

TEST_F(TapVerifierTest, OfflineTapsWithASkewedClockAreVerifiedAtTheirTrueTimes) {
  const core::UnixMillis skew = 2 * kHour;  // The handheld's clock is two hours fast.
  const core::UnixMillis now = *core::ParseRfc3339("2026-11-20T12:00:00Z");
  // Read four hours ago while offline: sent (attempted) at once, delivered only now.
  const core::Tap old_start = MakeTap("old-1", core::TapKind::kStart, now - 4 * kHour + skew, now - 4 * kHour + skew);
  const core::Tap old_end = MakeTap("old-2", core::TapKind::kEnd, now - 4 * kHour + 5 * kMinute + skew,
                                    now - 4 * kHour + 5 * kMinute + skew);
  // Back online: a fresh inspection, delivered within 100 ms.
  const core::Tap new_start = MakeTap("new-1", core::TapKind::kStart, now - 10 * kMinute + skew, now - 10 * kMinute + skew);
  const core::Tap new_end = MakeTap("new-2", core::TapKind::kEnd, now - 5 * kMinute + skew, now - 5 * kMinute + skew);
  Store(new_start, now - 10 * kMinute + 100);
  Store(new_end, now - 5 * kMinute + 100);
  Store(old_start, now + 200);  // The outbox empties after the live taps.
  Store(old_end, now + 300);

  TapVerifier verifier(*db_, config_);
  const AssessReport report = verifier.AssessPending(100, now + kMinute);
  EXPECT_EQ(report.taps, 4u);
  ASSERT_EQ(report.notices.size(), 2u);

  auto evidence = db_->Prepare(
      "SELECT e.read_at, e.clock_offset_ms, e.freshness FROM tap_evidence e JOIN taps t "
      "ON t.id = e.tap_id WHERE t.msg_id = ?");
  for (const auto& [msg_id, true_time] :
       std::vector<std::pair<std::string, core::UnixMillis>>{{"new-1", now - 10 * kMinute},
                                                             {"old-1", now - 4 * kHour},
                                                             {"old-2", now - 4 * kHour + 5 * kMinute}}) {
    evidence.Bind(1, msg_id);
    ASSERT_TRUE(evidence.Step()) << msg_id;
    EXPECT_NEAR(static_cast<double>(evidence.Int(0)), static_cast<double>(true_time), 200) << msg_id;
    EXPECT_NEAR(static_cast<double>(evidence.Int(1)), static_cast<double>(-skew), 200) << msg_id;
    EXPECT_EQ(evidence.Text(2), "fresh") << msg_id;  // Lower counters, earlier times: no alarm.
    evidence.Reset();
  }
  auto inspections = db_->Prepare("SELECT verdict, started_at FROM inspections ORDER BY started_at");
  ASSERT_TRUE(inspections.Step());
  EXPECT_EQ(inspections.Text(0), "verified");
  EXPECT_NEAR(static_cast<double>(inspections.Int(1)), static_cast<double>(now - 4 * kHour), 200);
  ASSERT_TRUE(inspections.Step());
  EXPECT_EQ(inspections.Text(0), "verified");
}

TEST_F(TapVerifierTest, WithoutCorrectionTheSkewStaysInTheEvidence) {
  config_.correct_device_clocks = false;
  const core::UnixMillis now = *core::ParseRfc3339("2026-11-20T12:00:00Z");
  Store(MakeTap("s", core::TapKind::kStart, now + kHour, now + kHour), now);
  TapVerifier verifier(*db_, config_);
  verifier.AssessPending(10, now);
  EXPECT_EQ(db_->QueryInt("SELECT read_at FROM tap_evidence"), now + kHour);
  EXPECT_EQ(db_->QueryInt("SELECT clock_offset_ms FROM tap_evidence"), 0);
}

TEST_F(TapVerifierTest, AssessingIsResumableAndNeverDoubles) {
  const core::UnixMillis now = *core::ParseRfc3339("2026-11-20T12:00:00Z");
  Store(MakeTap("a", core::TapKind::kStart, now, now), now);
  Store(MakeTap("b", core::TapKind::kEnd, now + 4 * kMinute, now + 4 * kMinute), now + 4 * kMinute);
  {
    TapVerifier first(*db_, config_);
    EXPECT_EQ(first.AssessPending(1, now).taps, 1u);  // Stops after one, as after a crash.
  }
  TapVerifier second(*db_, config_);
  EXPECT_EQ(second.AssessPending(10, now).taps, 1u);
  EXPECT_EQ(second.AssessPending(10, now).taps, 0u);
  EXPECT_EQ(db_->QueryInt("SELECT count(*) FROM inspections"), 1);
  EXPECT_EQ(db_->QueryInt("SELECT count(*) FROM maintenance_records"), 1);
}

// Every query the verifier makes for a tap is answered from an index without sorting, so a
// sensor with years of telemetry costs no more than a new one. (The sensor clock query
// once sorted the sensor's whole history for every inspection.)
TEST_F(TapVerifierTest, AnInspectionCostsTheSameWhateverTheSensorsHistory) {
  db_->Exec("UPDATE assets SET sensor_equipped = 1");
  const core::UnixMillis now = *core::ParseRfc3339("2026-11-20T12:00:00Z");
  constexpr int kHistory = 2000;
  std::vector<store::PendingEvent> history;
  for (int i = 0; i < kHistory; ++i) {
    core::Telemetry heartbeat{"hb-" + std::to_string(i), "A-1", "FRA", now - (kHistory - i) * kMinute,
                              std::nullopt, {core::HeartbeatReading{i * 60}}};
    history.push_back(store::testing::TelemetryEvent(heartbeat, heartbeat.device_time + 50));
  }
  store::EventStore(*db_).WriteBatch(history);
  Store(MakeTap("a", core::TapKind::kStart, now, now), now);
  Store(MakeTap("b", core::TapKind::kEnd, now + 4 * kMinute, now + 4 * kMinute), now + 4 * kMinute);

  TapVerifier verifier(*db_, config_);
  ASSERT_EQ(verifier.AssessPending(10, now + 5 * kMinute).taps, 2u);
  bool read_sensor_clock = false;
  for (sqlite3_stmt* s = sqlite3_next_stmt(db_->handle(), nullptr); s != nullptr;
       s = sqlite3_next_stmt(db_->handle(), s)) {
    const std::string sql = sqlite3_sql(s);
    read_sensor_clock |= sql.find("FROM sensor_clocks") != std::string::npos;
    EXPECT_EQ(sqlite3_stmt_status(s, SQLITE_STMTSTATUS_SORT, 0), 0) << sql;
    // Reading the history would take thousands of virtual machine steps.
    EXPECT_LT(sqlite3_stmt_status(s, SQLITE_STMTSTATUS_VM_STEP, 0), kHistory / 2) << sql;
  }
  EXPECT_TRUE(read_sensor_clock);
}

// Freshness, pairing, the handheld's clock, travel and overlap read the neighbours of a tap,
// not the history of its tag, technician or handheld: after 2,000 inspections of one shutter
// by one technician with one handheld, no statement of the next inspection runs long.
TEST_F(TapVerifierTest, AnInspectionCostsTheSameWhateverTheTagsAndTechniciansHistory) {
  const core::UnixMillis now = *core::ParseRfc3339("2026-11-20T12:00:00Z");
  constexpr int kHistory = 2000;
  for (int i = kHistory; i > 0; --i) {
    const core::UnixMillis at = now - i * 10 * kMinute;
    Store(MakeTap("s" + std::to_string(i), core::TapKind::kStart, at, at), at + 300);
    Store(MakeTap("e" + std::to_string(i), core::TapKind::kEnd, at + 4 * kMinute, at + 4 * kMinute),
          at + 4 * kMinute + 300);
  }
  TapVerifier verifier(*db_, config_);
  ASSERT_EQ(verifier.AssessPending(2 * kHistory, now).taps, 2u * kHistory);
  ASSERT_EQ(db_->QueryInt("SELECT count(*) FROM inspections WHERE verdict = 'verified'"), kHistory);
  for (sqlite3_stmt* s = sqlite3_next_stmt(db_->handle(), nullptr); s != nullptr;
       s = sqlite3_next_stmt(db_->handle(), s)) {
    sqlite3_stmt_status(s, SQLITE_STMTSTATUS_VM_STEP, 1);  // Counts the next inspection only.
  }
  Store(MakeTap("a", core::TapKind::kStart, now, now), now + 300);
  Store(MakeTap("b", core::TapKind::kEnd, now + 4 * kMinute, now + 4 * kMinute), now + 4 * kMinute + 300);
  ASSERT_EQ(verifier.AssessPending(10, now + 5 * kMinute).taps, 2u);
  for (sqlite3_stmt* s = sqlite3_next_stmt(db_->handle(), nullptr); s != nullptr;
       s = sqlite3_next_stmt(db_->handle(), s)) {
    const std::string sql = sqlite3_sql(s);
    EXPECT_EQ(sqlite3_stmt_status(s, SQLITE_STMTSTATUS_SORT, 0), 0) << sql;
    // The clock reads its 50 newest messages; reading the history would take thousands of steps.
    EXPECT_LT(sqlite3_stmt_status(s, SQLITE_STMTSTATUS_VM_STEP, 0), kHistory / 2) << sql;
  }
}

// A sensor's clock jumps an hour back. 50 messages later its close cycle during an inspection
// is found where it happened, not an hour earlier.
TEST_F(TapVerifierTest, ASensorsClockIsReadFromItsNewestMessages) {
  db_->Exec("UPDATE assets SET sensor_equipped = 1");
  const core::UnixMillis now = *core::ParseRfc3339("2026-11-20T12:00:00Z");
  std::vector<store::PendingEvent> sent;
  auto send = [&](core::UnixMillis true_time, core::UnixMillis clock_error, core::Reading reading) {
    core::Telemetry t{"m-" + std::to_string(sent.size()), "A-1", "FRA", true_time + clock_error,
                      std::nullopt, {reading}};
    sent.push_back(store::testing::TelemetryEvent(t, true_time + 50));
  };
  for (int i = 0; i < 100; ++i) send(now - (200 - i) * kMinute, 0, core::HeartbeatReading{i});
  for (int i = 0; i < 50; ++i) send(now - (100 - i) * kMinute, -kHour, core::HeartbeatReading{i});
  send(now + kMinute, -kHour, core::StateReading{core::ShutterState::kClosing});
  send(now + kMinute + 5000, -kHour, core::ClosingDurationReading{5000});
  store::EventStore(*db_).WriteBatch(sent);
  Store(MakeTap("a", core::TapKind::kStart, now, now), now);
  Store(MakeTap("b", core::TapKind::kEnd, now + 4 * kMinute, now + 4 * kMinute), now + 4 * kMinute);

  TapVerifier verifier(*db_, config_);
  ASSERT_EQ(verifier.AssessPending(10, now + 5 * kMinute).taps, 2u);
  auto check = db_->Prepare("SELECT status, detail FROM inspection_checks WHERE name = 'functional_test'");
  ASSERT_TRUE(check.Step());
  EXPECT_EQ(check.Text(0), "pass") << check.Text(1);
  EXPECT_EQ(check.Text(1), "closed in 5000 ms at 2026-11-20T12:01:05.050Z");
}

// What the verifier concluded about one inspection, found by its end tap.
struct Judged {
  std::string verdict;
  std::map<std::string, std::pair<std::string, std::string>> checks;  // name -> status, detail
};

class TapVerifierCasesTest : public TapVerifierTest {
 protected:
  const core::UnixMillis now_ = *core::ParseRfc3339("2026-11-20T12:00:00Z");

  std::optional<Judged> Inspection(const std::string& end_msg_id) {
    auto s = db_->Prepare(
        "SELECT i.id, i.verdict FROM inspections i JOIN taps t ON t.id = i.end_tap_id WHERE t.msg_id = ?");
    s.Bind(1, end_msg_id);
    if (!s.Step()) return std::nullopt;
    Judged j{s.Text(1), {}};
    auto c = db_->Prepare("SELECT name, status, detail FROM inspection_checks WHERE inspection_id = ?");
    c.Bind(1, s.Int(0));
    while (c.Step()) j.checks[c.Text(0)] = {c.Text(1), c.Text(2)};
    return j;
  }
  std::string Timing(const std::string& msg_id) {
    auto s = db_->Prepare(
        "SELECT e.timing || ': ' || e.timing_detail FROM tap_evidence e JOIN taps t ON t.id = e.tap_id "
        "WHERE t.msg_id = ?");
    s.Bind(1, msg_id);
    return s.Step() ? s.Text(0) : "none";
  }
  // A-1's sensor, on time, reports a close cycle of 5 s starting at `at`.
  void ShutterClosesAt(core::UnixMillis at) {
    std::vector<store::PendingEvent> cycle;
    for (const auto& [t, reading] : std::vector<std::pair<core::UnixMillis, core::Reading>>{
             {at, core::StateReading{core::ShutterState::kClosing}},
             {at + 5000, core::ClosingDurationReading{5000}}}) {
      core::Telemetry telemetry{"t-" + std::to_string(t), "A-1", "FRA", t, std::nullopt, {reading}};
      cycle.push_back(store::testing::TelemetryEvent(telemetry, t + 50));
    }
    store::EventStore(*db_).WriteBatch(cycle);
  }
  // An honest inspection, read and sent on the device clock `ahead` fast, delivered 300 ms later.
  void Inspect(const std::string& id, core::UnixMillis at, core::UnixMillis ahead = 0,
               const std::string& device = "HH-1", bool far = false) {
    const auto start = MakeTap(id + "-s", core::TapKind::kStart, at + ahead, at + ahead, device, far);
    const auto end = MakeTap(id + "-e", core::TapKind::kEnd, at + 4 * kMinute + ahead,
                             at + 4 * kMinute + ahead, device, far);
    Store(start, at + 300);
    Store(end, at + 4 * kMinute + 300);
  }
};

// The worker, on its own thread: woken after a commit, it assesses and publishes the
// verdict on the handheld's topic; stopping, it finishes what is pending first.
TEST_F(TapVerifierCasesTest, TheWorkerAssessesWhenWokenAndFinishesBeforeItStops) {
  std::mutex mutex;
  std::vector<std::pair<std::string, std::string>> published;
  {
    VerificationWorker worker(
        *db_, config_,
        [&](std::string topic, std::string payload) {
          std::lock_guard lock(mutex);
          published.emplace_back(std::move(topic), std::move(payload));
        },
        [this] { return now_ + 5 * kMinute; });
    Inspect("woken", now_);
    worker.Wake();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    auto count = [&] {
      std::lock_guard lock(mutex);
      return published.size();
    };
    while (count() < 1 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_EQ(count(), 1u);
    EXPECT_EQ(published[0].first, core::TapTopic("FRA", "HH-1") + "/verdict");
    EXPECT_NE(published[0].second.find("\"verdict\":\"verified\""), std::string::npos) << published[0].second;
    Inspect("at-stop", now_ + 20 * kMinute);  // Stored, never woken for.
    worker.Stop();
    EXPECT_EQ(worker.metrics().taps_assessed, 4u);
    EXPECT_EQ(worker.metrics().verdicts[static_cast<std::size_t>(core::Verdict::kVerified)], 2u);
  }
  EXPECT_EQ(published.size(), 2u);
}

// Resent out of order after a reconnect: the end tap first. It waits; the start closes it.
TEST_F(TapVerifierCasesTest, AnEndTapThatArrivesBeforeItsStartWaitsForIt) {
  const auto start = MakeTap("s", core::TapKind::kStart, now_, now_);
  const auto end = MakeTap("e", core::TapKind::kEnd, now_ + 4 * kMinute, now_ + 4 * kMinute);
  Store(end, now_ + 5 * kMinute);
  TapVerifier verifier(*db_, config_);
  EXPECT_TRUE(verifier.AssessPending(10, now_ + 5 * kMinute).notices.empty());
  EXPECT_EQ(db_->QueryInt("SELECT count(*) FROM waiting_end_taps"), 1);
  Store(start, now_ + 5 * kMinute + 800);
  const AssessReport report = verifier.AssessPending(10, now_ + 5 * kMinute + 900);
  ASSERT_EQ(report.notices.size(), 1u);
  auto judged = Inspection("e");
  ASSERT_TRUE(judged);
  EXPECT_EQ(judged->verdict, "verified");
  EXPECT_EQ(db_->QueryInt("SELECT count(*) FROM waiting_end_taps"), 0);
  EXPECT_EQ(db_->QueryInt("SELECT started_at FROM inspections"), now_ + kMinute)
      << "placed by the only clock evidence there is: the end tap, delivered a minute after it was sent";
}

// The last start of an outage was read offline, its end online: the end arrives first and
// waits. The outbox then empties oldest first: an older start of the same tag arrives before
// the true one, and must not take the waiting end — its own end is still to come.
TEST_F(TapVerifierCasesTest, AnOlderStartFromTheOutboxDoesNotTakeAWaitingEnd) {
  const auto s1 = MakeTap("s1", core::TapKind::kStart, now_, now_);
  const auto e1 = MakeTap("e1", core::TapKind::kEnd, now_ + 5 * kMinute, now_ + 5 * kMinute);
  const auto s2 = MakeTap("s2", core::TapKind::kStart, now_ + kHour, now_ + kHour);
  const auto e2 = MakeTap("e2", core::TapKind::kEnd, now_ + kHour + 5 * kMinute, now_ + kHour + 5 * kMinute);
  const core::UnixMillis online = now_ + kHour + 5 * kMinute;
  Store(e2, online + 300);
  Store(s1, online + 1000);
  Store(e1, online + 1100);
  Store(s2, online + 1200);
  TapVerifier verifier(*db_, config_);
  verifier.AssessPending(10, online + 2000);
  auto first = Inspection("e1");
  auto second = Inspection("e2");
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->verdict, "verified");
  EXPECT_EQ(second->verdict, "verified");
  EXPECT_EQ(db_->QueryInt("SELECT count(*) FROM inspections i JOIN taps s ON s.id = i.start_tap_id "
                          "JOIN taps e ON e.id = i.end_tap_id WHERE substr(s.msg_id, 2) = substr(e.msg_id, 2)"),
            2)
      << "s1 with e1, s2 with e2";
}

TEST_F(TapVerifierCasesTest, AnEndTapWhoseStartNeverComesIsRejectedAfterTheWait) {
  Store(MakeTap("e", core::TapKind::kEnd, now_, now_), now_ + 300);
  TapVerifier verifier(*db_, config_);
  EXPECT_TRUE(verifier.AssessPending(10, now_ + kMinute).notices.empty());
  EXPECT_TRUE(verifier.AssessPending(10, now_ + 14 * kMinute).notices.empty());
  const AssessReport report = verifier.AssessPending(10, now_ + 16 * kMinute);
  ASSERT_EQ(report.notices.size(), 1u);
  EXPECT_EQ(report.notices[0].verdict, core::Verdict::kRejected);
  EXPECT_NE(report.notices[0].payload.find("after waiting 15 min"), std::string::npos)
      << report.notices[0].payload;
}

// The gateway was away longer than an end waits: after the restart the end waits again,
// for the start still queued at the broker.
TEST_F(TapVerifierCasesTest, AfterARestartAnEndWaitsItsFullTimeAgain) {
  Store(MakeTap("e0", core::TapKind::kEnd, now_ - 5 * kMinute, now_ - 5 * kMinute), now_);
  const auto start = MakeTap("s", core::TapKind::kStart, now_, now_);
  const auto end = MakeTap("e", core::TapKind::kEnd, now_ + 4 * kMinute, now_ + 4 * kMinute);
  Store(end, now_ + 4 * kMinute + 300);
  {
    TapVerifier before(*db_, config_);
    EXPECT_TRUE(before.AssessPending(10, now_ + 5 * kMinute).notices.empty());
  }
  TapVerifier after(*db_, config_);  // An hour later.
  EXPECT_TRUE(after.AssessPending(10, now_ + kHour).notices.empty());
  Store(start, now_ + kHour + kMinute);
  ASSERT_EQ(after.AssessPending(10, now_ + kHour + kMinute).notices.size(), 1u);
  EXPECT_EQ(Inspection("e")->verdict, "verified");
}

// A start left open at another asset does not capture this asset's end tap.
TEST_F(TapVerifierCasesTest, AnEndTapPairsWithTheStartOfItsOwnTag) {
  Store(MakeTap("s1", core::TapKind::kStart, now_, now_), now_ + 300);
  Store(MakeTap("s2", core::TapKind::kStart, now_ + kMinute, now_ + kMinute, "HH-1", true), now_ + kMinute + 300);
  Store(MakeTap("e1", core::TapKind::kEnd, now_ + 4 * kMinute, now_ + 4 * kMinute), now_ + 4 * kMinute + 300);
  TapVerifier verifier(*db_, config_);
  verifier.AssessPending(10, now_ + 5 * kMinute);
  auto judged = Inspection("e1");
  ASSERT_TRUE(judged);
  EXPECT_EQ(judged->checks["same_tag"].first, "pass") << judged->checks["same_tag"].second;
}

// One message stamped three days ahead: flagged, and the handheld's next inspection is still
// placed at its true time, where the shutter's sensor saw the functional test.
TEST_F(TapVerifierCasesTest, OneBadTimestampDoesNotPoisonTheHandheldsClock) {
  db_->Exec("UPDATE assets SET sensor_equipped = 1");
  const core::UnixMillis ahead = 2 * kHour;  // The handheld's clock is two hours fast.
  for (int i = 0; i < 4; ++i) Inspect("h" + std::to_string(i), now_ - (60 - 10 * i) * kMinute, ahead);
  const core::UnixMillis glitch_at = now_ - 15 * kMinute;
  Store(MakeTap("glitch", core::TapKind::kStart, glitch_at + ahead + 3 * 24 * kHour,
                glitch_at + ahead + 3 * 24 * kHour),
        glitch_at + 300);
  Inspect("next", now_, ahead);
  ShutterClosesAt(now_ + kMinute);

  TapVerifier verifier(*db_, config_);
  verifier.AssessPending(100, now_ + 5 * kMinute);
  EXPECT_EQ(Timing("glitch").rfind("suspect: read 3 d after it arrived", 0), 0u) << Timing("glitch");
  auto judged = Inspection("next-e");
  ASSERT_TRUE(judged);
  EXPECT_EQ(judged->verdict, "verified") << judged->checks["functional_test"].second;
  EXPECT_EQ(judged->checks["functional_test"].first, "pass");
}

// The handheld's clock, two hours fast all morning, is set right just before an
// inspection: its start is the first message on the new clock. The end confirms the new
// clock, and the start is placed again with it: verified, where the shutter's sensor saw
// the functional test, not two hours early (overlapping the morning's work).
TEST_F(TapVerifierCasesTest, AClockSetRightIsFollowedFromTheInspectionThatConfirmsIt) {
  db_->Exec("UPDATE assets SET sensor_equipped = 1");
  for (int i = 0; i < 4; ++i) Inspect("h" + std::to_string(i), now_ - (60 - 10 * i) * kMinute, 2 * kHour);
  Inspect("after", now_);  // The clock is right now.
  ShutterClosesAt(now_ + kMinute);
  TapVerifier verifier(*db_, config_);
  verifier.AssessPending(100, now_ + 5 * kMinute);
  auto judged = Inspection("after-e");
  ASSERT_TRUE(judged);
  std::string checks;
  for (const auto& [name, result] : judged->checks) checks += name + "=" + result.first + ": " + result.second + "\n";
  EXPECT_EQ(judged->verdict, "verified") << checks;
  EXPECT_EQ(db_->QueryInt("SELECT started_at FROM inspections WHERE id = (SELECT max(id) FROM inspections)"),
            now_ + 300);
}

// No inspection of a technician may hide inside a long one of the same technician.
TEST_F(TapVerifierCasesTest, AnInspectionInsideALongerOneOfTheSameTechnicianNeedsReview) {
  const auto long_start = MakeTap("long-s", core::TapKind::kStart, now_, now_, "HH-2", true);
  Inspect("early", now_ + 10 * kMinute);
  Inspect("inside", now_ + 30 * kMinute);
  Inspect("late", now_ + 50 * kMinute);
  const auto long_end = MakeTap("long-e", core::TapKind::kEnd, now_ + 2 * kHour, now_ + 2 * kHour, "HH-2", true);
  Store(long_start, now_ + 300);
  Store(long_end, now_ + 2 * kHour + 300);
  TapVerifier verifier(*db_, config_);
  verifier.AssessPending(100, now_ + 3 * kHour);
  EXPECT_EQ(Inspection("long-e")->checks["technician_overlap"].first, "review");
}

// Read and sent three weeks ago by a handheld whose other messages are current.
TEST_F(TapVerifierCasesTest, ABackdatedInspectionNeedsReview) {
  for (int i = 0; i < 3; ++i) Inspect("h" + std::to_string(i), now_ - (60 - 10 * i) * kMinute);
  const core::UnixMillis then = now_ - 21 * 24 * kHour;
  // A tag nobody else read since (else its counter would already give the date away).
  Store(MakeTap("old-s", core::TapKind::kStart, then, then, "HH-1", true), now_);
  Store(MakeTap("old-e", core::TapKind::kEnd, then + 5 * kMinute, then + 5 * kMinute, "HH-1", true), now_ + 500);
  TapVerifier verifier(*db_, config_);
  verifier.AssessPending(100, now_ + kMinute);
  auto judged = Inspection("old-e");
  ASSERT_TRUE(judged);
  EXPECT_EQ(judged->verdict, "needs_review");
  EXPECT_EQ(judged->checks["start_tap_timing"].first, "review");
  EXPECT_NE(judged->checks["start_tap_timing"].second.find("arrived 21 d after it was read"), std::string::npos)
      << judged->checks["start_tap_timing"].second;
}

// Read at 09:00 but held back until 11:30, while the handheld delivered taps on time from 10:00.
TEST_F(TapVerifierCasesTest, ATapWithheldWhileItsHandheldWasOnlineNeedsReview) {
  const auto held_start = MakeTap("held-s", core::TapKind::kStart, now_ - 3 * kHour, now_ - 3 * kHour);
  const auto held_end = MakeTap("held-e", core::TapKind::kEnd, now_ - 3 * kHour + 5 * kMinute,
                                now_ - 3 * kHour + 5 * kMinute);
  for (int i = 0; i < 3; ++i) Inspect("h" + std::to_string(i), now_ - (120 - 20 * i) * kMinute);
  Store(held_start, now_ - 30 * kMinute);
  Store(held_end, now_ - 30 * kMinute + 200);
  TapVerifier verifier(*db_, config_);
  verifier.AssessPending(100, now_);
  auto judged = Inspection("held-e");
  ASSERT_TRUE(judged);
  EXPECT_EQ(judged->verdict, "needs_review");
  EXPECT_NE(judged->checks["start_tap_timing"].second.find("delivered a later message on time"),
            std::string::npos)
      << judged->checks["start_tap_timing"].second;
}

TEST_F(TapVerifierCasesTest, ATapReadAfterItWasSentIsRejected) {
  Store(MakeTap("s", core::TapKind::kStart, now_, now_), now_ + 300);
  Store(MakeTap("e", core::TapKind::kEnd, now_ + kHour, now_ + 4 * kMinute), now_ + 4 * kMinute + 300);
  TapVerifier verifier(*db_, config_);
  verifier.AssessPending(10, now_ + 5 * kMinute);
  auto judged = Inspection("e");
  ASSERT_TRUE(judged);
  EXPECT_EQ(judged->verdict, "rejected");
  EXPECT_EQ(judged->checks["end_tap_timing"].first, "fail") << judged->checks["end_tap_timing"].second;
  EXPECT_EQ(db_->QueryInt("SELECT count(*) FROM maintenance_records"), 0)
      << "no record may end in the future";
}

// Two handhelds, one technician, two assets 1.5 km apart, at the same time.
TEST_F(TapVerifierCasesTest, OneTechnicianInTwoPlacesNeedsReview) {
  Inspect("here", now_);
  Inspect("there", now_ + kMinute, 0, "HH-2", /*far=*/true);
  TapVerifier verifier(*db_, config_);
  verifier.AssessPending(10, now_ + 10 * kMinute);
  EXPECT_EQ(Inspection("here-e")->verdict, "verified");
  auto there = Inspection("there-e");
  ASSERT_TRUE(there);
  EXPECT_EQ(there->verdict, "needs_review");
  EXPECT_EQ(there->checks["technician_overlap"].first, "review");
  EXPECT_NE(there->checks["technician_overlap"].second.find("was also inspecting A-1 on HH-1"),
            std::string::npos)
      << there->checks["technician_overlap"].second;
}

// The same two assets visited one after the other: a drive across the apron is fine.
TEST_F(TapVerifierCasesTest, AnHonestDriveToAnotherBuildingIsVerified) {
  Inspect("here", now_);
  Inspect("there", now_ + 9 * kMinute, 0, "HH-2", /*far=*/true);  // 5 min after leaving.
  TapVerifier verifier(*db_, config_);
  verifier.AssessPending(10, now_ + 20 * kMinute);
  auto there = Inspection("there-e");
  ASSERT_TRUE(there);
  EXPECT_EQ(there->verdict, "verified") << there->checks["travel"].second;
  EXPECT_EQ(there->checks["technician_overlap"].first, "pass");
}

}  // namespace
}  // namespace fieldproof::verify
