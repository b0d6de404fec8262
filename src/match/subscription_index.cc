#include "match/subscription_index.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <functional>
#include <utility>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace pn::match {
namespace {

uint64_t Mix(uint64_t a, uint64_t b) { return a ^ (b + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2)); }

uint64_t Hash(std::string_view s) { return std::hash<std::string_view>{}(s); }

// Copy of `list` plus `s` (published vectors are immutable).
std::shared_ptr<const std::vector<SubscriptionRef>> With(
    const std::shared_ptr<const std::vector<SubscriptionRef>>& list, const SubscriptionRef& s) {
  auto out = std::make_shared<std::vector<SubscriptionRef>>();
  out->reserve((list ? list->size() : 0) + 1);
  if (list) out->assign(list->begin(), list->end());
  out->push_back(s);
  return out;
}

// Copy of `list` without `s`; null when nothing is left.
std::shared_ptr<const std::vector<SubscriptionRef>> Without(
    const std::shared_ptr<const std::vector<SubscriptionRef>>& list,
    const IndexedSubscription* s) {
  if (!list) return nullptr;
  auto out = std::make_shared<std::vector<SubscriptionRef>>();
  out->reserve(list->size());
  for (const auto& x : *list) {
    if (x.get() != s) out->push_back(x);
  }
  if (out->empty()) return nullptr;
  return out;
}

}  // namespace

uint64_t IndexKey(std::string_view within, std::string_view attribute, std::string_view key) {
  return Mix(Mix(Hash(within), Hash(attribute)), Hash(key));
}

// ---- MatchSnapshot: reading ----------------------------------------------------------------

std::vector<const SubscriptionRef*> MatchSnapshot::Candidates(const Json& event) const {
  std::vector<const SubscriptionRef*> out;
  out.reserve(always_->size());
  for (const auto& s : *always_) out.push_back(&s);
  auto take = [&](const std::string& within, const std::string& attribute, const Json& value) {
    auto key = EqualityKey(value);
    if (!key) return;
    const Bucket* bucket = buckets_.Find(IndexKey(within, attribute, *key));
    if (bucket == nullptr || !bucket->filed) return;
    for (const auto& s : *bucket->filed) out.push_back(&s);
  };
  if (event.is_object()) {
    for (const Probe& probe : *probes_) {
      if (probe.within.empty()) {
        auto it = event.find(probe.attribute);
        if (it != event.end()) take(probe.within, probe.attribute, *it);
        continue;
      }
      auto holder = event.find(probe.within);
      if (holder == event.end() || !holder->is_structured()) continue;
      for (const auto& element : *holder) {  // array elements or object member values
        if (!element.is_object()) continue;
        auto it = element.find(probe.attribute);
        if (it != element.end()) take(probe.within, probe.attribute, *it);
      }
    }
  }
  // Index order, each once: an element-level key can be found in several elements.
  std::sort(out.begin(), out.end(),
            [](const auto* a, const auto* b) { return (*a)->order < (*b)->order; });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const auto* a, const auto* b) { return a->get() == b->get(); }),
            out.end());
  return out;
}

CompiledPath::CompiledPath(std::string text, std::vector<Requirement> requirements,
                           std::shared_ptr<const jsonpath::Path> parsed)
    : text_(std::move(text)), requirements_(std::move(requirements)) {
  requirements_.shrink_to_fit();
  if (parsed) {
    std::call_once(parse_once_, [&] { path_ = std::move(parsed); });
    parsed_.store(true, std::memory_order_release);
  }
}

const jsonpath::Path* CompiledPath::path() const {
  std::call_once(parse_once_, [this] {
    auto parsed = jsonpath::Parse(text_);
    if (parsed.ok()) path_ = std::move(parsed).value();
    parsed_.store(true, std::memory_order_release);
  });
  return path_.get();
}

bool CompiledPath::parsed() const { return parsed_.load(std::memory_order_acquire); }

