// Helpers for reading every row of a statement into a vector.
// Thread-safety: operate on the statement given.
#pragma once

#include <optional>
#include <vector>

#include "common/status.h"
#include "store/sqlite/sqlite_connection.h"

namespace pn::sqlite {

template <typename T>
Result<std::vector<T>> CollectRows(Statement& st, Result<T> (*read)(const Statement&)) {
  std::vector<T> out;
  while (true) {
    PN_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    PN_ASSIGN_OR_RETURN(T value, read(st));
    out.push_back(std::move(value));
  }
}

template <typename T>
Result<std::optional<T>> FirstRow(Statement& st, Result<T> (*read)(const Statement&)) {
  PN_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<T>();
  PN_ASSIGN_OR_RETURN(T value, read(st));
  return std::optional<T>(std::move(value));
}

}  // namespace pn::sqlite
