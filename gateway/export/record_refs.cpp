#include "gateway/export/record_refs.hpp"

namespace fieldproof::exporter {
namespace {

template <class F>
std::string Join(std::span<const core::RecordRef> records, F&& each) {
  std::string out;
  for (const auto& r : records) {
    if (!out.empty()) out += ';';
    out += each(r);
  }
  return out;
}

}  // namespace

std::string RecordId(const core::RecordRef& r) { return r.site + "#" + std::to_string(r.seq); }

std::string RecordIds(std::span<const core::RecordRef> records) { return Join(records, RecordId); }

std::string RecordHashes(std::span<const core::RecordRef> records) {
  return Join(records, [](const core::RecordRef& r) { return r.hash; });
}

std::string InspectionIds(std::span<const core::RecordRef> records) {
  return Join(records, [](const core::RecordRef& r) { return std::to_string(r.inspection_id); });
}

std::string EvidenceTaps(std::span<const core::RecordRef> records) {
  return Join(records, [](const core::RecordRef& r) {
    return std::to_string(r.start_tap_id) + ":" + std::to_string(r.end_tap_id);
  });
}

}  // namespace fieldproof::exporter
