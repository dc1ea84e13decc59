#pragma once
// The site at work, as a stream of MQTT messages in simulated-time order:
// technicians walk their routes and inspect each asset (start tap, functional test,
// checklist, end tap); sensor firmware reports the shutter cycle and heartbeats.
// Each tag is an NTAG 424 DNA emulation with its own diversified keys and read counter.
// Pure: no clock, no I/O; the same site and seed give the same stream. Repairs are the
// exception: a technician returns to a defect once the handheld has learnt its work order
// from the gateway's verdict (ScenarioSpec::work_order_for), which depends on timing.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <queue>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "firmware-sim/site_generator.hpp"
#include "gateway/crypto/bytes.hpp"
#include "gateway/crypto/tag_emulator.hpp"

namespace fieldproof::sim {

struct Outbound {
  enum class Kind { kTap, kTelemetry };
  Kind kind;
  std::string sender;  // Device id (taps) or asset id (telemetry).
  std::string msg_id;
  std::string topic;
  std::string payload;
  core::UnixMillis at = 0;  // Simulated time of publishing.
  std::vector<std::string> photos;  // End taps: the photos to upload before the tap (PNG).
};

struct ScenarioSpec {
  core::UnixMillis start = 0;
  crypto::Key128 master_key{};
  std::string tag_base_url = "https://tag.fieldproof.example/t";
  double walk_speed_mps = 1.3;
  core::UnixMillis heartbeat_interval_ms = 3600 * 1000;
  double defect_ratio = 0.05;  // Share of inspections that find a defect.
  // Share of inspections with a photo (its hash in the end tap, its bytes in the Outbound).
  // Drawn from a random stream of its own: other messages stay as they were without photos.
  double photo_ratio = 0;
  // Share of sensor-equipped assets whose sensor or shutter is faulty, one fault each in turn:
  // a battery running low, a sensor falling silent after three heartbeats, a closure slower
  // than plausible, a closure that never reaches `closed`. Chosen from a stream of their own.
  double sensor_fault_ratio = 0;
  // The open work order the gateway named for an asset's defect (taken: asked once per
  // repair). Empty function: technicians never come back for repairs.
  std::function<std::optional<std::string>(const std::string& asset_id)> work_order_for;
};

// The checklist a handheld runs on a fire shutter or door (ops/asset-types.json).
const std::vector<std::string>& ChecklistItems();

// What a handheld reports on an end tap: every item answered pass, or, when a defect was
// found, the failed item, result fail and the defect.
struct Finding {
  std::string failed_item;
  core::Defect defect;
};
void FillEndTapReport(core::Tap& tap, const std::optional<Finding>& finding);

class Scenario {
 public:
  Scenario(const Site& site, ScenarioSpec spec);
  // The next message; the site never stops working.
  Outbound Next();

 private:
  struct Arrival {
    std::size_t technician;
  };
  struct Heartbeat {
    std::size_t asset;
  };
  struct Item {
    core::UnixMillis at;
    std::uint64_t order;  // Ties keep insertion order.
    std::variant<Outbound, Arrival, Heartbeat> what;
    bool operator>(const Item& other) const {
      return at != other.at ? at > other.at : order > other.order;
    }
  };
  struct Route {
    std::size_t first, end, next;  // Asset index range walked in a loop.
    std::size_t target = 0;        // Where the technician is walking to.
    std::string target_work_order;  // Set when that visit is a repair.
    std::vector<std::size_t> defects_found;  // Awaiting their work orders.
  };

  void Push(core::UnixMillis at, std::variant<Outbound, Arrival, Heartbeat> what);
  void Inspect(std::size_t technician, core::UnixMillis arrival);
  Outbound Tap(std::size_t technician, std::size_t asset, core::TapKind kind,
               core::UnixMillis read_at, bool defect, const std::string& work_order = "");
  // The next visit after `route`'s current one: a repair whose work order is known, else
  // the next asset of the loop.
  void ChooseNextTarget(Route& route);
  Outbound Telemetry(std::size_t asset, core::UnixMillis at, std::vector<core::Reading> readings);
  crypto::TagEmulator& TagOf(std::size_t asset);
  core::UnixMillis WalkMillis(std::size_t from, std::size_t to) const;

  const Site& site_;
  ScenarioSpec spec_;
  std::mt19937_64 rng_;
  std::mt19937_64 photo_rng_;
  enum class SensorFault { kNone, kBatteryLow, kFallsSilent, kSlowClosing, kStuckClosing };
  std::vector<SensorFault> faults_;      // By asset.
  std::vector<int> heartbeats_sent_;     // By asset.
  crypto::Key128 meta_read_key_;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> queue_;
  std::uint64_t order_ = 0;
  std::vector<Route> routes_;
  std::map<std::size_t, crypto::TagEmulator> tags_;  // Created on first read.
  std::map<std::string, std::uint64_t> sequence_;    // Next msg sequence per sender.
};

}  // namespace fieldproof::sim
