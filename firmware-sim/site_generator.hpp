#pragma once
// A deterministic site: the same seed gives the same buildings, assets, tags and people.
#include <cstdint>
#include <string>
#include <vector>

#include "gateway/core/maintenance_record.hpp"
#include "gateway/core/messages.hpp"

namespace fieldproof::sim {

struct SiteSpec {
  std::uint64_t seed = 1;
  std::string site = "FRA";
  int assets = 1000;
  int buildings = 3;
  int floors = 4;
  int technicians = 8;
  double sensor_ratio = 0.2;  // Share of assets with shutter sensors.
};

struct Handheld {
  std::string device_id;
  std::string technician_id;
};

struct Site {
  SiteSpec spec;
  std::vector<core::Asset> assets;  // Ordered by building, floor, walking route.
  std::vector<core::Technician> technicians;
  std::vector<Handheld> handhelds;  // One per technician.
  // Registered, but not walking routes: the fraud scenarios' people. The trainee is
  // qualified for fire doors only; the visitor is assigned to another site (MUC).
  core::Technician trainee, visitor;
  Handheld trainee_handheld, visitor_handheld;
};

Site GenerateSite(const SiteSpec& spec);

// A year of inspections before `until`, as the previous contractor's records would show them:
// most assets inspected within their interval, about one in six near or past its due date,
// a few never, one in twenty with defects. Drawn from a random stream of its own.
std::vector<core::PastInspection> GenerateHistory(const Site& site, core::UnixMillis until);

}  // namespace fieldproof::sim
