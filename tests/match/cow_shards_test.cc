#include "match/cow_shards.h"

#include <gtest/gtest.h>

#include <string>

namespace pn::match {
namespace {

TEST(CowShards, WritesToACopyLeaveTheOriginalUnchanged) {
  CowShards<int, std::string> original(100);
  for (int i = 0; i < 100; ++i) original.Mutable(i) = "v" + std::to_string(i);
  CowShards<int, std::string> copy(original);
  copy.Mutable(7) = "changed";
  copy.Mutable(1000) = "new";
  copy.Erase(8);
  EXPECT_EQ(*original.Find(7), "v7");
  EXPECT_EQ(original.Find(1000), nullptr);
  EXPECT_EQ(*original.Find(8), "v8");
  EXPECT_EQ(*copy.Find(7), "changed");
  EXPECT_EQ(*copy.Find(1000), "new");
  EXPECT_EQ(copy.Find(8), nullptr);
  EXPECT_EQ(*copy.Find(9), "v9");
}

TEST(CowShards, ForEachVisitsEveryKeyOnce) {
  CowShards<int, int> map(10);
  for (int i = 0; i < 50; ++i) map.Mutable(i) = i * 2;
  map.Erase(3);
  int count = 0, sum = 0;
  map.ForEach([&](int k, int v) {
    ++count;
    sum += v - 2 * k;
  });
  EXPECT_EQ(count, 49);
  EXPECT_EQ(sum, 0);
}

}  // namespace
}  // namespace pn::match
