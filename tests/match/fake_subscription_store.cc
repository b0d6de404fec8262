#include "fake_subscription_store.h"

#include <cstdio>

namespace pn::match::testing {

Status FakeSubscriptionStore::Insert(const Subscription& s) {
  std::lock_guard<std::mutex> lock(mu_);
  PN_RETURN_IF_ERROR(fail_);
  rows_.push_back(s);
  ++version_;
  return OkStatus();
}

Result<std::optional<Subscription>> FakeSubscriptionStore::Find(std::string_view uuid) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!fail_.ok()) return fail_;
  for (const auto& r : rows_) {
    if (r.uuid == uuid) return std::optional<Subscription>(r);
  }
  return std::optional<Subscription>();
}

Result<std::vector<Subscription>> FakeSubscriptionStore::ListForUser(std::string_view user) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!fail_.ok()) return fail_;
  std::vector<Subscription> out;
  for (const auto& r : rows_) {
    if (r.user == user && !r.deleted) out.push_back(r);
  }
  return out;
}

Result<std::vector<Subscription>> FakeSubscriptionStore::ListActive() {
  std::lock_guard<std::mutex> lock(mu_);
  ++list_active_calls_;
  if (!fail_.ok()) return fail_;
  std::vector<Subscription> out;
  for (const auto& r : rows_) {
    if (r.active()) out.push_back(r);
  }
  return out;
}

Status FakeSubscriptionStore::Update(const Subscription& s) {
  std::lock_guard<std::mutex> lock(mu_);
  PN_RETURN_IF_ERROR(fail_);
  for (auto& r : rows_) {
    if (r.uuid == s.uuid) {
      r = s;
      ++version_;
      return OkStatus();
    }
  }
  return NotFoundError("no subscription " + s.uuid);
}

Status FakeSubscriptionStore::Disable(std::string_view uuid, Timestamp when,
                                      std::string_view error) {
  std::lock_guard<std::mutex> lock(mu_);
  PN_RETURN_IF_ERROR(fail_);
  for (auto& r : rows_) {
    if (r.uuid == uuid && r.active()) {
      r.disabled = when;
      r.error = std::string(error);
      ++version_;
    }
  }
  return OkStatus();
}

Result<int64_t> FakeSubscriptionStore::CountDisabled() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!fail_.ok()) return fail_;
  int64_t n = 0;
  for (const Subscription& s : rows_) n += s.disabled && !s.deleted ? 1 : 0;
  return n;
}

Result<int64_t> FakeSubscriptionStore::ChangeVersion() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!fail_.ok()) return fail_;
  return version_;
}

int FakeSubscriptionStore::list_active_calls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return list_active_calls_;
}

void FakeSubscriptionStore::FailWith(Status s) {
  std::lock_guard<std::mutex> lock(mu_);
  fail_ = std::move(s);
}

Subscription MakeSubscription(int n, std::string jsonpath) {
  Subscription s;
  char uuid[40];
  std::snprintf(uuid, sizeof uuid, "00000000-0000-4000-8000-%012d", n);
  s.uuid = uuid;
  s.name = "sub " + std::to_string(n);
  s.jsonpath = std::move(jsonpath);
  s.user = "user" + std::to_string(n % 3);
  s.target_url = "http://127.0.0.1:9/t" + std::to_string(n);
  return s;
}

}  // namespace pn::match::testing
