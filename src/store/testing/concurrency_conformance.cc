// Conformance: the store used from several threads at once.
#include <set>
#include <thread>

#include "store/testing/store_conformance.h"

namespace pn::testing {
namespace {

TEST_P(ConcurrencyConformanceTest, ConcurrentAppendsAllLand) {
  Subscription sub = MakeSubscription("johndoe", T0());
  PN_ASSERT_OK(store_->subscriptions().Insert(sub));
  constexpr int kThreads = 4;
  constexpr int kEventsPerThread = 40;
  // Ids are made up front: the fixture's random source is not thread-safe.
  std::vector<std::vector<NewEvent>> work(kThreads);
  for (auto& items : work) {
    for (int i = 0; i < kEventsPerThread; ++i) {
      NewEvent item{MakeEvent(T0() + std::chrono::seconds(1)), {}};
      item.deliveries.push_back(MakeDelivery(item.event, sub, T0()));
      items.push_back(std::move(item));
    }
  }
  std::vector<Status> results(kThreads * kEventsPerThread);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEventsPerThread; ++i) {
        results[t * kEventsPerThread + i] =
            store_->events().Append(std::span<const NewEvent>(&work[t][i], 1));
        (void)store_->subscriptions().ListActive();  // readers interleaved with writers
      }
    });
  }
  for (auto& th : threads) th.join();
  for (const Status& s : results) EXPECT_TRUE(s.ok()) << s.ToString();
  auto events = Must(store_->events().ListEvents(T0(), T0() + std::chrono::seconds(2), 1000));
  EXPECT_EQ(events.size(), size_t{kThreads * kEventsPerThread});
  EXPECT_EQ(Must(store_->deliveries().CountPending()), kThreads * kEventsPerThread);
}

TEST_P(ConcurrencyConformanceTest, ConcurrentClaimsNeverHandOutOneDeliveryTwice) {
  std::vector<Delivery> due = SeedPending(60, T0());
  constexpr int kThreads = 4;
  std::vector<std::vector<Delivery>> claimed(kThreads);
  std::vector<Status> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      while (true) {
        auto batch = store_->deliveries().ClaimDue(T0(), 7, "w" + std::to_string(t),
                                                   T0() + std::chrono::minutes(1));
        if (!batch.ok()) {
          errors[t] = batch.status();
          return;
        }
        if (batch->empty()) return;
        claimed[t].insert(claimed[t].end(), batch->begin(), batch->end());
      }
    });
  }
  for (auto& th : threads) th.join();
  for (const Status& s : errors) EXPECT_TRUE(s.ok()) << s.ToString();
  std::multiset<std::string> all;
  for (const auto& c : claimed) {
    for (const auto& d : c) all.insert(d.uuid);
  }
  std::set<std::string> unique(all.begin(), all.end());
  EXPECT_EQ(all.size(), due.size());
  EXPECT_EQ(unique.size(), due.size());
}

}  // namespace
}  // namespace pn::testing
