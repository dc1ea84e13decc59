#pragma once
// Shared by the store tests: a fresh directory per test for real SQLite files, and
// builders for events. Header-only; not a test itself.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <random>
#include <string>

#include "gateway/codec/message_codec.hpp"
#include "gateway/core/messages.hpp"
#include "gateway/core/topic.hpp"
#include "gateway/store/event_store.hpp"

namespace fieldproof::store::testing {

// A directory under the system temp dir, unique per test, removed with its files
// (database, -wal and -shm) when the test ends.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = info ? std::string(info->test_suite_name()) + "." + info->name() : "test";
    for (char& c : name) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.') c = '_';
    }
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            ("fieldproof-" + name + "-" + std::to_string(::getpid()) + "-" +
             std::to_string(counter++) + "-" + std::to_string(random()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline const core::UnixMillis kNow = *core::ParseRfc3339("2026-11-23T08:30:00Z");

inline core::Tap MakeTap(const std::string& msg_id, const std::string& device = "HH-0042",
                         const std::string& site = "FRA") {
  core::Tap tap;
  tap.msg_id = msg_id;
  tap.device_id = device;
  tap.technician_id = "T-0007";
  tap.site = site;
  tap.tag = {core::TagRead::Type::kUid, "04A1B2C3D4E5F6"};
  tap.read_at = kNow - 1000;
  tap.sent_at = kNow - 500;
  tap.kind = core::TapKind::kStart;
  tap.firmware = "hh-2.4.1";
  return tap;
}

inline core::Telemetry MakeTelemetry(const std::string& msg_id, const std::string& asset,
                                     const std::string& site = "FRA") {
  core::Telemetry t;
  t.msg_id = msg_id;
  t.asset_id = asset;
  t.site = site;
  t.device_time = kNow - 2000;
  t.readings = {core::StateReading{core::ShutterState::kClosed}, core::BatteryReading{80}};
  return t;
}

inline PendingEvent TapEvent(const core::Tap& tap, core::UnixMillis received_at = kNow) {
  return {core::TapTopic(tap.site, tap.device_id), tap.site, codec::EncodeTap(tap), received_at,
          tap};
}

inline PendingEvent TelemetryEvent(const core::Telemetry& t, core::UnixMillis received_at = kNow) {
  return {core::TelemetryTopic(t.site, t.asset_id), t.site, codec::EncodeTelemetry(t), received_at,
          t};
}

inline PendingEvent RejectedEvent(const std::string& topic, const std::string& site,
                                  const std::string& payload, core::RejectReason reason,
                                  core::UnixMillis received_at = kNow) {
  return {topic, site, payload, received_at, core::Rejection{reason, "test rejection"}};
}

inline core::Asset MakeAsset(const std::string& id, const std::string& tag_uid,
                             const std::string& site = "FRA") {
  core::Asset a;
  a.asset_id = id;
  a.site = site;
  a.building = "T1";
  a.floor = 2;
  a.location = "Gate B12";
  a.x_m = 10.5;
  a.y_m = -3.25;
  a.asset_type = "fire_shutter";
  a.tag_uid = tag_uid;
  a.interval_days = 182;
  a.owner_id = "FRAPORT";
  a.sensor_equipped = true;
  return a;
}

}  // namespace fieldproof::store::testing
