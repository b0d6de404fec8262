// Conformance: DeliveryStore (claiming with leases, recording attempts).
#include <set>

#include "store/testing/store_conformance.h"

namespace pn::testing {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

std::set<std::string> UuidSet(const std::vector<Delivery>& deliveries) {
  std::set<std::string> out;
  for (const auto& d : deliveries) out.insert(d.uuid);
  return out;
}

TEST_P(DeliveryConformanceTest, ClaimDueTakesOnlyDuePendingDeliveries) {
  std::vector<Delivery> due = SeedPending(2, T0());
  std::vector<Delivery> later = SeedPending(1, T0() + minutes(5));
  Delivery done = due[1];
  done.state = DeliveryState::kDelivered;
  DeliveryAttempt attempt{done.uuid, 1, T0(), seconds(1), 200, "", 200, "", ""};
  PN_ASSERT_OK(store_->deliveries().RecordAttempt(done, attempt, std::nullopt));

  auto claimed = Must(store_->deliveries().ClaimDue(T0(), 10, "w1", T0() + minutes(1)));
  EXPECT_EQ(UuidSet(claimed), (std::set<std::string>{due[0].uuid}));
}

TEST_P(DeliveryConformanceTest, ClaimDueHonoursLimitOldestDueFirst) {
  std::vector<Delivery> a = SeedPending(1, T0() + seconds(2));
  std::vector<Delivery> b = SeedPending(1, T0());
  std::vector<Delivery> c = SeedPending(1, T0() + seconds(1));
  auto claimed = Must(store_->deliveries().ClaimDue(T0() + seconds(5), 2, "w1", T0() + minutes(1)));
  ASSERT_EQ(claimed.size(), 2u);
  EXPECT_EQ(claimed[0].uuid, b[0].uuid);
  EXPECT_EQ(claimed[1].uuid, c[0].uuid);
}

TEST_P(DeliveryConformanceTest, ClaimDueRecordsTheLease) {
  std::vector<Delivery> due = SeedPending(1, T0());
  auto claimed = Must(store_->deliveries().ClaimDue(T0(), 1, "worker-7", T0() + minutes(1)));
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].lease_owner, "worker-7");
  EXPECT_EQ(claimed[0].lease_expires, T0() + minutes(1));
  auto stored = Must(store_->deliveries().FindDelivery(due[0].uuid));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->lease_owner, "worker-7");
  EXPECT_EQ(stored->lease_expires, T0() + minutes(1));
}

TEST_P(DeliveryConformanceTest, HeldLeaseIsNotClaimedAgain) {
  SeedPending(1, T0());
  ASSERT_EQ(Must(store_->deliveries().ClaimDue(T0(), 5, "w1", T0() + minutes(1))).size(), 1u);
  EXPECT_TRUE(Must(store_->deliveries().ClaimDue(T0() + seconds(59), 5, "w2",
                                                 T0() + minutes(2)))
                  .empty());
}

TEST_P(DeliveryConformanceTest, ExpiredLeaseIsReclaimable) {
  std::vector<Delivery> due = SeedPending(1, T0());
  ASSERT_EQ(Must(store_->deliveries().ClaimDue(T0(), 5, "w1", T0() + minutes(1))).size(), 1u);
  auto reclaimed =
      Must(store_->deliveries().ClaimDue(T0() + minutes(1), 5, "w2", T0() + minutes(2)));
  ASSERT_EQ(reclaimed.size(), 1u);
  EXPECT_EQ(reclaimed[0].uuid, due[0].uuid);
  EXPECT_EQ(reclaimed[0].lease_owner, "w2");
}

TEST_P(DeliveryConformanceTest, NextDueAtIsTheEarliestClaimableTime) {
  EXPECT_EQ(Must(store_->deliveries().NextDueAt()), std::nullopt);
  SeedPending(1, T0() + seconds(30));
  SeedPending(1, T0() + seconds(10));
  EXPECT_EQ(Must(store_->deliveries().NextDueAt()), T0() + seconds(10));
  // Once leased, a delivery is claimable again only when its lease expires.
  ASSERT_EQ(Must(store_->deliveries().ClaimDue(T0() + seconds(10), 1, "w", T0() + minutes(5)))
                .size(),
            1u);
  EXPECT_EQ(Must(store_->deliveries().NextDueAt()), T0() + seconds(30));
}

