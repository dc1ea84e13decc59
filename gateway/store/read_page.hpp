#pragma once
// One page of a list query that selects `LIMIT limit + 1` rows, the one extra telling
// whether more follow.
#include "gateway/core/views.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::store {

// Reads the rows of `s` with `read`.
template <class T, class Read>
core::Page<T> ReadPage(Statement& s, core::PageRequest page, Read read) {
  core::Page<T> result{{}, page, false};
  while (s.Step()) {
    if (static_cast<std::int64_t>(result.items.size()) == page.limit) {
      result.more = true;
      s.Reset();
      break;
    }
    result.items.push_back(read(s));
  }
  return result;
}

}  // namespace fieldproof::store
