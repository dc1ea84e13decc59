// http::Api over a real, migrated SQLite file: what the request path answers to input a
// client controls. The routes themselves are tested end to end in tests/integration/api_test.
#include "gateway/http/api.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "gateway/crypto/sha256.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/store/token_store.hpp"

namespace fieldproof::http {
namespace {

namespace bhttp = boost::beast::http;

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_);
    store::Database db(db_path_);
    store::Migrate(db);
    store::TokenStore(db, crypto::Sha256Hex).Create({"admin", core::Role::kAdmin, ""}, "t-admin", 0);
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  Response Get(const std::string& target) const {
    Request request{bhttp::verb::get, target, 11};
    request.set(bhttp::field::authorization, "Bearer t-admin");
    ApiOptions options;
    options.db_path = db_path_;
    return Api(options).Handle(request);
  }

  const std::filesystem::path dir_ = std::filesystem::temp_directory_path() /
                                     ("fieldproof-api-test-" + std::to_string(::getpid()));
  const std::string db_path_ = (dir_ / "api.db").string();
};

// Found by tests/fuzz/http_api_fuzz: an id that is not UTF-8, echoed in the 404 message,
// made the JSON writer throw, and the server answered 500.
TEST_F(ApiTest, EchoedBytesThatAreNotUtf8AreReplacedNotAnError) {
  for (const std::string target : {"/api/v1/invoices/FP-INV-000%B001", "/api/v1/inspections/%FF",
                                   "/api/v1/sites/%C0%AF/coverage"}) {
    Response response;
    ASSERT_NO_THROW(response = Get(target)) << target;
    EXPECT_EQ(response.result(), bhttp::status::not_found) << target;
    const auto body = nlohmann::json::parse(response.body(), nullptr, false);
    ASSERT_TRUE(body.is_object()) << response.body();
    EXPECT_NE(body["error"].get<std::string>().find("\xEF\xBF\xBD"), std::string::npos)
        << response.body();
  }
}

}  // namespace
}  // namespace fieldproof::http
