// IndexRefresher: subscription changes made behind the index's back (by another process sharing
// the database) reach it through store notifications, or by polling when the store has none;
// an unreachable store keeps the current index and the refresher recovers by itself.
#include "app/index_refresher.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "fakes/memory_store.h"

namespace pn::app {
namespace {

using namespace std::chrono_literals;

Subscription Sub(int n) {
  Subscription s;
  s.uuid = "00000000-0000-4000-8000-00000000000" + std::to_string(n);
  s.name = "s" + std::to_string(n);
  s.jsonpath = "$";
  s.user = "u";
  s.target_url = "http://127.0.0.1:9/hook";
  return s;
}

// Polls `done` until true, or false after 10 s (a bound for a broken refresher, not a timing).
template <typename Done>
bool Eventually(Done done) {
  auto until = std::chrono::steady_clock::now() + 10s;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

// Forwards to another store's subscriptions but has no change notifications of its own (the
// interface's default WaitForChange answers Unimplemented), as a store that can only be polled.
class PollingOnlySubscriptions : public SubscriptionStore {
 public:
  explicit PollingOnlySubscriptions(SubscriptionStore& inner) : inner_(inner) {}

  Status Insert(const Subscription& s) override { return inner_.Insert(s); }
  Result<std::optional<Subscription>> Find(std::string_view uuid) override {
    return inner_.Find(uuid);
  }
  Result<std::vector<Subscription>> ListForUser(std::string_view user) override {
    return inner_.ListForUser(user);
  }
  Result<std::vector<Subscription>> ListActive() override { return inner_.ListActive(); }
  Status Update(const Subscription& s) override { return inner_.Update(s); }
  Status Disable(std::string_view uuid, Timestamp when, std::string_view error) override {
    return inner_.Disable(uuid, when, error);
  }
  Result<int64_t> CountDisabled() override { return inner_.CountDisabled(); }
  Result<int64_t> ChangeVersion() override { return inner_.ChangeVersion(); }

 protected:
  SubscriptionStore& inner_;
};

// Subscriptions that announce their changes, as PostgreSQL's LISTEN/NOTIFY does, and count the
// waits; Release() ends every wait (so a test can stop a refresher waiting on it).
class NotifyingSubscriptions final : public PollingOnlySubscriptions {
 public:
  using PollingOnlySubscriptions::PollingOnlySubscriptions;

  Status Insert(const Subscription& s) override {
    Status st = inner_.Insert(s);
    cv_.notify_all();
    return st;
  }
  Status Update(const Subscription& s) override {
    Status st = inner_.Update(s);
    cv_.notify_all();
    return st;
  }
  Status Disable(std::string_view uuid, Timestamp when, std::string_view error) override {
    Status st = inner_.Disable(uuid, when, error);
    cv_.notify_all();
    return st;
  }
  Status WaitForChange(int64_t seen, Duration timeout) override {
    std::unique_lock lock(mu_);
    ++waits_;
    bool changed = cv_.wait_for(lock, timeout, [&] {
      auto v = inner_.ChangeVersion();
      return released_ || (v.ok() && *v > seen);
    });
    return changed && !released_ ? OkStatus() : DeadlineExceededError("no change");
  }
  void Release() {
    {
      std::lock_guard lock(mu_);
      released_ = true;
    }
    cv_.notify_all();
  }
  int waits() {
    std::lock_guard lock(mu_);
    return waits_;
  }

 private:
  std::mutex mu_;
  std::condition_variable_any cv_;
  bool released_ = false;
  int waits_ = 0;
};

TEST(IndexRefresher, ChangeByAnotherWriterReachesTheIndexByPollingWhenTheStoreCannotNotify) {
  testing::MemoryStore store;
  PollingOnlySubscriptions subscriptions(store.subscriptions());
  match::SubscriptionIndex index(subscriptions);
  ASSERT_TRUE(index.Sync().ok());
  IndexRefresher refresher(subscriptions, index, {.poll_interval = 10ms});
  ASSERT_TRUE(store.subscriptions().Insert(Sub(1)).ok());  // not through the index
  EXPECT_TRUE(Eventually([&] { return index.snapshot()->size() == 1; }));
}

TEST(IndexRefresher, NotifyingStoreWakesItLongBeforeThePollInterval) {
  testing::MemoryStore store;
  NotifyingSubscriptions subscriptions(store.subscriptions());
  match::SubscriptionIndex index(subscriptions);
  ASSERT_TRUE(index.Sync().ok());
  // A poll interval no test waits for: only the notification can bring the change in.
  IndexRefresher refresher(subscriptions, index, {.poll_interval = 1h});
  ASSERT_TRUE(Eventually([&] { return subscriptions.waits() >= 1; }));
  ASSERT_TRUE(subscriptions.Insert(Sub(1)).ok());
  EXPECT_TRUE(Eventually([&] { return index.snapshot()->size() == 1; }));
  ASSERT_TRUE(subscriptions.Insert(Sub(2)).ok());
  EXPECT_TRUE(Eventually([&] { return index.snapshot()->size() == 2; }));
  subscriptions.Release();
  refresher.Stop();
}

TEST(IndexRefresher, UnreachableStoreKeepsTheIndexAndTheRefresherRecoversByItself) {
  testing::MemoryStore store;
  ASSERT_TRUE(store.subscriptions().Insert(Sub(1)).ok());
  match::SubscriptionIndex index(store.subscriptions());
  ASSERT_TRUE(index.Sync().ok());
  IndexRefresher refresher(store.subscriptions(), index,
                           {.poll_interval = 5ms, .error_wait = 5ms});
  store.SetUnavailable(true);
  ASSERT_TRUE(Eventually([&] { return refresher.failures() >= 2; }));
  EXPECT_EQ(index.snapshot()->size(), 1u);  // matching goes on with what it knew
  store.SetUnavailable(false);
  ASSERT_TRUE(store.subscriptions().Insert(Sub(2)).ok());
  EXPECT_TRUE(Eventually([&] { return index.snapshot()->size() == 2; }));
}

TEST(IndexRefresher, StopEndsALongPollAtOnce) {
  testing::MemoryStore store;
  PollingOnlySubscriptions subscriptions(store.subscriptions());
  match::SubscriptionIndex index(subscriptions);
  IndexRefresher refresher(subscriptions, index, {.poll_interval = 1h});
  ASSERT_TRUE(Eventually([&] { return refresher.syncs() >= 1; }));
  refresher.Stop();  // would block for the hour if the pause did not hear it
  refresher.Stop();  // idempotent
  EXPECT_EQ(refresher.syncs(), 1);
}

}  // namespace
}  // namespace pn::app