TEST_P(DeliveryConformanceTest, RecordAttemptUpdatesTheDeliveryAndAppendsTheAttempt) {
  std::vector<Delivery> due = SeedPending(1, T0());
  auto claimed = Must(store_->deliveries().ClaimDue(T0(), 1, "w1", T0() + minutes(1)));
  ASSERT_EQ(claimed.size(), 1u);
  Delivery d = claimed[0];
  d.attempts = 1;
  d.next_attempt_at = T0() + seconds(5);
  d.policy_status_code = "200";
  d.policy_resp_body = "{}";
  d.target_status_code = "503";
  d.target_resp_body = "busy";
  d.updated = T0() + seconds(1);
  DeliveryAttempt attempt{d.uuid, 1, T0(), std::chrono::microseconds(1234), 200, "{}",
                          503,    "busy", ""};
  PN_ASSERT_OK(store_->deliveries().RecordAttempt(d, attempt, std::nullopt));

  auto stored = Must(store_->deliveries().FindDelivery(d.uuid));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->state, DeliveryState::kPending);
  EXPECT_EQ(stored->attempts, 1);
  EXPECT_EQ(stored->next_attempt_at, T0() + seconds(5));
  EXPECT_EQ(stored->policy_status_code, "200");
  EXPECT_EQ(stored->policy_resp_body, "{}");
  EXPECT_EQ(stored->target_status_code, "503");
  EXPECT_EQ(stored->target_resp_body, "busy");
  EXPECT_EQ(stored->updated, T0() + seconds(1));
  EXPECT_EQ(stored->lease_owner, "");
  EXPECT_EQ(stored->lease_expires, std::nullopt);
  auto attempts = Must(store_->deliveries().AttemptsFor(d.uuid));
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_EQ(attempts[0].delivery_uuid, d.uuid);
  EXPECT_EQ(attempts[0].number, 1);
  EXPECT_EQ(attempts[0].started, T0());
  EXPECT_EQ(attempts[0].duration, std::chrono::microseconds(1234));
  EXPECT_EQ(attempts[0].policy_status, 200);
  EXPECT_EQ(attempts[0].policy_body, "{}");
  EXPECT_EQ(attempts[0].target_status, 503);
  EXPECT_EQ(attempts[0].target_body, "busy");
  EXPECT_EQ(attempts[0].error, "");
}

TEST_P(DeliveryConformanceTest, RecordAttemptKeepsTransportErrorsWithoutStatus) {
  std::vector<Delivery> due = SeedPending(1, T0());
  Delivery d = due[0];
  d.attempts = 1;
  DeliveryAttempt attempt{d.uuid, 1, T0(), seconds(10), std::nullopt, "", std::nullopt, "",
                          "connection refused"};
  PN_ASSERT_OK(store_->deliveries().RecordAttempt(d, attempt, std::nullopt));
  auto attempts = Must(store_->deliveries().AttemptsFor(d.uuid));
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_EQ(attempts[0].policy_status, std::nullopt);
  EXPECT_EQ(attempts[0].target_status, std::nullopt);
  EXPECT_EQ(attempts[0].error, "connection refused");
}

TEST_P(DeliveryConformanceTest, RecordAttemptWithDisableDisablesTheSubscription) {
  std::vector<Delivery> due = SeedPending(1, T0());
  const int64_t before = Must(store_->subscriptions().ChangeVersion());
  Delivery d = due[0];
  d.state = DeliveryState::kFailed;
  d.attempts = 1;
  d.target_status_code = "410";
  d.updated = T0() + seconds(3);
  DeliveryAttempt attempt{d.uuid, 1, T0(), seconds(1), 200, "", 410, "gone", ""};
  PN_ASSERT_OK(store_->deliveries().RecordAttempt(d, attempt, "target answered 410 Gone"));
  auto sub = Must(store_->subscriptions().Find(d.subscription_uuid));
  ASSERT_TRUE(sub.has_value());
  EXPECT_EQ(sub->disabled, T0() + seconds(3));
  EXPECT_EQ(sub->error, "target answered 410 Gone");
  EXPECT_GT(Must(store_->subscriptions().ChangeVersion()), before);
  EXPECT_EQ(Must(store_->deliveries().FindDelivery(d.uuid))->state, DeliveryState::kFailed);
}

