// A SubscriptionStore over a vector, counting ListActive calls and able to fail on demand, for
// the index tests. Thread-safety: internally locked.
#pragma once

#include <mutex>
#include <vector>

#include "store/store.h"

namespace pn::match::testing {

class FakeSubscriptionStore final : public SubscriptionStore {
 public:
  Status Insert(const Subscription& s) override;
  Result<std::optional<Subscription>> Find(std::string_view uuid) override;
  Result<std::vector<Subscription>> ListForUser(std::string_view user) override;
  Result<std::vector<Subscription>> ListActive() override;
  Status Update(const Subscription& s) override;
  Status Disable(std::string_view uuid, Timestamp when, std::string_view error) override;
  Result<int64_t> CountDisabled() override;
  Result<int64_t> ChangeVersion() override;

  int list_active_calls() const;
  void FailWith(Status s);  // every later call returns s (OK clears)

 private:
  mutable std::mutex mu_;
  std::vector<Subscription> rows_;
  int64_t version_ = 0;
  int list_active_calls_ = 0;
  Status fail_;
};

// An enabled subscription with the given uuid suffix and jsonpath.
Subscription MakeSubscription(int n, std::string jsonpath);

}  // namespace pn::match::testing
