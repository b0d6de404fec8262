// The storage conformance suite: every backend must pass these tests unchanged.
// A backend's test file supplies a factory producing a fresh, empty Store (no schema yet) and
// instantiates the suite:
//   PN_INSTANTIATE_STORE_CONFORMANCE(Sqlite, ::testing::Values(pn::testing::StoreBackend{
//       "SqliteFile", [] { return pn::OpenSqliteStore(NewTempPath()); }}));
// Link the object library pn_store_conformance into the test binary.
// Thread-safety: test code; the concurrency tests drive the Store from several threads.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "common/random.h"
#include "store/store.h"

namespace pn::testing {

#define PN_EXPECT_OK(expr)                                  \
  do {                                                      \
    const ::pn::Status pn_expect_ok_ = (expr);              \
    EXPECT_TRUE(pn_expect_ok_.ok()) << pn_expect_ok_.ToString(); \
  } while (0)
#define PN_ASSERT_OK(expr)                                  \
  do {                                                      \
    const ::pn::Status pn_assert_ok_ = (expr);              \
    ASSERT_TRUE(pn_assert_ok_.ok()) << pn_assert_ok_.ToString(); \
  } while (0)

// The value of a Result the test expects to succeed; records a failure (and returns T{})
// otherwise.
template <typename T>
T Must(Result<T> r) {
  if (!r.ok()) {
    ADD_FAILURE() << r.status().ToString();
    return T{};
  }
  return std::move(r).value();
}

using StoreFactory = std::function<Result<std::unique_ptr<Store>>()>;

struct StoreBackend {
  std::string name;  // a C identifier, used in test names
  StoreFactory make;
};
inline void PrintTo(const StoreBackend& b, std::ostream* os) { *os << b.name; }
inline std::string BackendName(const ::testing::TestParamInfo<StoreBackend>& info) {
  return info.param.name;
}

// A fixed point in time with a fraction, so microsecond round-trips are checked.
Timestamp T0();

// A fresh store with the current schema (schema tests use StoreSchemaConformanceTest instead).
class StoreConformanceTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override;

  std::string NewId() { return NewUuid4Seeded(); }
  Subscription MakeSubscription(const std::string& user, Timestamp created);
  StoredEvent MakeEvent(Timestamp created);
  Delivery MakeDelivery(const StoredEvent& event, const Subscription& subscription,
                        Timestamp created);
  // Inserts a subscription and appends one event with `count` pending deliveries to it, due at
  // `due`; returns the deliveries.
  std::vector<Delivery> SeedPending(int count, Timestamp due);

  std::unique_ptr<Store> store_;

 private:
  std::string NewUuid4Seeded();
  SeededRandom random_{20240601};
};

// A fresh, empty store (no schema).
class StoreSchemaConformanceTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override;
  std::unique_ptr<Store> store_;
};

// Fixture names per area, so test names read "SubscriptionConformance/Sqlite.InsertThenFind".
class SubscriptionConformanceTest : public StoreConformanceTest {};
class EventConformanceTest : public StoreConformanceTest {};
class DeliveryConformanceTest : public StoreConformanceTest {};
class ConcurrencyConformanceTest : public StoreConformanceTest {};

}  // namespace pn::testing

#define PN_INSTANTIATE_STORE_CONFORMANCE(prefix, generator)                                   \
  INSTANTIATE_TEST_SUITE_P(prefix, StoreSchemaConformanceTest, generator,                     \
                           ::pn::testing::BackendName);                                       \
  INSTANTIATE_TEST_SUITE_P(prefix, SubscriptionConformanceTest, generator,                    \
                           ::pn::testing::BackendName);                                       \
  INSTANTIATE_TEST_SUITE_P(prefix, EventConformanceTest, generator,                           \
                           ::pn::testing::BackendName);                                       \
  INSTANTIATE_TEST_SUITE_P(prefix, DeliveryConformanceTest, generator,                        \
                           ::pn::testing::BackendName);                                       \
  INSTANTIATE_TEST_SUITE_P(prefix, ConcurrencyConformanceTest, generator,                     \
                           ::pn::testing::BackendName)
