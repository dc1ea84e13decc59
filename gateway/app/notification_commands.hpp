#pragma once
// `fieldproof subscription add|list|remove` and `fieldproof notification log|replay`:
// who hears of what, and what was delivered (docs/notifications.md).
#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

namespace fieldproof::app {

class NotificationCommands {
 public:
  NotificationCommands(CLI::App& subscription, CLI::App& notification);
  std::optional<int> Run(const std::string& db_path);

 private:
  int Add(const std::string& db_path) const;
  int List(const std::string& db_path) const;
  int Remove(const std::string& db_path) const;
  int Log(const std::string& db_path) const;
  int Replay(const std::string& db_path) const;

  CLI::App* add_ = nullptr;
  CLI::App* list_ = nullptr;
  CLI::App* remove_ = nullptr;
  CLI::App* log_ = nullptr;
  CLI::App* replay_ = nullptr;
  std::string name_, customer_, site_, webhook_, email_, secret_file_, status_;
  std::vector<std::string> events_;
  bool every_customer_ = false;
  int digest_hour_ = 6;
  std::int64_t id_ = 0;
  std::int64_t limit_ = 50;
  bool as_json_ = false;
};

}  // namespace fieldproof::app
