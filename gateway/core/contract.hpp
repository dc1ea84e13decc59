#pragma once
// A maintenance contract with one customer (the facility owner whose id the assets carry):
// what verified work costs and everything an EN 16931 / XRechnung invoice needs about the
// two parties and payment. Loaded from JSON (schemas/contract.json); see docs/billing.md.
#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "gateway/core/local_time.hpp"
#include "gateway/core/money.hpp"

namespace fieldproof::core {

struct PostalAddress {
  std::string street;             // BT-35 / BT-50
  std::string additional_street;  // BT-36 / BT-51, may be empty
  std::string city;               // BT-37 / BT-52
  std::string postal_code;        // BT-38 / BT-53
  std::string country_code;       // BT-40 / BT-55, ISO 3166-1 alpha-2
};

struct Contact {
  std::string name;   // BT-41 / BT-56
  std::string phone;  // BT-42 / BT-57
  std::string email;  // BT-43 / BT-58
};

struct Party {
  std::string name;      // BT-27 / BT-44, the legal registration name
  std::string vat_id;    // BT-31 / BT-48, e.g. DE123456789
  std::string legal_id;  // BT-30 / BT-47, e.g. "HRB 12345", may be empty
  PostalAddress address;
  std::string electronic_address;  // BT-34 / BT-49, an e-mail address (scheme EM)
  Contact contact;
};

struct PaymentInstructions {
  std::string means_code = "58";  // BT-81, UNTDID 4461: 58 = SEPA credit transfer
  std::string iban;               // BT-84
  std::string bic;                // BT-86, may be empty
  std::string account_name;       // BT-85, may be empty
  int terms_days = 30;            // Due date = issue date + terms_days (BT-9)
  std::string terms_note;         // BT-20
};

struct RepairItem {
  std::string name;  // e.g. "Replace smoke seal"
  Cents price = 0;
};

struct Surcharges {
  std::int64_t night_bp = 0;  // On the visit's price, when the visit starts at night.
  int night_from_hour = 22;   // Local time, [from, to) wrapping midnight.
  int night_to_hour = 6;
  std::int64_t weekend_bp = 0;  // When the visit starts on a local Saturday or Sunday.
};

struct Contract {
  std::string contract_id;           // BT-12
  std::string customer_id;           // The owner_id on the customer's assets.
  std::vector<std::string> sites;    // Billed sites; empty = every site of the customer.
  std::string currency = "EUR";      // BT-5
  std::string vat_category = "S";    // BT-151, UNCL 5305
  std::int64_t vat_rate_bp = 1900;   // BT-152
  std::string vat_exemption_reason;  // BT-120, for categories E, AE, K, G, O
  std::string buyer_reference;       // BT-10 (XRechnung: the Leitweg-ID)
  std::string purchase_order;        // BT-13, may be empty
  std::string invoice_series;        // Numbers <series>-000001, gap-free per series.
  std::string credit_note_series;
  std::map<std::string, Cents> inspection_prices;  // By asset type.
  std::map<std::string, RepairItem> repairs;       // By defect code.
  Cents callout_fee = 0;                           // Per technician, local day and site.
  Surcharges surcharges;
  TimeZoneRule time_zone;
  Party seller;
  Party buyer;
  PaymentInstructions payment;

  bool Covers(const std::string& site) const {
    return sites.empty() || std::find(sites.begin(), sites.end(), site) != sites.end();
  }
};

}  // namespace fieldproof::core