TEST_P(DeliveryConformanceTest, RecordAttemptForUnknownDeliveryIsNotFound) {
  std::vector<Delivery> due = SeedPending(1, T0());
  Delivery d = due[0];
  d.uuid = NewId();
  DeliveryAttempt attempt{d.uuid, 1, T0(), seconds(1), 200, "", 200, "", ""};
  EXPECT_EQ(store_->deliveries().RecordAttempt(d, attempt, std::nullopt).code(),
            StatusCode::kNotFound);
}

TEST_P(DeliveryConformanceTest, RecordAttemptTwiceWithOneNumberChangesNothing) {
  std::vector<Delivery> due = SeedPending(1, T0());
  Delivery d = due[0];
  d.attempts = 1;
  d.target_status_code = "500";
  DeliveryAttempt attempt{d.uuid, 1, T0(), seconds(1), 200, "", 500, "", ""};
  PN_ASSERT_OK(store_->deliveries().RecordAttempt(d, attempt, std::nullopt));
  Delivery again = d;
  again.state = DeliveryState::kDelivered;
  again.target_status_code = "200";
  EXPECT_EQ(store_->deliveries().RecordAttempt(again, attempt, "x").code(),
            StatusCode::kAlreadyExists);
  auto stored = Must(store_->deliveries().FindDelivery(d.uuid));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->state, DeliveryState::kPending);
  EXPECT_EQ(stored->target_status_code, "500");
  EXPECT_EQ(Must(store_->subscriptions().Find(d.subscription_uuid))->disabled, std::nullopt);
}

TEST_P(DeliveryConformanceTest, DeliveriesForSubscriptionNewestFirstAndLimited) {
  std::vector<Delivery> due = SeedPending(3, T0());  // created T0, T0+1us, T0+2us
  auto recent = Must(store_->deliveries().DeliveriesForSubscription(due[0].subscription_uuid, 2));
  ASSERT_EQ(recent.size(), 2u);
  EXPECT_EQ(recent[0].uuid, due[2].uuid);
  EXPECT_EQ(recent[1].uuid, due[1].uuid);
}

TEST_P(DeliveryConformanceTest, CountPendingCountsOnlyPending) {
  EXPECT_EQ(Must(store_->deliveries().CountPending()), 0);
  std::vector<Delivery> due = SeedPending(3, T0());
  Delivery done = due[0];
  done.state = DeliveryState::kDenied;
  DeliveryAttempt attempt{done.uuid, 1, T0(), seconds(1), 403, "no", std::nullopt, "", ""};
  PN_ASSERT_OK(store_->deliveries().RecordAttempt(done, attempt, std::nullopt));
  EXPECT_EQ(Must(store_->deliveries().CountPending()), 2);
}

TEST_P(DeliveryConformanceTest, SummarizePendingOfNoneIsZeroWithoutOldest) {
  EXPECT_EQ(Must(store_->deliveries().SummarizePending()), PendingSummary{});
}

TEST_P(DeliveryConformanceTest, SummarizePendingIgnoresConcludedDeliveries) {
  std::vector<Delivery> due = SeedPending(3, T0());  // created T0, T0+1us, T0+2us
  Delivery done = due[0];
  done.state = DeliveryState::kDelivered;
  DeliveryAttempt attempt{done.uuid, 1, T0(), seconds(1), 200, "", 200, "", ""};
  PN_ASSERT_OK(store_->deliveries().RecordAttempt(done, attempt, std::nullopt));
  EXPECT_EQ(Must(store_->deliveries().SummarizePending()),
            (PendingSummary{2, T0() + std::chrono::microseconds(1)}));
}

TEST_P(DeliveryConformanceTest, SummarizePendingFindsTheEarliestCreatedNotTheFirstStored) {
  SeedPending(2, T0());
  Subscription s = MakeSubscription("late", T0());
  PN_ASSERT_OK(store_->subscriptions().Insert(s));
  NewEvent item{MakeEvent(T0()), {}};
  Delivery older = MakeDelivery(item.event, s, T0() - minutes(90));
  older.next_attempt_at = T0() + minutes(5);  // due later than the others: age is not lag
  item.deliveries.push_back(older);
  PN_ASSERT_OK(store_->events().Append(std::span<const NewEvent>(&item, 1)));
  EXPECT_EQ(Must(store_->deliveries().SummarizePending()),
            (PendingSummary{3, T0() - minutes(90)}));
}

