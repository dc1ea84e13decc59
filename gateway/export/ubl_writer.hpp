#pragma once
// UBL 2.1 Invoice and CreditNote documents following EN 16931 and the German XRechnung
// 3.0 CIUS: buyer reference (BT-10), seller contact (BG-6), electronic addresses (BT-34,
// BT-49), payment instructions (BG-16). Each line names the maintenance records, their
// hashes and the taps it bills; the document notes the chain heads it was issued against.
// docs/billing.md maps every business term to its element.
#include <string>
#include <string_view>

#include "gateway/core/invoice.hpp"

namespace fieldproof::exporter {

inline constexpr std::string_view kXRechnungCustomization =
    "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0";
inline constexpr std::string_view kPeppolBillingProfile =
    "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";

std::string WriteUbl(const core::Invoice& document);

// "FP-INV-000001.xml"
std::string UblFileName(const core::Invoice& document);

}  // namespace fieldproof::exporter
