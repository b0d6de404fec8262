// Black-box: POST /receive on the built pacifica-notifications binary (temp SQLite database, no
// policy service), every receive mode through to a recording subscriber, the error answers as
// they go over the wire, and the stored event as `pacifica-notifications-cmd eventget` prints it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "api_server_process.h"
#include "common/uuid.h"
#include "fakes/http_test_client.h"
#include "fakes/scripted_server.h"
#include "json/json.h"

namespace pn::e2e {
namespace {

using pn::testing::HttpTestClient;
using pn::testing::RecordedRequest;
using pn::testing::ScriptedServer;
using pn::testing::TestResponse;

// A uuid in canonical form (lower-case, hyphenated), as /receive answers it.
bool IsCanonicalUuid(const std::string& s) {
  auto canonical = CanonicalUuid(s);
  return canonical.ok() && *canonical == s;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

class ReceiveE2eTest : public ::testing::Test {
 protected:
  void StartServer(std::vector<std::string> args = {}) {
    ASSERT_TRUE(server_.Start(std::move(args))) << server_.output();
    client_ = std::make_unique<HttpTestClient>(server_.port());
  }
  void SetUp() override { StartServer(); }
  void TearDown() override {
    client_.reset();
    EXPECT_EQ(server_.Terminate(), 0) << server_.output();
  }

  TestResponse Send(const std::string& body, const std::vector<std::string>& headers) {
    auto r = client_->Send("POST", "/receive", body, headers);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : TestResponse{};
  }
  void Subscribe(const std::string& jsonpath) {
    Json body = {{"name", "e2e"}, {"jsonpath", jsonpath}, {"target_url", target_.Url("/hook")}};
    auto r = client_->Send("POST", "/eventmatch", DumpCompact(body), {"Http-Remote-User: alice"});
    ASSERT_TRUE(r.ok() && r->status == 200) << (r.ok() ? r->body : r.status().ToString());
  }
  // The n-th delivery the subscriber received, waiting for it.
  RecordedRequest Delivered(size_t n) {
    EXPECT_TRUE(target_.WaitForRequests(n + 1, std::chrono::seconds(30)))
        << "deliveries: " << target_.RequestCount() << "\n" << server_.output();
    auto got = target_.Requests();
    return got.size() > n ? got[n] : RecordedRequest{};
  }

  ServerProcess server_;
  ScriptedServer target_;
  std::unique_ptr<HttpTestClient> client_;
};

TEST_F(ReceiveE2eTest, PacificaMetadataEventIsAcknowledgedThenDelivered) {
  Subscribe(R"($[?(@["eventType"] = "org.pacifica.metadata.ingest")]["data"][*]["_id"])");
  const std::string event = ReadFile(PN_TESTDATA_DIR "/events/example-ingest-event.json");
  TestResponse r = Send(event, {"Content-Type: application/json"});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_TRUE(IsCanonicalUuid(r.body)) << r.body;
  RecordedRequest d = Delivered(0);
  EXPECT_EQ(d.Path(), "/hook");
  EXPECT_EQ(d.Header("Content-Type"), "application/json");
  EXPECT_EQ(d.body, DumpPython(*ParseJson(event)));
}

TEST_F(ReceiveE2eTest, BinaryModeEventIsDeliveredAsStructured10) {
  Subscribe(R"($[?(@.type = "org.example.e2e")])");
  TestResponse r = Send(R"({"n": 1, "f": 2.5})",
                        {"Content-Type: application/json", "ce-specversion: 1.0", "ce-id: b-1",
                         "ce-source: /e2e/binary", "ce-type: org.example.e2e",
                         "ce-note: caf%C3%A9"});
  ASSERT_EQ(r.status, 200) << r.body;
  RecordedRequest d = Delivered(0);
  EXPECT_EQ(d.Header("Content-Type"), "application/cloudevents+json; charset=utf-8");
  EXPECT_EQ(d.body, R"({"specversion": "1.0", "id": "b-1", "source": "/e2e/binary", )"
                    R"("type": "org.example.e2e", "datacontenttype": "application/json", )"
                    R"("note": "caf\u00e9", "data": {"n": 1, "f": 2.5}, "extensions": {}})");
}

TEST_F(ReceiveE2eTest, BatchIsAnsweredWithUuidsAndEveryEventDelivered) {
  Subscribe(R"($[?(@.type = "org.example.e2e")])");
  TestResponse r = Send(R"([{"specversion": "1.0", "id": "1", "source": "/b", "type": "org.example.e2e"},
                            {"specversion": "1.0", "id": "2", "source": "/b", "type": "other"},
                            {"specversion": "1.0", "id": "3", "source": "/b", "type": "org.example.e2e"}])",
                        {"Content-Type: application/cloudevents-batch+json"});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("Content-Type"), "application/json");
  Json uuids = *ParseJson(r.body);
  ASSERT_EQ(uuids.size(), 3u);
  for (const auto& u : uuids) EXPECT_TRUE(IsCanonicalUuid(u.get<std::string>()));
  Delivered(1);
  std::vector<std::string> ids;
  for (const auto& d : target_.Requests()) ids.push_back((*ParseJson(d.body))["id"]);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"1", "3"}));
}

