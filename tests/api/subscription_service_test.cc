// Ownership, partial updates and soft deletes, over the in-memory store.
#include "api/subscription_service.h"

#include <gtest/gtest.h>

#include "common/time_format.h"
#include "common/uuid.h"
#include "fakes/memory_store.h"

namespace pn::api {
namespace {

Timestamp T0() { return *ParseTimestamp("2024-01-02T03:04:05.000006"); }

SubscriptionPatch Patch(std::string_view body, BodyKind kind = BodyKind::kUpdate) {
  auto p = ParseSubscriptionBody(body, kind);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? *p : SubscriptionPatch{};
}

class SubscriptionServiceTest : public ::testing::Test {
 protected:
  Subscription MustCreate(std::string_view user, std::string_view body =
      R"({"name": "n", "jsonpath": "$.data", "target_url": "http://h/",
          "auth": {"type": "basic", "basic": {"username": "u", "password": "p"}},
          "extensions": {"k": 1}})") {
    auto s = service_.Create(user, Patch(body, BodyKind::kCreate));
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? *s : Subscription{};
  }

  testing::MemoryStore store_;
  ManualClock clock_{T0()};
  SeededRandom random_{42};
  std::vector<Subscription> changes_;
  SubscriptionService service_{store_, clock_, random_,
                               [this](const Subscription& s) { changes_.push_back(s); }};
};

TEST_F(SubscriptionServiceTest, CreateUsesTheInjectedRandomSourceAndClock) {
  SeededRandom same_seed(42);
  Subscription s = MustCreate("alice");
  EXPECT_EQ(s.uuid, NewUuid4(same_seed));
  EXPECT_EQ(s.user, "alice");
  EXPECT_EQ(s.created, T0());
  EXPECT_EQ(s.updated, T0());
  EXPECT_EQ(s.version, "v0.1");
  EXPECT_FALSE(s.deleted.has_value());
}

TEST_F(SubscriptionServiceTest, CreateTellsTheListener) {
  Subscription s = MustCreate("alice");
  ASSERT_EQ(changes_.size(), 1u);
  EXPECT_EQ(changes_[0].uuid, s.uuid);
}

TEST_F(SubscriptionServiceTest, CreateRefusesAnOverlongUser) {
  auto r = service_.Create(std::string(256, 'u'), SubscriptionPatch{});
  EXPECT_EQ(r.status(), InvalidArgumentError("the user name is longer than 255 bytes"));
}

TEST_F(SubscriptionServiceTest, GetAcceptsUuidInAnyCaseWithoutDashes) {
  Subscription s = MustCreate("alice");
  std::string hex = UuidHex(s.uuid);
  for (auto& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto r = service_.Get("alice", hex);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->uuid, s.uuid);
}

TEST_F(SubscriptionServiceTest, GetOfMalformedUuidIsInvalidArgument) {
  EXPECT_EQ(service_.Get("alice", "nope").status(),
            InvalidArgumentError("'nope' is not a valid subscription uuid (expected 32 hex digits, "
                                 "e.g. 3fa85f64-5717-4562-b3fc-2c963f66afa6)"));
}

TEST_F(SubscriptionServiceTest, ForeignUnknownAndDeletedAreAllForbidden) {
  Subscription s = MustCreate("alice");
  EXPECT_EQ(service_.Get("bob", s.uuid).status(),
            PermissionDeniedError("Forbidden: subscription " + s.uuid +
                                  " does not exist or does not belong to user 'bob'"));
  std::string unknown = "00000000-0000-4000-8000-000000000000";
  EXPECT_EQ(service_.Get("alice", unknown).status().code(), StatusCode::kPermissionDenied);
  ASSERT_TRUE(service_.Delete("alice", s.uuid).ok());
  EXPECT_EQ(service_.Get("alice", s.uuid).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(service_.Delete("alice", s.uuid).code(), StatusCode::kPermissionDenied);
}

TEST_F(SubscriptionServiceTest, DeleteIsSoftAndStampsDeletedAndUpdated) {
  Subscription s = MustCreate("alice");
  clock_.Advance(std::chrono::seconds(5));
  ASSERT_TRUE(service_.Delete("alice", s.uuid).ok());
  auto row = *store_.Find(s.uuid);
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->deleted, T0() + std::chrono::seconds(5));
  EXPECT_EQ(row->updated, T0() + std::chrono::seconds(5));
  EXPECT_TRUE(service_.List("alice")->empty());
  EXPECT_EQ(changes_.size(), 2u);
}

TEST_F(SubscriptionServiceTest, ListIsTheCallersOwnInCreationOrder) {
  Subscription a = MustCreate("alice");
  MustCreate("bob");
  Subscription c = MustCreate("alice");
  auto list = service_.List("alice");
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].uuid, a.uuid);
  EXPECT_EQ((*list)[1].uuid, c.uuid);
  EXPECT_TRUE(service_.List("carol")->empty());
}

TEST_F(SubscriptionServiceTest, PartialUpdateKeepsOmittedAuthAndExtensions) {
  Subscription s = MustCreate("alice");
  clock_.Advance(std::chrono::seconds(1));
  auto r = service_.Update("alice", s.uuid, Patch(R"({"target_url": "https://other/"})"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->target_url, "https://other/");
  EXPECT_EQ(r->auth, s.auth);
  EXPECT_EQ(r->extensions, s.extensions);
  EXPECT_EQ(r->created, T0());
  EXPECT_EQ(r->updated, T0() + std::chrono::seconds(1));
  EXPECT_EQ((*store_.Find(s.uuid))->target_url, "https://other/");
}

TEST_F(SubscriptionServiceTest, DisabledNullAndErrorNullReEnable) {
  Subscription s = MustCreate("alice");
  ASSERT_TRUE(store_.Disable(s.uuid, T0(), "target answered 410").ok());
  auto r = service_.Update("alice", s.uuid, Patch(R"({"disabled": null, "error": null})"));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->disabled.has_value());
  EXPECT_FALSE(r->error.has_value());
  EXPECT_EQ(store_.ListActive()->size(), 1u);
}

TEST_F(SubscriptionServiceTest, ChangingTheOwnerIsRefused) {
  Subscription s = MustCreate("alice");
  auto r = service_.Update("alice", s.uuid, Patch(R"({"user": "bob"})"));
  EXPECT_EQ(r.status(), InvalidArgumentError("'user' cannot be changed: subscription " + s.uuid +
                                             " belongs to 'alice', the body says 'bob'"));
  EXPECT_EQ((*store_.Find(s.uuid))->user, "alice");
}

TEST_F(SubscriptionServiceTest, RepeatingTheOwnerAndUuidIsAccepted) {
  Subscription s = MustCreate("alice");
  std::string body = R"({"user": "alice", "uuid": ")" + UuidHex(s.uuid) + R"(", "name": "x"})";
  auto r = service_.Update("alice", s.uuid, Patch(body));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->name, "x");
}

TEST_F(SubscriptionServiceTest, ChangingTheUuidIsRefused) {
  Subscription s = MustCreate("alice");
  auto r = service_.Update("alice", s.uuid,
                           Patch(R"({"uuid": "00000000-0000-4000-8000-000000000000"})"));
  EXPECT_EQ(r.status(), InvalidArgumentError(
                            "'uuid' cannot be changed: the body says "
                            "'00000000-0000-4000-8000-000000000000' for subscription " + s.uuid));
}

TEST_F(SubscriptionServiceTest, StoreOutageIsUnavailable) {
  store_.SetUnavailable(true);
  EXPECT_EQ(service_.List("alice").status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(changes_.empty());
}

}  // namespace
}  // namespace pn::api
