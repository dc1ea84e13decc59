// The house's boundaries, as docs/architecture.md's module table states them: a module
// includes only its own headers and those of the modules its row names (and what those
// name in turn), and SQLite's API stays inside gateway/store. The table is read from the
// document, so the two cannot drift apart.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fieldproof::house {
namespace {

namespace fs = std::filesystem;
const fs::path kRoot = FIELDPROOF_SOURCE_DIR;
const std::vector<std::string> kModules = {"core",    "crypto", "codec",  "store", "ingest", "mqtt",
                                           "verify",  "billing", "export", "http", "notify", "app"};

std::string Read(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Module (or "firmware-sim") -> the modules its row's "links" column names.
std::map<std::string, std::set<std::string>> TableOfModules(const std::string& architecture) {
  std::map<std::string, std::set<std::string>> named;
  const std::regex row(R"(^\| `(gateway/([a-z]+)|firmware-sim)` \| [^|]* \| ([^|]*) \|)");
  const std::regex word(R"(\b(core|crypto|codec|store|ingest|mqtt|verify|billing|export|http|notify)\b)");
  std::istringstream lines(architecture);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (!std::regex_search(line, m, row)) continue;
    const std::string module = m[2].matched ? m[2].str() : m[1].str();
    const std::string links = m[3].str();
    auto& uses = named[module];
    if (links.find("all of the above") != std::string::npos) {
      uses.insert(kModules.begin(), kModules.end());
      continue;
    }
    for (std::sregex_iterator it(links.begin(), links.end(), word), end; it != end; ++it) uses.insert((*it)[1]);
  }
  return named;
}

// What a module may include: the modules its row names, and theirs, and so on.
std::set<std::string> Allowed(const std::map<std::string, std::set<std::string>>& table, const std::string& module) {
  std::set<std::string> allowed = {module};
  std::vector<std::string> todo(table.at(module).begin(), table.at(module).end());
  while (!todo.empty()) {
    const std::string next = todo.back();
    todo.pop_back();
    if (!allowed.insert(next).second || !table.contains(next)) continue;
    todo.insert(todo.end(), table.at(next).begin(), table.at(next).end());
  }
  return allowed;
}

// The crossings `text` (a file of `module`) makes that `allowed` does not permit.
std::vector<std::string> Violations(const std::string& module, const std::string& file, const std::string& text,
                                    const std::set<std::string>& allowed) {
  std::vector<std::string> found;
  const std::regex include(R"(^#include "gateway/([a-z]+)/)");
  const std::regex sqlite(R"(<sqlite3\.h>|\bsqlite3_[a-z_0-9]+\s*\(|\bSQLITE_[A-Z_]+\b)");
  std::istringstream lines(text);
  int number = 0;
  for (std::string line; std::getline(lines, line);) {
    ++number;
    std::smatch m;
    if (std::regex_search(line, m, include) && !allowed.contains(m[1].str())) {
      found.push_back(file + ":" + std::to_string(number) + ": " + module + " may not include " + m[1].str());
    }
    if (module != "store" && std::regex_search(line, sqlite)) {
      found.push_back(file + ":" + std::to_string(number) + ": SQLite's API outside gateway/store");
    }
  }
  return found;
}

class BoundariesTest : public ::testing::Test {
 protected:
  const std::map<std::string, std::set<std::string>> table = TableOfModules(Read(kRoot / "docs/architecture.md"));
};

TEST_F(BoundariesTest, TheTableNamesEveryModule) {
  for (const std::string& module : kModules) EXPECT_TRUE(table.contains(module)) << module;
  EXPECT_TRUE(table.contains("firmware-sim"));
  EXPECT_EQ(table.at("core"), std::set<std::string>{}) << "the core uses nothing";
  EXPECT_EQ(Allowed(table, "ingest"), (std::set<std::string>{"ingest", "codec", "store", "core"}));
}

TEST_F(BoundariesTest, EveryIncludeCrossesOnlyWhereTheTableAllows) {
  std::vector<std::string> found;
  std::vector<std::pair<std::string, fs::path>> folders = {{"firmware-sim", kRoot / "firmware-sim"}};
  for (const std::string& module : kModules) folders.emplace_back(module, kRoot / "gateway" / module);
  for (const auto& [module, folder] : folders) {
    const auto allowed = Allowed(table, module);
    for (const auto& entry : fs::recursive_directory_iterator(folder)) {
      const auto ext = entry.path().extension();
      if (ext != ".cpp" && ext != ".hpp") continue;
      const auto more = Violations(module, fs::relative(entry.path(), kRoot).string(), Read(entry.path()), allowed);
      found.insert(found.end(), more.begin(), more.end());
    }
  }
  std::string all;
  for (const auto& f : found) all += f + "\n";
  EXPECT_TRUE(found.empty()) << all;
}

TEST_F(BoundariesTest, ACrossingIsFound) {
  const std::string text =
      "#include \"gateway/core/messages.hpp\"\n"
      "#include \"gateway/http/api.hpp\"\n"
      "  const auto id = sqlite3_last_insert_rowid(db);\n";
  const auto found = Violations("verify", "v.cpp", text, Allowed(table, "verify"));
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0], "v.cpp:2: verify may not include http");
  EXPECT_EQ(found[1], "v.cpp:3: SQLite's API outside gateway/store");
}

}  // namespace
}  // namespace fieldproof::house
