#pragma once
// How the exports write the maintenance records and evidence a line bills: one text form
// shared by CSV and UBL, so an auditor can search for the same string in both.
#include <span>
#include <string>

#include "gateway/core/invoice.hpp"

namespace fieldproof::exporter {

std::string RecordId(const core::RecordRef& record);                  // "MUC#42"
std::string RecordIds(std::span<const core::RecordRef> records);      // "MUC#42;MUC#43"
std::string RecordHashes(std::span<const core::RecordRef> records);   // hashes, ';'
std::string InspectionIds(std::span<const core::RecordRef> records);  // "17;18"
std::string EvidenceTaps(std::span<const core::RecordRef> records);   // "start:end;..." tap ids

}  // namespace fieldproof::exporter