TEST_P(DeliveryConformanceTest, SummarizePendingCountsLeasedDeliveries) {
  SeedPending(2, T0());
  ASSERT_EQ(Must(store_->deliveries().ClaimDue(T0(), 1, "w1", T0() + minutes(1))).size(), 1u);
  EXPECT_EQ(Must(store_->deliveries().SummarizePending()), (PendingSummary{2, T0()}));
}

TEST_P(DeliveryConformanceTest, ReleaseLeaseByItsOwnerMakesTheDeliveryDueAgain) {
  std::vector<Delivery> due = SeedPending(1, T0());
  ASSERT_EQ(Must(store_->deliveries().ClaimDue(T0(), 1, "w1", T0() + minutes(10))).size(), 1u);
  PN_ASSERT_OK(store_->deliveries().ReleaseLease(due[0].uuid, "w1", T0() + seconds(7)));
  auto stored = Must(store_->deliveries().FindDelivery(due[0].uuid));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->lease_owner, "");
  EXPECT_EQ(stored->lease_expires, std::nullopt);
  EXPECT_EQ(stored->next_attempt_at, T0() + seconds(7));
  EXPECT_EQ(stored->attempts, 0);
  EXPECT_EQ(Must(store_->deliveries().ClaimDue(T0() + seconds(7), 1, "w2", T0() + minutes(1)))
                .size(),
            1u);
}

TEST_P(DeliveryConformanceTest, ReleaseLeaseByAnotherOwnerChangesNothing) {
  std::vector<Delivery> due = SeedPending(1, T0());
  ASSERT_EQ(Must(store_->deliveries().ClaimDue(T0(), 1, "w1", T0() + minutes(10))).size(), 1u);
  PN_ASSERT_OK(store_->deliveries().ReleaseLease(due[0].uuid, "w2", T0()));
  auto stored = Must(store_->deliveries().FindDelivery(due[0].uuid));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->lease_owner, "w1");
  EXPECT_EQ(stored->lease_expires, T0() + minutes(10));
}

TEST_P(DeliveryConformanceTest, ClaimDueSkippingLeavesTheSkippedSubscriptionsAlone) {
  std::vector<Delivery> saturated = SeedPending(3, T0());
  std::vector<Delivery> other = SeedPending(1, T0() + seconds(1));
  const std::vector<std::string> skip{saturated[0].subscription_uuid};
  // The skipped subscription's older work does not hide the other one's.
  auto claimed = Must(store_->deliveries().ClaimDueSkipping(T0() + seconds(5), 1, "w1",
                                                            T0() + minutes(1), skip));
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].uuid, other[0].uuid);
  EXPECT_EQ(claimed[0].lease_owner, "w1");
  EXPECT_EQ(Must(store_->deliveries().FindDelivery(saturated[0].uuid))->lease_owner, "");
  EXPECT_TRUE(Must(store_->deliveries().ClaimDueSkipping(T0() + seconds(5), 10, "w1",
                                                         T0() + minutes(1), skip))
                  .empty());
}

TEST_P(DeliveryConformanceTest, ClaimDueSkippingTakesOnlyDueUnleasedWorkInDueOrder) {
  std::vector<Delivery> saturated = SeedPending(2, T0());
  std::vector<Delivery> later = SeedPending(1, T0() + seconds(3));
  std::vector<Delivery> earlier = SeedPending(2, T0() + seconds(1));
  std::vector<Delivery> future = SeedPending(1, T0() + minutes(60));
  const std::vector<std::string> skip{saturated[0].subscription_uuid};
  const Timestamp now = T0() + seconds(5);
  auto first = Must(store_->deliveries().ClaimDueSkipping(now, 1, "w1", now + minutes(1), skip));
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].uuid, earlier[0].uuid);
  // Another worker gets neither the leased one nor the one due in an hour; the rest in due order.
  auto rest = Must(store_->deliveries().ClaimDueSkipping(now, 10, "w2", now + minutes(1), skip));
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].uuid, earlier[1].uuid);
  EXPECT_EQ(rest[1].uuid, later[0].uuid);
  EXPECT_EQ(rest[1].lease_owner, "w2");
  EXPECT_EQ(Must(store_->deliveries().FindDelivery(earlier[0].uuid))->lease_owner, "w1");
  EXPECT_EQ(Must(store_->deliveries().FindDelivery(later[0].uuid))->lease_owner, "w2");
  EXPECT_EQ(Must(store_->deliveries().FindDelivery(future[0].uuid))->lease_owner, "");
}

