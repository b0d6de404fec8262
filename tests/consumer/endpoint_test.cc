#include "consumer/endpoint.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace pn::consumer {
namespace {

namespace fs = std::filesystem;

constexpr const char* kIngestOnly = R"($[?(@["eventType"] = "org.pacifica.metadata.ingest")])";
constexpr const char* kIngestEvent = R"({"eventType": "org.pacifica.metadata.ingest", "eventID": "x"})";
constexpr const char* kOrmEvent = R"({"eventType": "org.pacifica.metadata.orm", "eventID": "y"})";

class EndpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("pn-endpoint-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) +
            "-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    queue_ = std::move(*JobQueue::Open((dir_ / "jobs.sqlite").string(), clock_, random_));
  }
  void TearDown() override {
    queue_.reset();
    fs::remove_all(dir_);
  }
  http::Handler Handler(CallbackAuth auth = {}) {
    EndpointDeps deps;
    deps.queue = queue_.get();
    deps.jsonpath = *jsonpath::Parse(kIngestOnly);
    deps.auth = auth;
    deps.on_enqueued = [this] { ++wakeups_; };
    deps.version = "test";
    return MakeConsumerHandler(deps);
  }
  http::Response Call(const http::Handler& h, std::string method, std::string path,
                      std::string body = "", http::Headers headers = {}) {
    http::Request req;
    req.method = std::move(method);
    req.path = path;
    req.target = path;
    req.body = std::move(body);
    req.headers = std::move(headers);
    http::Response out;
    h(req, [&](http::Response r) { out = std::move(r); });
    return out;
  }
  static std::string JobId(const http::Response& r) { return ParseJson(r.body)->get<std::string>(); }

  fs::path dir_;
  ManualClock clock_{Timestamp(std::chrono::seconds(1589317407))};
  SeededRandom random_{11};
  std::unique_ptr<JobQueue> queue_;
  int wakeups_ = 0;
};

TEST_F(EndpointTest, ReceiveStoresAMatchingEventAndAnswersItsJobId) {
  auto r = Call(Handler(), "POST", "/receive", kIngestEvent);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.Get("Content-Type"), "application/json");
  auto job = queue_->Get(JobId(r));
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(job->state, kJobQueued);
  EXPECT_EQ(job->body, kIngestEvent);
  EXPECT_EQ(wakeups_, 1);
}

TEST_F(EndpointTest, ANonMatchingEventIsAcceptedAndRecordedAs422) {
  auto r = Call(Handler(), "POST", "/receive", kOrmEvent);
  ASSERT_EQ(r.status, 200);
  auto job = queue_->Get(JobId(r));
  EXPECT_EQ(job->state, kJobNotMatched);
  EXPECT_EQ(job->outcome.error, "the event does not match this consumer's jsonpath2.txt");
  EXPECT_EQ(wakeups_, 0);
}

TEST_F(EndpointTest, MalformedJsonIs400) {
  auto r = Call(Handler(), "POST", "/receive", "{not json");
  EXPECT_EQ(r.status, 400);
  auto body = ParseJson(r.body);
  EXPECT_EQ((*body)["status"], "400 Bad Request");
  EXPECT_EQ((*body)["message"].get<std::string>().rfind("the body is not valid JSON: ", 0), 0u);
}

TEST_F(EndpointTest, ANonObjectBodyIs400) {
  auto r = Call(Handler(), "POST", "/receive", "[1, 2]");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ((*ParseJson(r.body))["message"], "the body must be a JSON object (a CloudEvent)");
}

TEST_F(EndpointTest, BasicCallbackAuthRejectsAMissingHeader) {
  CallbackAuth auth;
  auth.type = CallbackAuth::Type::kBasic;
  auth.username = "producer";
  auth.password = "s3cret";
  auto r = Call(Handler(auth), "POST", "/receive", kIngestEvent);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ((*ParseJson(r.body))["message"],
            "missing or wrong credentials for this consumer's /receive");
}

