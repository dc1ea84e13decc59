// The decoder and the JSON Schemas must agree on every example in schemas/examples/:
//   schemas/examples/<schema>/valid/*.json                  -> the decoder accepts it;
//   schemas/examples/<schema>/invalid/<reason>--<what>.json -> the decoder rejects it with
//                                                              exactly <reason>.
// tests/schema/validate_examples.mjs checks the same files against the schemas with Ajv.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "gateway/codec/billing_codec.hpp"
#include "gateway/codec/message_codec.hpp"
#include "gateway/core/rejection.hpp"

namespace fieldproof::codec {
namespace {

namespace fs = std::filesystem;

// What a decoder said, independent of the decoded type.
struct Verdict {
  bool ok = false;
  std::string reason;  // Reason code when !ok.
  std::string detail;
};

template <class T>
Verdict ToVerdict(const core::Result<T>& result) {
  if (result.ok()) return {true, "", ""};
  return {false, std::string(core::ReasonCode(result.error().reason)), result.error().detail};
}

using Decoder = std::function<Verdict(std::string_view)>;

// One decoder per schema; the key is the schema's file name without ".json".
const std::map<std::string, Decoder>& Decoders() {
  static const std::map<std::string, Decoder> decoders = {
      {"tap", [](std::string_view json) { return ToVerdict(DecodeTap(json)); }},
      {"telemetry", [](std::string_view json) { return ToVerdict(DecodeTelemetry(json)); }},
      {"asset", [](std::string_view json) { return ToVerdict(DecodeAsset(json)); }},
      {"technician", [](std::string_view json) { return ToVerdict(DecodeTechnician(json)); }},
      {"device", [](std::string_view json) { return ToVerdict(DecodeDevice(json)); }},
      {"verdict-notice",
       [](std::string_view json) { return ToVerdict(DecodeVerdictNotice(json)); }},
      {"rejection-notice",
       [](std::string_view json) { return ToVerdict(DecodeRejectionNotice(json)); }},
      {"contract", [](std::string_view json) { return ToVerdict(DecodeContract(json)); }},
      {"invoice", [](std::string_view json) { return ToVerdict(DecodeInvoice(json)); }},
  };
  return decoders;
}

fs::path ExamplesRoot() { return fs::path(FIELDPROOF_SOURCE_DIR) / "schemas" / "examples"; }

struct Example {
  std::string schema;  // "tap", "telemetry", ...
  bool expect_valid = false;
  std::string expected_reason;  // Invalid examples: the file name before "--".
  fs::path path;

  std::string Label() const {
    return schema + (expect_valid ? "/valid/" : "/invalid/") + path.filename().string();
  }
};

// Failure messages show the file, not the struct's bytes.
void PrintTo(const Example& example, std::ostream* os) { *os << example.Label(); }

// Every schemas/examples/<schema>/{valid,invalid}/*.json, sorted so test order is stable.
std::vector<Example> ListExamples() {
  std::vector<Example> examples;
  std::error_code ec;
  for (const auto& schema_dir : fs::directory_iterator(ExamplesRoot(), ec)) {
    if (!schema_dir.is_directory()) continue;
    for (const bool valid : {true, false}) {
      const fs::path dir = schema_dir.path() / (valid ? "valid" : "invalid");
      std::error_code dir_ec;
      for (const auto& file : fs::directory_iterator(dir, dir_ec)) {
        if (!file.is_regular_file() || file.path().extension() != ".json") continue;
        Example example;
        example.schema = schema_dir.path().filename().string();
        example.expect_valid = valid;
        example.path = file.path();
        if (!valid) {
          const std::string name = file.path().filename().string();
          const auto separator = name.find("--");
          if (separator != std::string::npos) example.expected_reason = name.substr(0, separator);
        }
        examples.push_back(std::move(example));
      }
    }
  }
  std::sort(examples.begin(), examples.end(),
            [](const Example& a, const Example& b) { return a.path < b.path; });
  return examples;
}

std::optional<std::string> ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// "tap/invalid/missing_field--no-kind.json" -> "tap_invalid_missing_field_no_kind"
std::string TestName(const Example& example) {
  std::string name;
  const std::string label = example.Label();
  const std::string_view stem(label.data(), label.size() - std::string_view(".json").size());
  for (const char c : stem) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      name += c;
    } else if (!name.empty() && name.back() != '_') {
      name += '_';
    }
  }
  while (!name.empty() && name.back() == '_') name.pop_back();
  return name;
}

class SchemaExampleTest : public ::testing::TestWithParam<Example> {};

TEST_P(SchemaExampleTest, DecoderAgreesWithSchema) {
  const Example& example = GetParam();
  const auto decoder = Decoders().find(example.schema);
  ASSERT_NE(decoder, Decoders().end())
      << "no decoder for schemas/examples/" << example.schema << "/ (add it to Decoders())";
  if (!example.expect_valid) {
    ASSERT_TRUE(core::ParseReasonCode(example.expected_reason).has_value())
        << example.Label() << ": the file name must start with a reason code and \"--\"";
  }

  const std::optional<std::string> bytes = ReadBytes(example.path);
  ASSERT_TRUE(bytes.has_value()) << "cannot read " << example.path;

  const Verdict verdict = decoder->second(*bytes);
  if (example.expect_valid) {
    EXPECT_TRUE(verdict.ok) << example.Label()
                            << " should decode, but was rejected: " << verdict.reason << ": "
                            << verdict.detail;
  } else {
    ASSERT_FALSE(verdict.ok) << example.Label() << " should be rejected with "
                             << example.expected_reason << ", but decoded";
    EXPECT_EQ(verdict.reason, example.expected_reason)
        << example.Label() << ": decoder detail: " << verdict.detail;
  }
}

INSTANTIATE_TEST_SUITE_P(Examples, SchemaExampleTest, ::testing::ValuesIn(ListExamples()),
                         [](const ::testing::TestParamInfo<Example>& info) {
                           return TestName(info.param);
                         });

// Guards against the parameterised suite silently shrinking (a moved directory, a typo).
TEST(SchemaExamplesTest, EverySchemaHasValidAndInvalidExamples) {
  const std::vector<Example> examples = ListExamples();
  ASSERT_FALSE(examples.empty()) << "no examples under " << ExamplesRoot();
  for (const auto& entry : Decoders()) {
    const std::string& schema = entry.first;
    const auto count = [&](bool valid) {
      return std::count_if(examples.begin(), examples.end(), [&](const Example& e) {
        return e.schema == schema && e.expect_valid == valid;
      });
    };
    EXPECT_GE(count(true), 2) << schema << ": needs valid examples";
    EXPECT_GE(count(false), 2) << schema << ": needs invalid examples";
  }
}

}  // namespace
}  // namespace fieldproof::codec
