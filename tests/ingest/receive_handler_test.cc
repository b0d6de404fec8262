#include "ingest/receive_handler.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <future>

#include "../match/fake_subscription_store.h"
#include "api/error_response.h"
#include "common/time_format.h"
#include "recording_event_store.h"

namespace pn::ingest {
namespace {

using match::testing::FakeSubscriptionStore;
using testing::RecordingEventStore;

class ReceiveHandlerTest : public ::testing::Test {
 protected:
  ReceiveHandlerTest()
      : clock_(*ParseTimestamp("2026-03-01T10:00:00")),
        random_(11),
        committer_(events_, index_, clock_, random_, nullptr),
        handler_(MakeReceiveHandler(committer_, {ReceiveLimits{200}})) {}

  http::Response Call(std::string method, std::string body, std::string content_type) {
    http::Request req;
    req.method = std::move(method);
    req.target = req.path = "/receive";
    if (!content_type.empty()) req.headers.Add("Content-Type", std::move(content_type));
    req.body = std::move(body);
    std::promise<http::Response> answered;
    auto future = answered.get_future();
    handler_(std::move(req), [&answered](http::Response r) { answered.set_value(std::move(r)); });
    EXPECT_EQ(future.wait_for(std::chrono::seconds(30)), std::future_status::ready);
    return future.get();
  }

  FakeSubscriptionStore subs_;
  match::SubscriptionIndex index_{subs_};
  RecordingEventStore events_;
  ManualClock clock_;
  SeededRandom random_;
  GroupCommitter committer_;
  http::Handler handler_;
};

TEST_F(ReceiveHandlerTest, AnswersStoredUuidAsPlainText) {
  http::Response r = Call("POST", R"({"k": 2})", "application/json");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.Get("content-type"), "text/plain; charset=utf-8");
  ASSERT_EQ(events_.events().size(), 1u);
  EXPECT_EQ(r.body, events_.events()[0].uuid);
}

TEST_F(ReceiveHandlerTest, AnswersBatchWithJsonArrayOfUuids) {
  http::Response r = Call("POST",
                          R"([{"specversion":"1.0","id":"1","source":"s","type":"t"},)"
                          R"({"specversion":"1.0","id":"2","source":"s","type":"t"}])",
                          "application/cloudevents-batch+json");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.Get("content-type"), "application/json");
  auto stored = events_.events();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(r.body, "[\"" + stored[0].uuid + "\", \"" + stored[1].uuid + "\"]");
}

TEST_F(ReceiveHandlerTest, BadJsonIs400WithJsonErrorBody) {
  http::Response r = Call("POST", "[1]", "application/json");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.headers.Get("content-type"), "application/json");
  EXPECT_EQ(r.body, R"({"status": "400 Bad Request", "message": "the event must be a JSON )"
                    R"(object, got an array", "traceback": "", "version": ")" +
                        std::string(api::ServiceVersion()) + "\"}");
  EXPECT_TRUE(events_.events().empty());
}

TEST_F(ReceiveHandlerTest, OversizedBodyIs413) {
  http::Response r = Call("POST", "{\"k\": \"" + std::string(300, 'x') + "\"}", "");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.body, R"({"status": "413 Request Entity Too Large", "message": "request body is )"
                    R"x(309 bytes, more than the 200 bytes allowed (max_body_bytes)", )x"
                    R"("traceback": "", "version": ")" +
                        std::string(api::ServiceVersion()) + "\"}");
}

TEST_F(ReceiveHandlerTest, UnsupportedEventFormatIs415) {
  http::Response r = Call("POST", "<e/>", "application/cloudevents+xml");
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(Json::parse(r.body)["status"], "415 Unsupported Media Type");
}

TEST_F(ReceiveHandlerTest, StoreFailureIs503) {
  events_.FailWith(UnavailableError("database is locked"));
  http::Response r = Call("POST", R"({"k": 2})", "application/json");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body, R"({"status": "503 Service Unavailable", "message": "the event could not )"
                    R"x(be stored, so it was not accepted; retry later (database is locked)", )x"
                    R"("traceback": "", "version": ")" +
                        std::string(api::ServiceVersion()) + "\"}");
}

TEST_F(ReceiveHandlerTest, OtherMethodIs405WithAllow) {
  http::Response r = Call("GET", "", "");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers.Get("allow"), "POST");
  EXPECT_EQ(Json::parse(r.body)["message"], "Specified method is invalid for this resource");
}

}  // namespace
}  // namespace pn::ingest