TEST_F(EndpointTest, BasicCallbackAuthAcceptsTheRightCredentials) {
  CallbackAuth auth;
  auth.type = CallbackAuth::Type::kBasic;
  auth.username = "producer";
  auth.password = "s3cret";
  http::Headers headers;
  headers.Add("authorization", "Basic cHJvZHVjZXI6czNjcmV0");
  EXPECT_EQ(Call(Handler(auth), "POST", "/receive", kIngestEvent, headers).status, 200);
}

TEST_F(EndpointTest, HeaderCallbackAuthBecomesTheSubscriptionAuth) {
  CallbackAuth auth;
  auth.type = CallbackAuth::Type::kHeader;
  auth.scheme = "Bearer";
  auth.credentials = "tok";
  EXPECT_EQ(auth.ToSubscriptionAuth(),
            Json::parse(R"({"type": "header", "header": {"type": "Bearer", "credentials": "tok"}})"));
  http::Headers headers;
  headers.Add("Authorization", "Bearer tok");
  EXPECT_EQ(Call(Handler(auth), "POST", "/receive", kIngestEvent, headers).status, 200);
}

TEST_F(EndpointTest, StatusAnswersTheJobStateString) {
  auto id = JobId(Call(Handler(), "POST", "/receive", kIngestEvent));
  auto r = Call(Handler(), "GET", "/status/" + id);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "\"202 Accepted\"");
}

TEST_F(EndpointTest, GetAnswersTheFullRecord) {
  auto h = Handler();
  auto id = JobId(Call(h, "POST", "/receive", kIngestEvent));
  ASSERT_TRUE(queue_->ClaimNext().ok());
  ASSERT_TRUE(queue_->Finish(id, {kJobFailed, 1, "o", "e", "the entry point failed", {}}).ok());
  auto body = *ParseJson(Call(h, "GET", "/get/" + id).body);
  EXPECT_EQ(body["taskID"], id);
  EXPECT_EQ(body["taskStatus"], "500 Internal Server Error");
  EXPECT_EQ(body["eventType"], "org.pacifica.metadata.ingest");
  EXPECT_EQ(body["eventData"], kIngestEvent);
  EXPECT_EQ(body["exitCode"], 1);
  EXPECT_EQ(body["stdout"], "o");
  EXPECT_EQ(body["stderr"], "e");
  EXPECT_EQ(body["error"], "the entry point failed");
}

TEST_F(EndpointTest, AnUnknownJobIs404) {
  auto r = Call(Handler(), "GET", "/status/00000000-0000-4000-8000-000000000000");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ((*ParseJson(r.body))["message"], "no job 00000000-0000-4000-8000-000000000000");
}

TEST_F(EndpointTest, AMalformedJobIdIs422) {
  auto r = Call(Handler(), "GET", "/get/not-a-uuid");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ((*ParseJson(r.body))["message"], "\"not-a-uuid\" is not a job id (a UUID)");
}

TEST_F(EndpointTest, RootListsEveryJobNewestFirst) {
  auto h = Handler();
  auto first = JobId(Call(h, "POST", "/receive", kIngestEvent));
  auto second = JobId(Call(h, "POST", "/receive", kOrmEvent));
  auto list = *ParseJson(Call(h, "GET", "/").body);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["taskID"], second);
  EXPECT_EQ(list[0]["taskStatus"], "422 Unprocessable Entity");
  EXPECT_EQ(list[1]["taskID"], first);
}

TEST_F(EndpointTest, GetOnReceiveIs405) {
  EXPECT_EQ(Call(Handler(), "GET", "/receive").status, 405);
}

TEST_F(EndpointTest, AnUnknownPathIs404) {
  EXPECT_EQ(Call(Handler(), "GET", "/eventmatch").status, 404);
}

}  // namespace
}  // namespace pn::consumer
