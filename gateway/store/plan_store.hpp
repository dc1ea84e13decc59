#pragma once
// Floor plans and the floor map (core/floor_plan.hpp): the drawings, and each asset of a floor
// with what the map colours it by, as far as an owner sees it.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "gateway/codec/registry_csv.hpp"
#include "gateway/core/floor_plan.hpp"
#include "gateway/store/registry_store.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::store {

struct FloorKey {
  std::string site;
  std::string building;
  int floor = 0;
};

class PlanStore {
 public:
  explicit PlanStore(Database& db) : db_(db) {}

  // Adds the floor's plan, or replaces the one it had.
  void Save(const core::FloorPlan& plan, std::string_view image);
  // The site's plans by building and floor; an owner's only where it has assets.
  std::vector<core::PlanSummary> List(const std::string& site, const std::string& owner);
  std::optional<core::FloorPlan> Find(const FloorKey& floor);
  std::optional<std::string> Image(const FloorKey& floor);
  // Whether `owner` ("" for every customer) has an asset on the floor.
  bool OwnerHasAssetsOn(const FloorKey& floor, const std::string& owner);
  // Every asset of the floor with its schedule as of `as_of`, open work orders and alarms.
  std::vector<core::MapMarker> Markers(const FloorKey& floor, const std::string& owner,
                                       core::UnixMillis as_of, std::int64_t due_soon_days);
  // Moves each listed asset to its position; refuses a row for an unknown asset or a position
  // outside its floor's plan.
  ImportReport SetPositions(const std::string& site,
                            std::span<const codec::RegistryFile<core::AssetPosition>::Row> rows,
                            core::UnixMillis now);

 private:
  Database& db_;
};

}  // namespace fieldproof::store
