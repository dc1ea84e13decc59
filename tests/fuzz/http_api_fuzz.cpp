// The HTTP request path: raw bytes through Beast's request parser with the server's limits,
// then http::Api::Handle, as a server thread does. Up to four pipelined requests per input.
// The database is a temporary file, migrated, with one token per role
// (Authorization: Bearer fuzz-<role>), a few assets at two sites of two customers and the
// sample contract, so routes have something to find.
// Properties: Handle never throws (the server would answer 500: a client must not be able
// to cause one), and every answer is a well-formed response.
#include <boost/beast/http.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unistd.h>

#include "gateway/billing/invoice_ledger.hpp"
#include "gateway/codec/billing_codec.hpp"
#include "gateway/codec/registry_csv.hpp"
#include "gateway/crypto/sha256.hpp"
#include "gateway/http/api.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/store/registry_store.hpp"
#include "gateway/store/token_store.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

namespace fs = std::filesystem;
namespace bhttp = boost::beast::http;
namespace fp = fieldproof;
using fp::fuzz::Check;

constexpr fp::core::UnixMillis kSetUpAt = 1'790'000'000'000;  // 2026-09-21

std::string ReadSourceFile(const std::string& relative) {
  std::ifstream in(std::string(FIELDPROOF_SOURCE_DIR) + "/" + relative, std::ios::binary);
  if (!in) throw std::runtime_error("http_api_fuzz: cannot read " + relative);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void Fill(fp::store::Database& db) {
  fp::store::Migrate(db);
  fp::store::TokenStore tokens(db, fp::crypto::Sha256Hex);
  tokens.Create({"fuzz-owner", fp::core::Role::kOwner, "OWN-FRA"}, "fuzz-owner", kSetUpAt);
  tokens.Create({"fuzz-billing", fp::core::Role::kBilling, ""}, "fuzz-billing", kSetUpAt);
  tokens.Create({"fuzz-supervisor", fp::core::Role::kSupervisor, ""}, "fuzz-supervisor",
                kSetUpAt);
  tokens.Create({"fuzz-admin", fp::core::Role::kAdmin, ""}, "fuzz-admin", kSetUpAt);

  const auto assets = fp::codec::ParseAssetsCsv(
      fp::codec::AssetsCsvHeader() +
      "FRA-T1-F2-FS-0113,FRA,T1,2,Pier B,1834.25,-412.5,fire_shutter,04DAC09DF95413,365,OWN-FRA,"
      "true\n"
      "FRA-T1-F0-FD-0001,FRA,T1,0,Basement,10,20,fire_door,04DAC09DF95414,180,OWN-FRA,false\n"
      "MUC-T2-F1-FS-0001,MUC,T2,1,Gate H,5,5,fire_shutter,04DAC09DF95415,365,OWN-MUC,true\n");
  if (!assets.errors.empty() || !assets.fatal.empty() || assets.rows.size() != 3) {
    throw std::runtime_error("http_api_fuzz: the built-in assets do not parse");
  }
  fp::store::RegistryStore(db).ImportAssets(assets.rows, kSetUpAt);

  const std::string contract_text = ReadSourceFile("ops/contracts/OWN-FRA.json");
  const auto contract = fp::codec::DecodeContract(contract_text);
  if (!contract.ok()) throw std::runtime_error("http_api_fuzz: " + contract.error().detail);
  fp::billing::InvoiceLedger(db).ImportContract(contract.value(), contract_text, kSetUpAt);
}

// The API over a database made once per process; removed when the process exits.
class Fixture {
 public:
  Fixture() {
    dir_ = fs::temp_directory_path() / ("fieldproof-http-api-fuzz-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    const std::string db_path = (dir_ / "api.db").string();
    {
      fp::store::Database db(db_path);
      Fill(db);
    }
    fp::http::ApiOptions options;
    options.db_path = db_path;
    options.metrics = [] { return std::string("fieldproof_up 1\n"); };
    api_ = std::make_unique<fp::http::Api>(std::move(options));
  }
  ~Fixture() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  const fp::http::Api& api() const { return *api_; }

 private:
  fs::path dir_;
  std::unique_ptr<fp::http::Api> api_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Fixture fixture;
  boost::asio::const_buffer rest(data, size);
  for (int pipelined = 0; pipelined < 4 && rest.size() > 0; ++pipelined) {
    // The server's limits: ServerConfig::max_request_bytes and its header limit.
    bhttp::request_parser<bhttp::string_body> parser;
    parser.body_limit(64 * 1024);
    parser.header_limit(16 * 1024);
    parser.eager(true);
    boost::beast::error_code ec;
    while (!ec && !parser.is_done() && rest.size() > 0) {
      const std::size_t used = parser.put(rest, ec);
      if (used == 0) break;
      rest += used;
    }
    if (!ec && !parser.is_done()) parser.put_eof(ec);
    if (ec || !parser.is_done()) return 0;

    const fp::http::Request request = parser.release();
    fp::http::Response response;
    try {
      response = fixture.api().Handle(request);
    } catch (const std::exception& e) {
      Check(false, "Api::Handle threw (the server would answer 500):", e.what());
    }
    Check(response.result_int() >= 200 && response.result_int() < 500,
          "a status a client may be given");
    response.prepare_payload();
    Check(!response.has_content_length() ||
              response[bhttp::field::content_length] == std::to_string(response.body().size()),
          "content length matches the body");
  }
  return 0;
}
