#include "firmware-sim/site_generator.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <set>

namespace fieldproof::sim {
namespace {

std::string Numbered(const char* format, int n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, format, n);
  return buf;
}

constexpr const char* kNames[] = {"Anna Becker", "Jonas Weber",  "Lea Schulz",   "Murat Yilmaz",
                                  "Sofia Rossi", "Piotr Nowak",  "Emma Fischer", "Ali Hassan",
                                  "Lukas Meyer", "Marie Wagner", "Tom Richter",  "Nina Koch"};

}  // namespace

Site GenerateSite(const SiteSpec& spec) {
  Site site;
  site.spec = spec;
  std::mt19937_64 rng(spec.seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::set<std::string> uids;

  const int locations = spec.buildings * spec.floors;
  for (int i = 0; i < spec.assets; ++i) {
    // Assets fill building 1 floor 0, then floor 1, ...: a technician's route walks them in order.
    const int slot = static_cast<int>(static_cast<long long>(i) * locations / spec.assets);
    const int building = slot / spec.floors;
    const int floor = slot % spec.floors;
    const int per_slot = (spec.assets + locations - 1) / locations;
    const int index_in_slot = i - static_cast<int>((static_cast<long long>(slot) * spec.assets +
                                                    locations - 1) / locations);
    // A corridor grid 240 m x 120 m per floor, snaking so neighbours are near each other.
    const int columns = std::max(1, static_cast<int>(std::sqrt(per_slot * 2.0)));
    const int row = index_in_slot / columns;
    const int column = (row % 2 == 0) ? index_in_slot % columns : columns - 1 - index_in_slot % columns;

    core::Asset a;
    a.site = spec.site;
    a.building = Numbered("T%d", building + 1);
    a.floor = floor;
    a.asset_id = spec.site + "-" + a.building + "-F" + std::to_string(floor) +
                 Numbered("-FS-%05d", i + 1);
    a.x_m = building * 400.0 + 240.0 * column / columns;
    a.y_m = 120.0 * row / std::max(1, (per_slot + columns - 1) / columns);
    a.location = "Level " + std::to_string(floor) + ", grid " +
                 Numbered("%c", 'A' + column % 26) + std::to_string(row + 1);
    a.asset_type = unit(rng) < 0.9 ? "fire_shutter" : "fire_door";
    std::string uid;
    do {
      uid = "04";
      for (int b = 0; b < 6; ++b) uid += Numbered("%02X", static_cast<int>(rng() & 0xFF));
    } while (!uids.insert(uid).second);
    a.tag_uid = uid;
    a.interval_days = a.asset_type == "fire_shutter" ? 365 : 180;
    a.owner_id = "OWN-" + spec.site;
    a.sensor_equipped = unit(rng) < spec.sensor_ratio;
    site.assets.push_back(std::move(a));
  }

  for (int t = 0; t < spec.technicians; ++t) {
    core::Technician tech;
    tech.technician_id = Numbered("T-%04d", t + 1);
    tech.name = kNames[t % std::size(kNames)];
    tech.company = "ACME-FIRE";
    tech.qualifications = {"fire_door", "fire_shutter"};
    tech.sites = {spec.site};
    site.handhelds.push_back({Numbered("HH-%04d", t + 1), tech.technician_id});
    site.technicians.push_back(std::move(tech));
  }
  site.trainee = {"T-TRAINEE", "Kim Lehmann", "ACME-FIRE", {"fire_door"}, {spec.site}};
  site.trainee_handheld = {"HH-TRAINEE", "T-TRAINEE"};
  site.visitor = {"T-VISITOR", "Jan Visser", "ACME-FIRE", {"fire_door", "fire_shutter"}, {"MUC"}};
  site.visitor_handheld = {"HH-VISITOR", "T-VISITOR"};
  return site;
}

std::vector<core::PastInspection> GenerateHistory(const Site& site, core::UnixMillis until) {
  std::mt19937_64 rng(site.spec.seed ^ 0x415709ULL);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<core::PastInspection> history;
  for (const auto& a : site.assets) {
    const double draw = unit(rng);
    if (draw < 0.03) continue;  // Never inspected: new, or lost in the old records.
    const double interval = a.interval_days;
    // Near or past due: between 60 days before and 30 days after the due date at `until`.
    const double days_ago = draw < 0.20 ? interval - 60 + unit(rng) * 90 : 20 + unit(rng) * (interval - 90);
    const auto& by = site.technicians[static_cast<std::size_t>(unit(rng) * site.technicians.size())];
    history.push_back({a.asset_id, until - static_cast<core::UnixMillis>(days_ago * core::kDay), by.technician_id,
                       unit(rng) >= 0.05});
  }
  return history;
}

}  // namespace fieldproof::sim
