// Status and Result<T>: expected failures travel as values, never as exceptions across modules.
// Thread-safety: plain values; safe to copy between threads.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace pn {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // the caller sent something malformed (HTTP 400)
  kNotFound,            // no such thing (HTTP 404, or 403 where existence must not leak)
  kPermissionDenied,    // exists but not yours (HTTP 403)
  kAlreadyExists,       // unique key taken (HTTP 409)
  kFailedPrecondition,  // e.g. schema out of date (HTTP 409 / refuse to start)
  kResourceExhausted,   // too large, disk full (HTTP 413 / 507)
  kUnavailable,         // a peer or the database cannot be reached now; retry later (HTTP 503)
  kDeadlineExceeded,    // timed out (HTTP 504)
  kUnimplemented,       // (HTTP 501)
  kInternal,            // a bug or an unexpected library failure (HTTP 500)
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "INVALID_ARGUMENT: message", for logs.
  std::string ToString() const;
  // Prefixes the message with context ("opening db: ..."), keeping the code.
  Status WithContext(std::string_view context) const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status OkStatus() { return Status(); }
inline Status InvalidArgumentError(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
inline Status NotFoundError(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status PermissionDeniedError(std::string m) { return {StatusCode::kPermissionDenied, std::move(m)}; }
inline Status AlreadyExistsError(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
inline Status FailedPreconditionError(std::string m) { return {StatusCode::kFailedPrecondition, std::move(m)}; }
inline Status ResourceExhaustedError(std::string m) { return {StatusCode::kResourceExhausted, std::move(m)}; }
inline Status UnavailableError(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
inline Status DeadlineExceededError(std::string m) { return {StatusCode::kDeadlineExceeded, std::move(m)}; }
inline Status UnimplementedError(std::string m) { return {StatusCode::kUnimplemented, std::move(m)}; }
inline Status InternalError(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

// Result<T>: either a T or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design, like StatusOr
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok() && "Result built from an OK status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T value_or(T fallback) const& { return ok() ? value() : std::move(fallback); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace pn

#define PN_CONCAT_INNER(a, b) a##b
#define PN_CONCAT(a, b) PN_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function when expr is not OK.
#define PN_RETURN_IF_ERROR(expr)              \
  do {                                        \
    ::pn::Status pn_status_ = (expr);         \
    if (!pn_status_.ok()) return pn_status_;  \
  } while (0)

// PN_ASSIGN_OR_RETURN(auto x, MakeX()); returns the error Status when MakeX() fails.
#define PN_ASSIGN_OR_RETURN(lhs, expr) \
  PN_ASSIGN_OR_RETURN_IMPL(PN_CONCAT(pn_result_, __LINE__), lhs, expr)
#define PN_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = std::move(tmp).value()
