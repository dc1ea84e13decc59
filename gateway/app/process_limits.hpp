#pragma once
// What a fieldproof process sets up about itself before it opens anything: who may read the
// files it creates, how many descriptors it may hold, and a refusal of secrets that every
// user of the machine can read (docs/security.md).
#include <sys/resource.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace fieldproof::app {

// The database, its -wal and -shm (SQLite gives them the database's mode), the intake
// journal, backups and invoice exports: the owner reads and writes, its group reads, nobody
// else. A umask, so that no code path can forget it.
inline void RestrictNewFiles() { ::umask(027); }

// A file this process owns that an earlier version created readable by everybody: take the
// others' bits away. Returns the old mode when it changed something, for a warning.
inline std::optional<std::filesystem::perms> TakeAwayOthersAccess(const std::filesystem::path& file) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::perms mode = fs::status(file, ec).permissions();
  if (ec || (mode & fs::perms::others_all) == fs::perms::none) return std::nullopt;
  fs::permissions(file, fs::perms::others_all, fs::perm_options::remove, ec);
  return ec ? std::nullopt : std::optional(mode);
}

inline std::string OctalMode(std::filesystem::perms mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode) & 07777u);
  return text;
}

// The site master key derives every tag's keys: a key file other users can read, write or
// replace is refused, with the command that fixes it. Empty when the file is private enough.
inline std::string ExposedSecret(const std::string& path,
                                 std::string_view holds = "the site master key") {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::perms mode = fs::status(path, ec).permissions();
  if (ec || (mode & fs::perms::others_all) == fs::perms::none) return "";
  return path + " can be read or changed by every user of this machine (mode " + OctalMode(mode) +
         "); it holds " + std::string(holds) + ": chmod 600 " + path;
}

// The soft descriptor limit raised as far as the hard limit allows (at most 65,536): every
// HTTP connection, MQTT socket, SQLite file and journal segment is one. Returns the limit.
inline rlim_t RaiseDescriptorLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  const rlim_t wanted = std::min<rlim_t>(limit.rlim_max, 65536);
  if (limit.rlim_cur < wanted) {
    limit.rlim_cur = wanted;
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) ::getrlimit(RLIMIT_NOFILE, &limit);
  }
  return limit.rlim_cur;
}

}  // namespace fieldproof::app