bool MatchSnapshot::Evaluate(const IndexedSubscription& s, const Json& event) {
  const jsonpath::Path* path = s.compiled->path();
  if (path == nullptr) {
    spdlog::warn("subscription {}: jsonpath no longer parses, counted as no match", s.uuid);
    return false;
  }
  auto matched = jsonpath::Matches(*path, event);
  if (!matched.ok()) {
    spdlog::warn("subscription {}: jsonpath evaluation failed, counted as no match: {}", s.uuid,
                 matched.status().message());
    return false;
  }
  return *matched;
}

std::vector<SubscriptionRef> MatchSnapshot::Match(const Json& event) const {
  std::vector<SubscriptionRef> out;
  for (const SubscriptionRef* s : Candidates(event)) {
    if (Evaluate(**s, event)) out.push_back(*s);
  }
  return out;
}

std::vector<SubscriptionRef> MatchSnapshot::MatchExhaustive(const Json& event) const {
  std::vector<SubscriptionRef> all;
  all.reserve(size_);
  by_uuid_.ForEach([&](std::string_view, const SubscriptionRef& s) { all.push_back(s); });
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a->order < b->order; });
  std::vector<SubscriptionRef> out;
  for (auto& s : all) {
    if (Evaluate(*s, event)) out.push_back(std::move(s));
  }
  return out;
}

size_t MatchSnapshot::CandidateCount(const Json& event) const { return Candidates(event).size(); }

size_t MatchSnapshot::unindexed_count() const { return always_->size(); }

SubscriptionRef MatchSnapshot::Find(std::string_view uuid) const {
  const SubscriptionRef* s = by_uuid_.Find(uuid);
  return s ? *s : nullptr;
}

// ---- MatchSnapshot: patching (writer only, on an unpublished copy) --------------------------

void MatchSnapshot::CountProbe(uint32_t id, int delta, const ProbeNames& names) {
  auto probes = std::make_shared<std::vector<Probe>>(*probes_);
  auto it = std::find_if(probes->begin(), probes->end(),
                         [&](const Probe& p) { return p.id == id; });
  if (it == probes->end()) {
    if (delta <= 0) return;
    it = probes->insert(probes->end(), Probe{id, names[id].first, names[id].second, 0});
  }
  it->uses = static_cast<size_t>(static_cast<int64_t>(it->uses) + delta);
  if (it->uses == 0) probes->erase(it);
  probes_ = std::move(probes);
}

void MatchSnapshot::Add(IndexedSubscription s, const ProbeNames& names) {
  const auto& reqs = s.compiled->requirements();
  // File under the requirement the fewest subscriptions name (most selective); ties: first.
  uint64_t best_cost = UINT64_MAX;
  for (size_t r = 0; r < reqs.size(); ++r) {
    uint64_t cost = 0;
    for (uint64_t key : reqs[r].keys) {
      Bucket& b = buckets_.Mutable(key);
      ++b.naming;
      cost += b.naming;
    }
    if (cost < best_cost) {
      best_cost = cost;
      s.filed = static_cast<int>(r);
    }
    CountProbe(reqs[r].probe, +1, names);
  }
  auto ref = std::make_shared<const IndexedSubscription>(std::move(s));
  if (ref->filed < 0) {
    always_ = With(always_, ref);
  } else {
    for (uint64_t key : reqs[static_cast<size_t>(ref->filed)].keys) {
      Bucket& b = buckets_.Mutable(key);
      b.filed = With(b.filed, ref);
    }
  }
  by_uuid_.Mutable(ref->uuid) = ref;
  ++size_;
}

void MatchSnapshot::Remove(const SubscriptionRef& s) {
  const auto& reqs = s->compiled->requirements();
  if (s->filed < 0) {
    auto rest = Without(always_, s.get());
    always_ = rest ? rest : std::make_shared<const std::vector<SubscriptionRef>>();
  }
  for (size_t r = 0; r < reqs.size(); ++r) {
    for (uint64_t key : reqs[r].keys) {
      Bucket& b = buckets_.Mutable(key);
      if (static_cast<int>(r) == s->filed) b.filed = Without(b.filed, s.get());
      if (b.naming > 0) --b.naming;
      if (b.naming == 0 && !b.filed) buckets_.Erase(key);
    }
    CountProbe(reqs[r].probe, -1, {});
  }
  by_uuid_.Erase(s->uuid);  // last: the key views this entry's uuid
  --size_;
}

