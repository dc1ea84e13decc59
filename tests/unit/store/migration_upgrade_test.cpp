// Upgrades from every earlier schema version: a database as each earlier release left it,
// with rows in every table, migrated to the latest version must look exactly like a new
// one, keep every row and pass SQLite's own checks. New migrations are covered by adding
// them; nothing here lists versions or tables by hand except the realistic rows.
#include <gtest/gtest.h>

#include <cctype>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "gateway/core/maintenance_record.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/store/record_chain.hpp"
#include "gateway/store/sqlite_db.hpp"
#include "store_test_util.hpp"

namespace fieldproof::store {
namespace {

using testing::TempDir;

struct Column {
  std::string name;
  std::string type;
};

// Tables in creation order, so a table comes after those it references.
std::vector<std::string> Tables(Database& db) {
  std::vector<std::string> tables;
  Statement s = db.Prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
      "ORDER BY rowid");
  while (s.Step()) tables.push_back(s.Text(0));
  return tables;
}

std::vector<Column> Columns(Database& db, const std::string& table) {
  std::vector<Column> columns;
  Statement s = db.Prepare("SELECT name, upper(type) FROM pragma_table_info(?) ORDER BY cid");
  s.Bind(1, table);
  while (s.Step()) columns.push_back({s.Text(0), s.Text(1)});
  return columns;
}

// The same literal for a column name and type wherever it appears, so a foreign key
// written with its parent's literal finds the parent row.
std::string Literal(const Column& column) {
  if (column.type.find("INT") != std::string::npos) return "1";
  if (column.type.find("REAL") != std::string::npos) return "1.5";
  if (column.type.find("BLOB") != std::string::npos) return "x'00ff'";
  return "'v-" + column.name + "'";
}

// One row in every table the schema at this version has and nothing has filled yet.
void FillEmptyTables(Database& db) {
  for (const std::string& table : Tables(db)) {
    if (db.QueryInt("SELECT count(*) FROM \"" + table + "\"") > 0) continue;
    std::map<std::string, Column> parents;  // child column -> referenced column
    Statement fks = db.Prepare("SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list(?)");
    fks.Bind(1, table);
    while (fks.Step()) {
      for (const Column& parent : Columns(db, fks.Text(1))) {
        if (parent.name == fks.Text(2)) parents[fks.Text(0)] = parent;
      }
    }
    std::string names, values;
    for (const Column& column : Columns(db, table)) {
      names += (names.empty() ? "\"" : ", \"") + column.name + "\"";
      const auto parent = parents.find(column.name);
      values += (values.empty() ? "" : ", ") +
                Literal(parent == parents.end() ? column : parent->second);
    }
    db.Exec("INSERT INTO \"" + table + "\" (" + names + ") VALUES (" + values + ")");
  }
}

std::string TestHash(std::string_view text) {
  return std::to_string(std::hash<std::string_view>{}(text));
}

// Rows as the gateway of that release wrote them, with the columns it knew.
void WriteRealisticRows(Database& db, int version) {
  if (version >= 1) {
    for (int i = 1; i <= 3; ++i) {
      const std::string n = std::to_string(i);
      db.Exec("INSERT INTO taps (id, site, device_id, msg_id, technician_id, kind, tag_type, "
              "tag_value, read_at, sent_at, received_at, result, checklist, defects, firmware, "
              "payload) VALUES (" + n + ", 'FRA', 'HH-0001', 'm-" + n + "', 'T-0001', '" +
              (i % 2 ? "start" : "end") + "', 'sun', 'https://tag.example/t?e=" + n +
              "', 17000" + n + ", 17001" + n + ", 17002" + n + ", " + (i % 2 ? "NULL" : "'pass'") +
              ", NULL, NULL, 'hh-2.4.1', CAST('{\"msg_id\":\"m-" + n + "\"}' AS BLOB))");
      db.Exec("INSERT INTO telemetry (site, asset_id, msg_id, device_time, received_at, payload) "
              "VALUES ('FRA', 'FS-0001', 't-" + n + "', 16000" + n + ", 16001" + n +
              ", CAST('{\"state\":\"closed\"}' AS BLOB))");
    }
  }
  if (version >= 4) {
    // A hash-chained history written before later migrations added columns: it must still
    // verify after them.
    std::string prev(core::kGenesisHash);
    for (int seq = 1; seq <= 3; ++seq) {
      core::MaintenanceRecord r;
      r.site = "FRA";
      r.seq = seq;
      r.kind = "inspection";
      r.inspection_id = seq;
      r.asset_id = "FS-000" + std::to_string(seq);
      r.technician_id = "T-0001";
      r.started_at = 1'700'000'000'000 + seq;
      r.ended_at = r.started_at + 600'000;
      r.verdict = "verified";
      r.checklist = "{\"labels_legible\":\"pass\"}";
      r.defects = "[]";
      r.evidence = "[{\"name\":\"dwell\",\"status\":\"pass\"}]";
      r.next_due_at = r.ended_at + 182LL * 86'400'000;
      r.recorded_at = r.ended_at + 5;
      r.prev_hash = prev;
      r.hash = core::RecordHash(r, TestHash);
      prev = r.hash;
      Statement insert = db.Prepare(
          "INSERT INTO maintenance_records (site, seq, kind, inspection_id, asset_id, "
          "technician_id, started_at, ended_at, verdict, checklist, defects, evidence, "
          "next_due_at, reviewer, reason, recorded_at, prev_hash, hash) "
          "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
      insert.Bind(1, r.site).Bind(2, r.seq).Bind(3, r.kind).Bind(4, r.inspection_id);
      insert.Bind(5, r.asset_id).Bind(6, r.technician_id).Bind(7, r.started_at);
      insert.Bind(8, r.ended_at).Bind(9, r.verdict).Bind(10, r.checklist).Bind(11, r.defects);
      insert.Bind(12, r.evidence).Bind(13, *r.next_due_at).Bind(14, r.reviewer);
      insert.Bind(15, r.reason).Bind(16, r.recorded_at).Bind(17, r.prev_hash).Bind(18, r.hash);
      insert.Run();
    }
  }
}

// sqlite_master with whitespace runs collapsed, plus what the PRAGMAs say about every
// table and index: columns, types, defaults, keys, index columns, foreign keys.
std::string Schema(Database& db) {
  std::string out;
  Statement master = db.Prepare(
      "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name");
  while (master.Step()) {
    std::string sql;
    for (char c : master.Text(3)) {
      const bool space = std::isspace(static_cast<unsigned char>(c));
      if (!space || (!sql.empty() && sql.back() != ' ')) sql += space ? ' ' : c;
    }
    out += master.Text(0) + " " + master.Text(1) + " on " + master.Text(2) + ": " + sql + "\n";
  }
  for (const std::string& table : Tables(db)) {
    // Each PRAGMA's columns joined into one line.
    const std::pair<const char*, const char*> pragmas[] = {
        {"table_xinfo", "cid || ' ' || name || ' ' || type || ' ' || \"notnull\" || ' ' || "
                        "coalesce(dflt_value, 'NULL') || ' ' || pk || ' ' || hidden"},
        {"index_list", "name || ' ' || \"unique\" || ' ' || origin || ' ' || partial"},
        {"foreign_key_list", "id || ' ' || seq || ' ' || \"table\" || ' ' || \"from\" || ' ' || "
                             "coalesce(\"to\", '') || ' ' || on_update || ' ' || on_delete"},
    };
    for (const auto& [pragma, line] : pragmas) {
      Statement s = db.Prepare(std::string("SELECT ") + line + " FROM pragma_" + pragma +
                               "(?) ORDER BY 1");
      s.Bind(1, table);
      while (s.Step()) out += table + " " + pragma + ": " + s.Text(0) + "\n";
    }
    Statement indexes = db.Prepare("SELECT name FROM pragma_index_list(?) ORDER BY name");
    indexes.Bind(1, table);
    while (indexes.Step()) {
      Statement s = db.Prepare("SELECT seqno, cid, coalesce(name, ''), desc, key "
                               "FROM pragma_index_xinfo(?) ORDER BY seqno");
      s.Bind(1, indexes.Text(0));
      while (s.Step()) {
        out += indexes.Text(0) + " index_xinfo: " + s.Text(0) + " " + s.Text(1) + " " +
               s.Text(2) + " " + s.Text(3) + " " + s.Text(4) + "\n";
      }
    }
  }
  return out;
}

using ColumnsByTable = std::map<std::string, std::vector<Column>>;

ColumnsByTable ColumnsOfEveryTable(Database& db) {
  ColumnsByTable columns;
  for (const std::string& table : Tables(db)) columns[table] = Columns(db, table);
  return columns;
}

// Every row of every table in `tables`, in the columns listed there (those the table had
// before the migration), as SQL literals in a stable order.
std::map<std::string, std::vector<std::string>> Rows(Database& db, const ColumnsByTable& tables) {
  std::map<std::string, std::vector<std::string>> rows;
  for (const auto& [table, columns] : tables) {
    std::string select;
    for (const Column& column : columns) {
      select += (select.empty() ? "" : " || '|' || ") + std::string("quote(\"") + column.name +
                "\")";
    }
    Statement s = db.Prepare("SELECT " + select + " FROM \"" + table + "\" ORDER BY 1");
    auto& out = rows[table];
    while (s.Step()) out.push_back(s.Text(0));
  }
  return rows;
}

// The first column of every row a PRAGMA returns.
std::vector<std::string> PragmaLines(Database& db, const std::string& pragma) {
  std::vector<std::string> lines;
  Statement s = db.Prepare("PRAGMA " + pragma);
  while (s.Step()) lines.push_back(s.Text(0));
  return lines;
}

class MigrationUpgradeTest : public ::testing::TestWithParam<int> {};

TEST_P(MigrationUpgradeTest, ReachesTheLatestSchemaKeepingEveryRow) {
  const int from = GetParam();
  TempDir dir;
  std::string fresh_schema;
  {
    Database fresh(dir.File("fresh.db"));
    Migrate(fresh);
    fresh_schema = Schema(fresh);
  }

  Database db(dir.File("v" + std::to_string(from) + ".db"));
  MigrateTo(db, from);
  ASSERT_EQ(db.QueryInt("PRAGMA user_version"), from);
  WriteRealisticRows(db, from);
  FillEmptyTables(db);
  const ColumnsByTable old_columns = ColumnsOfEveryTable(db);
  const auto old_rows = Rows(db, old_columns);
  for (const auto& [table, rows] : old_rows) EXPECT_FALSE(rows.empty()) << table;

  Migrate(db);

  EXPECT_EQ(db.QueryInt("PRAGMA user_version"), LatestSchemaVersion());
  EXPECT_EQ(Schema(db), fresh_schema);
  EXPECT_EQ(Rows(db, old_columns), old_rows);
  EXPECT_EQ(PragmaLines(db, "integrity_check"), std::vector<std::string>{"ok"});
  EXPECT_TRUE(PragmaLines(db, "foreign_key_check").empty());
  if (from >= 4) {
    RecordChain chain(db, TestHash);
    const auto records = chain.Load("FRA");
    EXPECT_EQ(records.size(), 3u);
    EXPECT_TRUE(core::VerifyChain(records, TestHash).empty());
  }

  // Twice is a no-op: same version, schema and rows.
  const auto upgraded_rows = Rows(db, ColumnsOfEveryTable(db));
  Migrate(db);
  EXPECT_EQ(db.QueryInt("PRAGMA user_version"), LatestSchemaVersion());
  EXPECT_EQ(Schema(db), fresh_schema);
  EXPECT_EQ(Rows(db, ColumnsOfEveryTable(db)), upgraded_rows);
}

// The file is closed and reopened between releases, as in an upgrade in the field.
TEST_P(MigrationUpgradeTest, UpgradesAFileReopenedByTheNewRelease) {
  const int from = GetParam();
  TempDir dir;
  const std::string path = dir.File("field.db");
  {
    Database old_release(path);
    MigrateTo(old_release, from);
    WriteRealisticRows(old_release, from);
  }
  Database new_release(path);
  Migrate(new_release);
  EXPECT_EQ(new_release.QueryInt("PRAGMA user_version"), LatestSchemaVersion());
  EXPECT_EQ(new_release.QueryInt("SELECT count(*) FROM taps"), from >= 1 ? 3 : 0);
  EXPECT_EQ(new_release.QueryInt("SELECT count(*) FROM maintenance_records"), from >= 4 ? 3 : 0);
}

INSTANTIATE_TEST_SUITE_P(EveryEarlierVersion, MigrationUpgradeTest,
                         ::testing::Range(0, LatestSchemaVersion()),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return "FromVersion" + std::to_string(info.param);
                         });

TEST(MigrateToTest, StopsAtTheVersionAskedAndNeverGoesBack) {
  TempDir dir;
  Database db(dir.File("to.db"));
  MigrateTo(db, 2);
  EXPECT_EQ(db.QueryInt("PRAGMA user_version"), 2);
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM sqlite_master WHERE name = 'devices'"), 1);
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM sqlite_master WHERE name = 'tap_evidence'"), 0);
  MigrateTo(db, 1);
  EXPECT_EQ(db.QueryInt("PRAGMA user_version"), 2);
  EXPECT_THROW(MigrateTo(db, LatestSchemaVersion() + 1), StoreError);
  EXPECT_THROW(MigrateTo(db, -1), StoreError);
}

}  // namespace
}  // namespace fieldproof::store