TEST_P(DeliveryConformanceTest, ClaimDueSkippingNothingIsClaimDue) {
  std::vector<Delivery> due = SeedPending(2, T0());
  auto claimed = Must(
      store_->deliveries().ClaimDueSkipping(T0(), 10, "w1", T0() + minutes(1), {}));
  EXPECT_EQ(UuidSet(claimed), UuidSet(due));
}

TEST_P(DeliveryConformanceTest, ClaimDueSkippingAcceptsUuidsWithoutDashes) {
  std::vector<Delivery> saturated = SeedPending(1, T0());
  std::string hex = saturated[0].subscription_uuid;
  std::erase(hex, '-');
  const std::vector<std::string> skip{hex};
  EXPECT_TRUE(Must(store_->deliveries().ClaimDueSkipping(T0(), 10, "w1", T0() + minutes(1),
                                                         skip))
                  .empty());
}

// One pending delivery concluded as `state` with attempt `number`.
AttemptWrite Concluded(const Delivery& pending, DeliveryState state, int number,
                       std::optional<std::string> disable = std::nullopt) {
  AttemptWrite w{pending, {}, std::move(disable)};
  w.delivery.state = state;
  w.delivery.attempts = number;
  w.delivery.target_status_code = state == DeliveryState::kDelivered ? "200" : "500";
  w.delivery.updated = T0() + seconds(2);
  w.attempt = DeliveryAttempt{pending.uuid, number, T0(), seconds(1), 200, "", 200, "", ""};
  return w;
}

TEST_P(DeliveryConformanceTest, RecordAttemptsRecordsEveryItem) {
  std::vector<Delivery> due = SeedPending(3, T0());
  ASSERT_EQ(Must(store_->deliveries().ClaimDue(T0(), 3, "w1", T0() + minutes(1))).size(), 3u);
  std::vector<AttemptWrite> batch{Concluded(due[0], DeliveryState::kDelivered, 1),
                                  Concluded(due[1], DeliveryState::kPending, 1),
                                  Concluded(due[2], DeliveryState::kDelivered, 1)};
  std::vector<Status> answers = store_->deliveries().RecordAttempts(batch);
  ASSERT_EQ(answers.size(), 3u);
  for (const Status& st : answers) PN_EXPECT_OK(st);
  for (const AttemptWrite& w : batch) {
    auto stored = Must(store_->deliveries().FindDelivery(w.delivery.uuid));
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->state, w.delivery.state);
    EXPECT_EQ(stored->attempts, 1);
    EXPECT_EQ(stored->target_status_code, w.delivery.target_status_code);
    EXPECT_EQ(stored->lease_owner, "");
    EXPECT_EQ(stored->lease_expires, std::nullopt);
    EXPECT_EQ(Must(store_->deliveries().AttemptsFor(w.delivery.uuid)).size(), 1u);
  }
  EXPECT_EQ(Must(store_->deliveries().CountPending()), 1);
}