// ---- SubscriptionIndex -----------------------------------------------------------------------

SubscriptionIndex::SubscriptionIndex(SubscriptionStore& store)
    : store_(store), current_(std::make_shared<const MatchSnapshot>()) {}

Result<std::shared_ptr<const CompiledPath>> SubscriptionIndex::Compile(const Subscription& s) {
  // Share one compiled copy between identical texts.
  const uint64_t h = Hash(s.jsonpath);
  auto [first, last] = interned_.equal_range(h);
  for (auto it = first; it != last; ++it) {
    if (it->second->text() == s.jsonpath) return it->second;
  }
  auto parsed = jsonpath::Parse(s.jsonpath);
  if (!parsed.ok()) {
    return parsed.status().WithContext("subscription " + s.uuid + " has an invalid jsonpath");
  }
  std::vector<CompiledPath::Requirement> requirements;
  for (const RequiredEquality& req : AnalyzeRequiredEqualities(s.jsonpath)) {
    std::string probe_name = req.within;
    probe_name.push_back('\0');
    probe_name.append(req.attribute);
    auto [id, inserted] =
        probe_ids_.try_emplace(std::move(probe_name), static_cast<uint32_t>(probe_names_.size()));
    if (inserted) probe_names_.emplace_back(req.within, req.attribute);
    CompiledPath::Requirement r;
    r.probe = id->second;
    for (const auto& v : req.values) r.keys.push_back(IndexKey(req.within, req.attribute, StringKey(v)));
    for (int64_t i : req.integers) {
      r.keys.push_back(IndexKey(req.within, req.attribute, IntegerKey(i)));
    }
    std::sort(r.keys.begin(), r.keys.end());
    r.keys.erase(std::unique(r.keys.begin(), r.keys.end()), r.keys.end());
    if (!r.keys.empty()) requirements.push_back(std::move(r));
  }
  // Without a requirement it is evaluated for every event: keep the parse. With one, drop it
  // and parse again on the first event that meets the requirements.
  std::shared_ptr<const jsonpath::Path> keep;
  if (requirements.empty()) keep = std::move(parsed).value();
  auto compiled =
      std::make_shared<const CompiledPath>(s.jsonpath, std::move(requirements), std::move(keep));
  interned_.emplace(h, compiled);
  return compiled;
}

void SubscriptionIndex::PruneInterned() {
  for (auto it = interned_.begin(); it != interned_.end();) {
    // Only this table (and no snapshot, not even one a reader still holds) refers to it.
    it = it->second.use_count() == 1 ? interned_.erase(it) : std::next(it);
  }
}

Status SubscriptionIndex::Sync() {
  PN_ASSIGN_OR_RETURN(int64_t version, store_.ChangeVersion());
  {
    std::lock_guard<std::mutex> lock(write_mu_);
    if (built_version_ == version) return OkStatus();
  }
  return Rebuild();
}

