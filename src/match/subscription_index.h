// The compiled, in-memory index of active subscriptions: event -> matching subscriptions.
// Each subscription's jsonpath is parsed once (pn::jsonpath::Parse); required equalities on
// top-level string attributes (prefilter.h) are indexed so that an event is evaluated only
// against the subscriptions that can match it.
// Thread-safety: MatchSnapshot is immutable. SubscriptionIndex may be used from any thread:
// readers take the current snapshot through an atomic shared_ptr and never wait for a rebuild;
// writers (Sync, OnSubscriptionChanged) serialise among themselves.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "json/json.h"
#include "jsonpath/jsonpath.h"
#include "match/prefilter.h"
#include "model/subscription.h"
#include "store/store.h"

namespace pn::match {

struct CompiledSubscription {
  std::shared_ptr<const Subscription> subscription;
  std::shared_ptr<const jsonpath::Path> path;
  std::vector<RequiredEquality> requirements;  // checked before the full evaluation
};

// One immutable generation of the index.
class MatchSnapshot {
 public:
  // `subs` in the order ListActive returned them (matching keeps that order).
  explicit MatchSnapshot(std::vector<CompiledSubscription> subs);

  // The subscriptions whose path yields at least one result on `event`, in index order. A path
  // that fails to evaluate is "no match" and logged with the subscription's uuid.
  std::vector<std::shared_ptr<const Subscription>> Match(const Json& event) const;
  // The same answer without pre-filtering: every subscription is evaluated (tests, diagnosis).
  std::vector<std::shared_ptr<const Subscription>> MatchExhaustive(const Json& event) const;
  // How many subscriptions Match would evaluate fully for `event` (tests, metrics).
  size_t CandidateCount(const Json& event) const;

  const std::vector<CompiledSubscription>& subscriptions() const { return subs_; }
  size_t size() const { return subs_.size(); }
  // Subscriptions without a recognised prefix (evaluated for every event).
  size_t unindexed_count() const { return always_.size(); }

 private:
  std::vector<size_t> Candidates(const Json& event) const;
  bool Evaluate(const CompiledSubscription& c, const Json& event) const;

  std::vector<CompiledSubscription> subs_;
  std::vector<size_t> always_;
  // attribute -> value -> subscription positions (ascending)
  std::unordered_map<std::string, std::unordered_map<std::string, std::vector<size_t>>> by_value_;
};

class SubscriptionIndex {
 public:
  // The store must outlive the index. Starts empty: call Sync() before the first match.
  explicit SubscriptionIndex(SubscriptionStore& store);

  // Rebuilds from ListActive when the store's ChangeVersion differs from the one the current
  // snapshot was built at (changes made by any process). Cheap when nothing changed. On a
  // store error the current snapshot stays in use and the error is returned.
  Status Sync();
  // Rebuilds from ListActive unconditionally.
  Status Rebuild();
  // Patches the snapshot after the API created, updated, disabled or deleted `s` in this
  // process, so the change applies to the next event without a store round trip. An inactive
  // subscription is removed; an active one is added (at the end) or replaced in place. An
  // unparsable jsonpath removes it and returns the parse error.
  Status OnSubscriptionChanged(const Subscription& s);

  std::shared_ptr<const MatchSnapshot> snapshot() const { return current_.load(); }
  std::vector<std::shared_ptr<const Subscription>> Match(const Json& event) const {
    return snapshot()->Match(event);
  }

 private:
  // Compiles `s`, reusing the parsed path of the same uuid+jsonpath from `previous` if any.
  Result<CompiledSubscription> Compile(std::shared_ptr<const Subscription> s,
                                       const MatchSnapshot* previous) const;

  SubscriptionStore& store_;
  std::mutex write_mu_;
  std::optional<int64_t> built_version_;  // guarded by write_mu_
  std::atomic<std::shared_ptr<const MatchSnapshot>> current_;
};

}  // namespace pn::match
