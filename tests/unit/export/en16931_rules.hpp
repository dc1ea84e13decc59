#pragma once
// The EN 16931 and XRechnung business rules our UBL output relies on, checked on the XML
// itself (libxml2 + XPath), each under its official identifier. Test code: an independent
// reading of what the writer produced, sharing nothing with it but the XML.
#include <string>
#include <string_view>
#include <vector>

namespace fieldproof::exporter::testing {

struct RuleViolation {
  std::string rule;  // e.g. "BR-CO-10"
  std::string detail;
};

struct RuleReport {
  bool well_formed = false;
  std::vector<std::string> rules_checked;
  std::vector<RuleViolation> violations;
};

RuleReport CheckUblRules(std::string_view xml);

}  // namespace fieldproof::exporter::testing