Status SubscriptionIndex::Rebuild() {
  std::lock_guard<std::mutex> lock(write_mu_);
  // The version is read before the rows: a change racing with the listing makes the next
  // Sync rebuild again instead of being missed.
  PN_ASSIGN_OR_RETURN(int64_t version, store_.ChangeVersion());
  std::vector<IndexedSubscription> entries;
  {
    PN_ASSIGN_OR_RETURN(std::vector<Subscription> rows, store_.ListActive());
    entries.reserve(rows.size());
    for (const Subscription& row : rows) {
      if (!row.active()) continue;
      auto compiled = Compile(row);
      if (!compiled.ok()) {
        // Stored by an older release or edited by hand: it can never match; say so per build.
        spdlog::error("{}; it is skipped until fixed", compiled.status().message());
        continue;
      }
      IndexedSubscription e;
      e.uuid = row.uuid;
      e.compiled = std::move(compiled).value();
      e.order = entries.size();
      entries.push_back(std::move(e));
    }
  }  // the rows are freed here: only the compiled form stays

  // Built in place (nothing is shared yet): count how many subscriptions name each key, then
  // file each subscription under its requirement with the fewest.
  auto next = std::make_shared<MatchSnapshot>();
  next->buckets_ = CowShards<uint64_t, MatchSnapshot::Bucket>(entries.size());
  next->by_uuid_ = CowShards<std::string_view, SubscriptionRef>(entries.size());
  std::unordered_map<uint64_t, uint32_t> naming;
  std::vector<size_t> probe_uses(probe_names_.size(), 0);
  for (const auto& e : entries) {
    for (const auto& r : e.compiled->requirements()) {
      for (uint64_t key : r.keys) ++naming[key];
      ++probe_uses[r.probe];
    }
  }
  std::unordered_map<uint64_t, std::vector<SubscriptionRef>> filed;
  std::vector<SubscriptionRef> always;
  for (auto& e : entries) {
    const auto& reqs = e.compiled->requirements();
    uint64_t best_cost = UINT64_MAX;
    for (size_t r = 0; r < reqs.size(); ++r) {
      uint64_t cost = 0;
      for (uint64_t key : reqs[r].keys) cost += naming[key];
      if (cost < best_cost) {
        best_cost = cost;
        e.filed = static_cast<int>(r);
      }
    }
    auto ref = std::make_shared<const IndexedSubscription>(std::move(e));
    if (ref->filed < 0) {
      always.push_back(ref);
    } else {
      for (uint64_t key : reqs[static_cast<size_t>(ref->filed)].keys) filed[key].push_back(ref);
    }
    next->by_uuid_.Mutable(ref->uuid) = ref;
  }
  for (const auto& [key, count] : naming) {
    MatchSnapshot::Bucket& b = next->buckets_.Mutable(key);
    b.naming = count;
    if (auto it = filed.find(key); it != filed.end()) {
      it->second.shrink_to_fit();
      b.filed = std::make_shared<const std::vector<SubscriptionRef>>(std::move(it->second));
    }
  }
  auto probes = std::make_shared<std::vector<MatchSnapshot::Probe>>();
  for (uint32_t id = 0; id < probe_uses.size(); ++id) {
    if (probe_uses[id] > 0) {
      probes->push_back({id, probe_names_[id].first, probe_names_[id].second, probe_uses[id]});
    }
  }
  next->probes_ = std::move(probes);
  always.shrink_to_fit();
  next->always_ = std::make_shared<const std::vector<SubscriptionRef>>(std::move(always));
  next->size_ = entries.size();
  next->next_order_ = entries.size();
  entries.clear();
  naming.clear();
  filed.clear();

  current_.store(std::move(next));
  built_version_ = version;
  PruneInterned();
#if defined(__GLIBC__)
  // The listing and the previous generation were freed in many small pieces; give the pages
  // back so that resident memory reflects the index, not its build.
  malloc_trim(0);
#endif
  return OkStatus();
}

Status SubscriptionIndex::OnSubscriptionChanged(const Subscription& s) {
  std::lock_guard<std::mutex> lock(write_mu_);
  auto previous = current_.load();
  auto next = std::make_shared<MatchSnapshot>(*previous);  // shares every shard and bucket
  Status status;
  SubscriptionRef old = previous->Find(s.uuid);
  uint64_t order = old ? old->order : next->next_order_++;
  if (old) next->Remove(old);
  if (s.active()) {
    auto compiled = Compile(s);
    if (compiled.ok()) {
      IndexedSubscription e;
      e.uuid = s.uuid;
      e.compiled = std::move(compiled).value();
      e.order = order;
      next->Add(std::move(e), probe_names_);
    } else {
      status = compiled.status();
    }
  }
  current_.store(std::move(next));
  // Amortised: forget unused interned paths once they could be half the table.
  if (interned_.size() > 2 * previous->size() + 64) PruneInterned();
  return status;
}

}  // namespace pn::match
