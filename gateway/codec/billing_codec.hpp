#pragma once
// Contracts (schemas/contract.json) and invoice documents (schemas/invoice.json) as JSON.
// An invoice document is what the store keeps of an issued invoice or credit note and
// what the JSON export writes: amounts are decimal strings with two decimals.
#include <span>
#include <string>
#include <string_view>

#include "gateway/core/contract.hpp"
#include "gateway/core/invoice.hpp"
#include "gateway/core/rejection.hpp"

namespace fieldproof::codec {

// A contract file being imported: DecodeContract, and every string must be plain text
// (core::PlainTextProblem; line breaks only in payment/terms_note), since parties, references
// and terms are copied into e-invoices (XML), spreadsheets and terminals.
core::Result<core::Contract> DecodeContractForImport(std::string_view text);

// Any contract, also one stored before imports checked its text: the ledger reads stored
// contracts with it, and the writers neutralise what their text holds.
core::Result<core::Contract> DecodeContract(std::string_view text);

std::string EncodeInvoice(const core::Invoice& invoice);  // One line, stable key order.
core::Result<core::Invoice> DecodeInvoice(std::string_view text);

// The JSON export: {"format": "fieldproof-invoices/1", "period": ..., "documents": [...]},
// indented, ending with a newline.
std::string EncodeInvoiceExport(std::string_view period, std::span<const core::Invoice> documents);

}  // namespace fieldproof::codec
