#include "match/subscription_index.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

namespace pn::match {

MatchSnapshot::MatchSnapshot(std::vector<CompiledSubscription> subs) : subs_(std::move(subs)) {
  for (size_t i = 0; i < subs_.size(); ++i) {
    const auto& reqs = subs_[i].requirements;
    if (reqs.empty()) {
      always_.push_back(i);
      continue;
    }
    // Index under the requirement with the fewest values: it admits the fewest events.
    const auto best = std::min_element(reqs.begin(), reqs.end(), [](const auto& a, const auto& b) {
      return a.values.size() < b.values.size();
    });
    auto& by_attr = by_value_[best->attribute];
    for (const auto& v : best->values) by_attr[v].push_back(i);
  }
}

std::vector<size_t> MatchSnapshot::Candidates(const Json& event) const {
  std::vector<size_t> out = always_;
  if (event.is_object()) {
    for (const auto& [attribute, by_value] : by_value_) {
      auto it = event.find(attribute);
      if (it == event.end() || !it->is_string()) continue;
      auto hit = by_value.find(it->get_ref<const std::string&>());
      if (hit != by_value.end()) out.insert(out.end(), hit->second.begin(), hit->second.end());
    }
  }
  // Evaluate in index order so the answer does not depend on which list found a candidate.
  std::sort(out.begin(), out.end());
  return out;
}

bool MatchSnapshot::Evaluate(const CompiledSubscription& c, const Json& event) const {
  for (const auto& req : c.requirements) {
    if (!Satisfies(req, event)) return false;
  }
  auto matched = jsonpath::Matches(*c.path, event);
  if (!matched.ok()) {
    spdlog::warn("subscription {}: jsonpath evaluation failed, counted as no match: {}",
                 c.subscription->uuid, matched.status().message());
    return false;
  }
  return *matched;
}

std::vector<std::shared_ptr<const Subscription>> MatchSnapshot::Match(const Json& event) const {
  std::vector<std::shared_ptr<const Subscription>> out;
  for (size_t i : Candidates(event)) {
    if (Evaluate(subs_[i], event)) out.push_back(subs_[i].subscription);
  }
  return out;
}

std::vector<std::shared_ptr<const Subscription>> MatchSnapshot::MatchExhaustive(
    const Json& event) const {
  std::vector<std::shared_ptr<const Subscription>> out;
  for (const auto& c : subs_) {
    auto matched = jsonpath::Matches(*c.path, event);
    if (matched.ok() && *matched) out.push_back(c.subscription);
  }
  return out;
}

size_t MatchSnapshot::CandidateCount(const Json& event) const { return Candidates(event).size(); }

SubscriptionIndex::SubscriptionIndex(SubscriptionStore& store)
    : store_(store),
      current_(std::make_shared<const MatchSnapshot>(std::vector<CompiledSubscription>{})) {}

Result<CompiledSubscription> SubscriptionIndex::Compile(std::shared_ptr<const Subscription> s,
                                                        const MatchSnapshot* previous) const {
  CompiledSubscription c;
  if (previous != nullptr) {
    for (const auto& old : previous->subscriptions()) {
      if (old.subscription->uuid == s->uuid && old.subscription->jsonpath == s->jsonpath) {
        c.path = old.path;
        c.requirements = old.requirements;
        break;
      }
    }
  }
  if (!c.path) {
    auto parsed = jsonpath::Parse(s->jsonpath);
    if (!parsed.ok()) {
      return parsed.status().WithContext("subscription " + s->uuid + " has an invalid jsonpath");
    }
    c.path = std::move(parsed).value();
    c.requirements = AnalyzeRequiredEqualities(s->jsonpath);
  }
  c.subscription = std::move(s);
  return c;
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
  PN_ASSIGN_OR_RETURN(std::vector<Subscription> rows, store_.ListActive());
  auto previous = current_.load();
  std::vector<CompiledSubscription> compiled;
  compiled.reserve(rows.size());
  for (auto& row : rows) {
    if (!row.active()) continue;
    auto c = Compile(std::make_shared<const Subscription>(std::move(row)), previous.get());
    if (!c.ok()) {
      // Stored by an older release or edited by hand: it can never match; say so once per build.
      spdlog::error("{}; it is skipped until fixed", c.status().message());
      continue;
    }
    compiled.push_back(std::move(c).value());
  }
  current_.store(std::make_shared<const MatchSnapshot>(std::move(compiled)));
  built_version_ = version;
  return OkStatus();
}

Status SubscriptionIndex::OnSubscriptionChanged(const Subscription& s) {
  std::lock_guard<std::mutex> lock(write_mu_);
  auto previous = current_.load();
  std::vector<CompiledSubscription> next;
  next.reserve(previous->size() + 1);
  Status status;
  bool placed = false;
  std::optional<CompiledSubscription> replacement;
  if (s.active()) {
    auto c = Compile(std::make_shared<const Subscription>(s), previous.get());
    if (c.ok()) {
      replacement = std::move(c).value();
    } else {
      status = c.status();
    }
  }
  for (const auto& old : previous->subscriptions()) {
    if (old.subscription->uuid != s.uuid) {
      next.push_back(old);
    } else if (replacement) {
      next.push_back(*replacement);
      placed = true;
    }
  }
  if (replacement && !placed) next.push_back(std::move(*replacement));
  current_.store(std::make_shared<const MatchSnapshot>(std::move(next)));
  return status;
}

}  // namespace pn::match
