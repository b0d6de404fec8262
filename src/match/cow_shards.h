// A persistent hash map for the index's snapshots: the keys are split over shards, and a copy of
// the map shares every shard with the original until one is written to. Patching a snapshot
// therefore copies only the shard pointers and the shards that change, not the whole index.
// Thread-safety: a map that is read by several threads must not be written; writers copy it
// first (the copy's writes never touch the original's shards).
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

namespace pn::match {

template <typename K, typename V, typename Hash = std::hash<K>>
class CowShards {
 public:
  using Shard = std::unordered_map<K, V, Hash>;

  // About 4 sqrt(expected) shards (a power of two), so that both the pointer array and a shard
  // stay small when one key changes (a shard's nodes cost more to copy than a pointer).
  explicit CowShards(size_t expected_keys = 0) {
    size_t n = std::bit_ceil(static_cast<size_t>(1) + static_cast<size_t>(
                                 4 * std::sqrt(static_cast<double>(expected_keys))));
    n = std::clamp<size_t>(n, 16, 16384);
    shards_.resize(n);
    owned_.assign(n, true);
    mask_ = n - 1;
  }
  // A copy owns none of its shards: its first write to one copies it.
  CowShards(const CowShards& other)
      : shards_(other.shards_), owned_(other.shards_.size(), false), mask_(other.mask_) {}
  CowShards& operator=(const CowShards& other) {
    if (this != &other) *this = CowShards(other);
    return *this;
  }
  CowShards(CowShards&&) noexcept = default;
  CowShards& operator=(CowShards&&) noexcept = default;

  const V* Find(const K& key) const {
    const size_t h = Hash{}(key);
    const auto& shard = shards_[Slot(h)];
    if (!shard) return nullptr;
    auto it = shard->find(key);
    return it == shard->end() ? nullptr : &it->second;
  }

  // The value of `key` for writing (default-constructed when absent). Copies the shard first
  // when another map shares it.
  V& Mutable(const K& key) { return (*Own(Slot(Hash{}(key))))[key]; }

  void Erase(const K& key) {
    const size_t slot = Slot(Hash{}(key));
    if (!shards_[slot] || shards_[slot]->find(key) == shards_[slot]->end()) return;
    Own(slot)->erase(key);
  }

  template <typename F>
  void ForEach(F&& f) const {
    for (const auto& shard : shards_) {
      if (!shard) continue;
      for (const auto& [k, v] : *shard) f(k, v);
    }
  }

 private:
  size_t Slot(size_t hash) const { return (hash ^ (hash >> 29)) & mask_; }

  // The shard at `slot`, private to this map: a shard this map did not create since it was
  // copied may be read by other threads through another map, so it is copied first.
  Shard* Own(size_t slot) {
    auto& shard = shards_[slot];
    if (!shard) {
      shard = std::make_shared<Shard>();
    } else if (!owned_[slot]) {
      shard = std::make_shared<Shard>(*shard);
    }
    owned_[slot] = true;
    return shard.get();
  }

  std::vector<std::shared_ptr<Shard>> shards_;
  std::vector<bool> owned_;
  size_t mask_ = 0;
};

}  // namespace pn::match
