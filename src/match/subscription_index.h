// The compiled, in-memory index of active subscriptions: event -> matching subscriptions.
// Each distinct jsonpath is parsed once and shared by the subscriptions that use it; required
// equalities (prefilter.h) on event attributes and on members of a top-level array's elements
// are indexed, each subscription under its most selective one, so an event is evaluated only
// against the subscriptions that can match it. The index keeps what matching needs (uuid,
// parsed path), not the subscription rows.
// Thread-safety: MatchSnapshot is immutable. SubscriptionIndex may be used from any thread:
// readers take the current snapshot through an atomic shared_ptr and never wait for a change;
// writers (Sync, Rebuild, OnSubscriptionChanged) serialise among themselves. A change patches
// a copy of the snapshot that shares every untouched part of it (cow_shards.h).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "json/json.h"
#include "jsonpath/jsonpath.h"
#include "match/cow_shards.h"
#include "match/prefilter.h"
#include "model/subscription.h"
#include "store/store.h"

namespace pn::match {

// A jsonpath with its index keys; shared by the subscriptions with the same text.
//
// The parsed form is built on first use: a subscription filed under a requirement is evaluated
// only for events that meet it, so with many subscriptions most are never evaluated, and their
// parsed trees (about ten times the size of the text) would be most of the index's memory. One
// that has no requirement, a candidate for every event, is parsed when compiled.
class CompiledPath {
 public:
  // One requirement (prefilter.h): the attribute it tests (an id the index hands out for each
  // distinct (within, attribute)) and the hashed keys of its values (IndexKey), any of which
  // satisfies it.
  struct Requirement {
    uint32_t probe = 0;
    std::vector<uint64_t> keys;
  };

  // `text` must parse (the index compiles only texts that did); `parsed` may be given when the
  // caller has it already.
  CompiledPath(std::string text, std::vector<Requirement> requirements,
               std::shared_ptr<const jsonpath::Path> parsed = nullptr);

  const std::string& text() const { return text_; }
  const std::vector<Requirement>& requirements() const { return requirements_; }  // all must hold
  // The parsed path, parsing it on the first call (thread-safe). Null only if the text no longer
  // parses, which a build of the same engine cannot cause.
  const jsonpath::Path* path() const;
  bool parsed() const;  // whether path() has been built (tests, diagnosis)

 private:
  std::string text_;
  std::vector<Requirement> requirements_;
  mutable std::once_flag parse_once_;
  mutable std::shared_ptr<const jsonpath::Path> path_;  // written once, under parse_once_
  mutable std::atomic<bool> parsed_{false};
};

// One active subscription as matching needs it.
struct IndexedSubscription {
  std::string uuid;
  std::shared_ptr<const CompiledPath> compiled;
  uint64_t order = 0;  // matching answers in ascending order (store order, then arrival)
  int filed = -1;      // the requirement it is filed under, -1: a candidate for every event
};

using SubscriptionRef = std::shared_ptr<const IndexedSubscription>;

// Hash of (within, attribute, EqualityKey). Distinct keys may collide: that only adds
// candidates, which are evaluated in full.
uint64_t IndexKey(std::string_view within, std::string_view attribute, std::string_view key);

// One immutable generation of the index.
class MatchSnapshot {
 public:
  MatchSnapshot() = default;

  // The subscriptions whose path yields at least one result on `event`, in index order. A path
  // that fails to evaluate is "no match" and logged with the subscription's uuid.
  std::vector<SubscriptionRef> Match(const Json& event) const;
  // The same answer without pre-filtering: every subscription is evaluated (tests, diagnosis).
  std::vector<SubscriptionRef> MatchExhaustive(const Json& event) const;
  // How many subscriptions Match would evaluate fully for `event` (tests, metrics).
  size_t CandidateCount(const Json& event) const;

  size_t size() const { return size_; }
  // Subscriptions without a recognised requirement (evaluated for every event).
  size_t unindexed_count() const;
  // The subscription with this uuid, or null.
  SubscriptionRef Find(std::string_view uuid) const;

 private:
  friend class SubscriptionIndex;

  // Subscriptions filed under one key, and how many subscriptions require that key at all
  // (the selectivity used to choose where to file the next one).
  struct Bucket {
    std::shared_ptr<const std::vector<SubscriptionRef>> filed;
    uint32_t naming = 0;
  };
  // An attribute some requirement tests, with the number of requirements testing it.
  struct Probe {
    uint32_t id = 0;
    std::string within;
    std::string attribute;
    size_t uses = 0;
  };

  // Pointers into this snapshot, in index order, each subscription once.
  std::vector<const SubscriptionRef*> Candidates(const Json& event) const;
  static bool Evaluate(const IndexedSubscription& s, const Json& event);

  // Writer side (SubscriptionIndex, under its lock, on a private copy). `names` gives a probe
  // id's (within, attribute).
  using ProbeNames = std::vector<std::pair<std::string, std::string>>;
  void Add(IndexedSubscription s, const ProbeNames& names);
  void Remove(const SubscriptionRef& s);
  void CountProbe(uint32_t id, int delta, const ProbeNames& names);

  CowShards<uint64_t, Bucket> buckets_;
  CowShards<std::string_view, SubscriptionRef> by_uuid_;  // keys view the entries' uuids
  std::shared_ptr<const std::vector<SubscriptionRef>> always_ =
      std::make_shared<const std::vector<SubscriptionRef>>();
  std::shared_ptr<const std::vector<Probe>> probes_ = std::make_shared<const std::vector<Probe>>();
  size_t size_ = 0;
  uint64_t next_order_ = 0;
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
  // unparsable jsonpath removes it and returns the parse error. Cost: the touched buckets and
  // shards, not the number of subscriptions.
  Status OnSubscriptionChanged(const Subscription& s);

  std::shared_ptr<const MatchSnapshot> snapshot() const { return current_.load(); }
  std::vector<SubscriptionRef> Match(const Json& event) const { return snapshot()->Match(event); }

 private:
  // Parses `s.jsonpath` and returns the shared compiled form of what it renders to.
  Result<std::shared_ptr<const CompiledPath>> Compile(const Subscription& s);
  // Forgets interned paths no subscription uses any more.
  void PruneInterned();

  SubscriptionStore& store_;
  std::mutex write_mu_;
  std::optional<int64_t> built_version_;  // guarded by write_mu_
  // jsonpath text hash -> compiled paths with that hash (guarded by write_mu_). Holds a
  // reference; pruned when it is the only one left.
  std::unordered_multimap<uint64_t, std::shared_ptr<const CompiledPath>> interned_;
  // Probe ids: "within\0attribute" -> id, and back (guarded by write_mu_; only grows, bounded
  // by the distinct attribute names subscriptions test).
  std::unordered_map<std::string, uint32_t> probe_ids_;
  MatchSnapshot::ProbeNames probe_names_;
  std::atomic<std::shared_ptr<const MatchSnapshot>> current_;
};

}  // namespace pn::match