TEST_P(DeliveryConformanceTest, RecordAttemptsAnswersEachItemAndKeepsTheOthers) {
  std::vector<Delivery> due = SeedPending(3, T0());
  PN_ASSERT_OK(store_->deliveries().RecordAttempt(
      Concluded(due[1], DeliveryState::kPending, 1).delivery,
      Concluded(due[1], DeliveryState::kPending, 1).attempt, std::nullopt));
  Delivery unknown = due[2];
  unknown.uuid = NewId();
  std::vector<AttemptWrite> batch{
      Concluded(due[0], DeliveryState::kDelivered, 1),
      Concluded(due[1], DeliveryState::kDelivered, 1, "must not disable"),  // duplicate number
      Concluded(unknown, DeliveryState::kDelivered, 1),
      Concluded(due[2], DeliveryState::kDelivered, 1)};
  std::vector<Status> answers = store_->deliveries().RecordAttempts(batch);
  ASSERT_EQ(answers.size(), 4u);
  PN_EXPECT_OK(answers[0]);
  EXPECT_EQ(answers[1].code(), StatusCode::kAlreadyExists) << answers[1].ToString();
  EXPECT_EQ(answers[2].code(), StatusCode::kNotFound) << answers[2].ToString();
  PN_EXPECT_OK(answers[3]);
  EXPECT_EQ(Must(store_->deliveries().FindDelivery(due[0].uuid))->state,
            DeliveryState::kDelivered);
  EXPECT_EQ(Must(store_->deliveries().FindDelivery(due[1].uuid))->state,
            DeliveryState::kPending);
  EXPECT_EQ(Must(store_->deliveries().FindDelivery(due[2].uuid))->state,
            DeliveryState::kDelivered);
  EXPECT_EQ(Must(store_->deliveries().AttemptsFor(due[1].uuid)).size(), 1u);
  EXPECT_EQ(Must(store_->subscriptions().Find(due[1].subscription_uuid))->disabled, std::nullopt);
}

TEST_P(DeliveryConformanceTest, RecordAttemptsWithDisableDisablesTheSubscription) {
  std::vector<Delivery> gone = SeedPending(1, T0());
  std::vector<Delivery> fine = SeedPending(1, T0());
  const int64_t before = Must(store_->subscriptions().ChangeVersion());
  std::vector<AttemptWrite> batch{
      Concluded(fine[0], DeliveryState::kDelivered, 1),
      Concluded(gone[0], DeliveryState::kFailed, 1, "target answered 410 Gone")};
  std::vector<Status> answers = store_->deliveries().RecordAttempts(batch);
  ASSERT_EQ(answers.size(), 2u);
  PN_EXPECT_OK(answers[0]);
  PN_EXPECT_OK(answers[1]);
  auto sub = Must(store_->subscriptions().Find(gone[0].subscription_uuid));
  ASSERT_TRUE(sub.has_value());
  EXPECT_EQ(sub->disabled, T0() + seconds(2));
  EXPECT_EQ(sub->error, "target answered 410 Gone");
  EXPECT_GT(Must(store_->subscriptions().ChangeVersion()), before);
  EXPECT_TRUE(Must(store_->subscriptions().Find(fine[0].subscription_uuid))->active());
}

TEST_P(DeliveryConformanceTest, RecordAttemptsOfNothingAnswersNothing) {
  EXPECT_TRUE(store_->deliveries().RecordAttempts({}).empty());
}

TEST_P(DeliveryConformanceTest, ReleaseLeasesGivesBackOnlyTheOwnersLeases) {
  std::vector<Delivery> mine = SeedPending(2, T0());
  std::vector<Delivery> theirs = SeedPending(1, T0() + seconds(1));
  ASSERT_EQ(Must(store_->deliveries().ClaimDue(T0(), 2, "w1", T0() + minutes(10))).size(), 2u);
  ASSERT_EQ(Must(store_->deliveries().ClaimDue(T0() + seconds(1), 1, "w2", T0() + minutes(10)))
                .size(),
            1u);
  std::vector<LeaseRelease> releases{{mine[0].uuid, T0() + seconds(7)},
                                     {mine[1].uuid, T0() + seconds(8)},
                                     {theirs[0].uuid, T0()}};
  PN_ASSERT_OK(store_->deliveries().ReleaseLeases(releases, "w1"));
  for (int i = 0; i < 2; ++i) {
    auto stored = Must(store_->deliveries().FindDelivery(mine[i].uuid));
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->lease_owner, "");
    EXPECT_EQ(stored->lease_expires, std::nullopt);
    EXPECT_EQ(stored->next_attempt_at, T0() + seconds(7 + i));
    EXPECT_EQ(stored->attempts, 0);
  }
  auto kept = Must(store_->deliveries().FindDelivery(theirs[0].uuid));
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->lease_owner, "w2");
  EXPECT_EQ(kept->next_attempt_at, T0() + seconds(1));
}

}  // namespace
}  // namespace pn::testing