TEST_F(ReceiveE2eTest, NonObjectIs400WithJsonErrorBody) {
  TestResponse r = Send("[1, 2]", {"Content-Type: application/json"});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Header("Content-Type"), "application/json");
  Json body = *ParseJson(r.body);
  EXPECT_EQ(body["status"], "400 Bad Request");
  EXPECT_EQ(body["message"], "the event must be a JSON object, got an array");
}

TEST_F(ReceiveE2eTest, InvalidUtf8Is400) {
  TestResponse r = Send("{\"a\": \"\xc3\x28\"}", {"Content-Type: application/json"});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ((*ParseJson(r.body))["message"],
            "request body is not valid UTF-8 (invalid byte at offset 7)");
}

TEST_F(ReceiveE2eTest, Invalid10EventIs400NamingTheAttribute) {
  TestResponse r = Send(R"({"specversion": "1.0", "id": "1", "type": "t"})",
                        {"Content-Type: application/cloudevents+json"});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ((*ParseJson(r.body))["message"],
            "CloudEvents 1.0 event lacks the required attribute \"source\"");
}

TEST_F(ReceiveE2eTest, FormBodyIs400) {
  TestResponse r = Send("a=1", {"Content-Type: application/x-www-form-urlencoded"});
  EXPECT_EQ(r.status, 400);
}

TEST_F(ReceiveE2eTest, XmlCloudEventIs415) {
  TestResponse r = Send("<event/>", {"Content-Type: application/cloudevents+xml"});
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ((*ParseJson(r.body))["status"], "415 Unsupported Media Type");
}

TEST_F(ReceiveE2eTest, BodyOverMaxBodyBytesIs413) {
  TearDown();
  const std::string ini = server_.dir() + "/small.ini";
  std::ofstream(ini) << "[delivery]\nmax_body_bytes = 100\n";
  StartServer({"-c", ini});
  TestResponse r = Send("{\"k\": \"" + std::string(200, 'x') + "\"}",
                        {"Content-Type: application/json"});
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ((*ParseJson(r.body))["status"], "413 Request Entity Too Large");
}

TEST_F(ReceiveE2eTest, EventgetPrintsTheStoredEvent) {
  TestResponse r = Send(R"({"k": "\u00e9", "n": 1.0})", {"Content-Type: application/json"});
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string command = "PEEWEE_URL='" + server_.database_url() + "' HOME='" +
                              server_.dir() + "' " PN_BINARY_DIR
                              "/pacifica-notifications-cmd eventget " + r.body + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buf[4096];
  while (size_t n = std::fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  EXPECT_EQ(::pclose(pipe), 0) << out;
  EXPECT_EQ(out, "Event - " + r.body + "\n{\"k\": \"\\u00e9\", \"n\": 1.0}\n");
}

}  // namespace
}  // namespace pn::e2e
