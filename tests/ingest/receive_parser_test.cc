#include "ingest/receive_parser.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace pn::ingest {
namespace {

http::Request Post(std::string body, std::string content_type = "application/json") {
  http::Request r;
  r.method = "POST";
  r.target = r.path = "/receive";
  if (!content_type.empty()) r.headers.Add("Content-Type", std::move(content_type));
  r.body = std::move(body);
  return r;
}

http::Request Binary(std::string body, std::string content_type = "application/json") {
  http::Request r = Post(std::move(body), std::move(content_type));
  r.headers.Add("ce-specversion", "1.0");
  r.headers.Add("ce-id", "A234-1234-1234");
  r.headers.Add("ce-source", "/mycontext");
  r.headers.Add("ce-type", "com.example.someevent");
  return r;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

Status ErrorOf(const http::Request& r, size_t max = 1 << 20) {
  auto got = ParseReceiveRequest(r, ReceiveLimits{max});
  return got.ok() ? OkStatus() : got.status();
}

Json One(const http::Request& r) {
  auto got = ParseReceiveRequest(r, ReceiveLimits{});
  EXPECT_TRUE(got.ok()) << got.status().ToString();
  if (!got.ok()) return Json();
  EXPECT_FALSE(got->batch);
  EXPECT_EQ(got->events.size(), 1u);
  return got->events.at(0);
}

const char* kEvent10 =
    R"({"specversion": "1.0", "id": "1", "source": "/s", "type": "t", "data": {"k": 1}})";

TEST(ReceiveParser, AcceptsPacificaMetadataEvent01) {
  std::string text = ReadFile(PN_TESTDATA_DIR "/events/example-ingest-event.json");
  EXPECT_EQ(One(Post(text)), Json::parse(text));
}

TEST(ReceiveParser, Accepts01WithCloudEventsContentTypeAsTheOriginalTestsSendIt) {
  std::string text = ReadFile(PN_TESTDATA_DIR "/events/example-orm-event.json");
  EXPECT_EQ(One(Post(text, "application/cloudevents+json; charset=utf-8")), Json::parse(text));
}

TEST(ReceiveParser, AcceptsAnyObjectWithoutContentType) {
  EXPECT_EQ(One(Post(R"({"k": 2})", "")), Json::parse(R"({"k": 2})"));
}

TEST(ReceiveParser, AcceptsStructured10) {
  EXPECT_EQ(One(Post(kEvent10, "application/cloudevents+json")), Json::parse(kEvent10));
}

TEST(ReceiveParser, KeepsMemberOrderAndNumberKinds) {
  EXPECT_EQ(DumpPython(One(Post(R"({"z": 1, "a": 1.0, "m": [2, 2.5]})"))),
            R"({"z": 1, "a": 1.0, "m": [2, 2.5]})");
}

TEST(ReceiveParser, Rejects10WithoutId) {
  EXPECT_EQ(ErrorOf(Post(R"({"specversion": "1.0", "source": "/s", "type": "t"})")),
            InvalidArgumentError("CloudEvents 1.0 event lacks the required attribute \"id\""));
}

TEST(ReceiveParser, Rejects10WithEmptySource) {
  EXPECT_EQ(ErrorOf(Post(R"({"specversion": "1.0", "id": "1", "source": "", "type": "t"})")),
            InvalidArgumentError("CloudEvents 1.0 attribute \"source\" must be a non-empty "
                                 "string, got an empty string"));
}

TEST(ReceiveParser, Rejects10WithNumericType) {
  EXPECT_EQ(ErrorOf(Post(R"({"specversion": "1.0", "id": "1", "source": "/s", "type": 7})")),
            InvalidArgumentError("CloudEvents 1.0 attribute \"type\" must be a non-empty string, "
                                 "got a number"));
}

TEST(ReceiveParser, RejectsUnknownSpecversion) {
  EXPECT_EQ(ErrorOf(Post(R"({"specversion": "0.3", "id": "1", "source": "/s", "type": "t"})")),
            InvalidArgumentError("unsupported CloudEvents specversion \"0.3\": this service "
                                 "accepts \"1.0\" (and CloudEvents 0.1 events, which carry "
                                 "\"cloudEventsVersion\" instead)"));
}

TEST(ReceiveParser, RejectsNonStringSpecversion) {
  EXPECT_EQ(ErrorOf(Post(R"({"specversion": 1.0})")),
            InvalidArgumentError("CloudEvents attribute \"specversion\" must be a string, got a "
                                 "number"));
}

TEST(ReceiveParser, RejectsBothDataAndDataBase64) {
  EXPECT_EQ(ErrorOf(Post(R"({"specversion": "1.0", "id": "1", "source": "/s", "type": "t",
                             "data": 1, "data_base64": "AA=="})")),
            InvalidArgumentError(
                "a CloudEvents 1.0 event must not have both \"data\" and \"data_base64\""));
}

TEST(ReceiveParser, RejectsArray) {
  EXPECT_EQ(ErrorOf(Post("[1, 2]")),
            InvalidArgumentError("the event must be a JSON object, got an array"));
}

TEST(ReceiveParser, RejectsString) {
  EXPECT_EQ(ErrorOf(Post(R"("hello")")),
            InvalidArgumentError("the event must be a JSON object, got a string"));
}

TEST(ReceiveParser, RejectsInvalidJson) {
  EXPECT_EQ(ErrorOf(Post(R"({"a": })")),
            InvalidArgumentError("request body is not valid JSON: parse error at line 1, column "
                                 "7: syntax error while parsing value - unexpected '}'; expected "
                                 "'[', '{', or a literal"));
}

TEST(ReceiveParser, RejectsInvalidUtf8) {
  EXPECT_EQ(ErrorOf(Post("{\"a\": \"\xff\"}")),
            InvalidArgumentError("request body is not valid UTF-8 (invalid byte at offset 7)"));
}

TEST(ReceiveParser, RejectsEmptyBody) {
  EXPECT_EQ(ErrorOf(Post("")),
            InvalidArgumentError("request body is empty: send the event as JSON"));
}

TEST(ReceiveParser, RejectsOversizedBodyBeforeParsing) {
  EXPECT_EQ(ErrorOf(Post("{\"k\": \"0123456789\"}"), 10),
            ResourceExhaustedError("request body is 19 bytes, more than the 10 bytes allowed "
                                   "(max_body_bytes)"));
}

TEST(ReceiveParser, AcceptsBodyOfExactlyTheLimit) {
  EXPECT_TRUE(ErrorOf(Post("{\"k\": 1}"), 8).ok());
}

TEST(ReceiveParser, RejectsFormEncodedBody) {
  EXPECT_EQ(ErrorOf(Post("a=1", "application/x-www-form-urlencoded")),
            InvalidArgumentError("form-encoded bodies are not accepted (Content-Type "
                                 "application/x-www-form-urlencoded): send the event as JSON with "
                                 "Content-Type application/json"));
}

TEST(ReceiveParser, RejectsMultipartBody) {
  EXPECT_EQ(ErrorOf(Post("--x--", "multipart/form-data; boundary=x")).code(),
            StatusCode::kInvalidArgument);
}

TEST(ReceiveParser, RejectsNonJsonCloudEventsFormatAs415) {
  EXPECT_EQ(ErrorOf(Post("<e/>", "application/cloudevents+xml")),
            UnimplementedError("unsupported CloudEvents event format application/cloudevents+xml:"
                               " only application/cloudevents+json is accepted"));
}

TEST(ReceiveParser, RejectsNonJsonBatchFormatAs415) {
  EXPECT_EQ(ErrorOf(Post("x", "application/cloudevents-batch+protobuf")),
            UnimplementedError("unsupported CloudEvents batch format "
                               "application/cloudevents-batch+protobuf: only "
                               "application/cloudevents-batch+json is accepted"));
}

TEST(ReceiveParser, BinaryModeJsonBodyBecomesStructuredData) {
  http::Request r = Binary(R"({"k": [1, 2.0]})");
  r.headers.Add("ce-time", "2018-04-05T17:31:00Z");
  r.headers.Add("CE-MyExt", "caf%C3%A9%20au%20lait");
  EXPECT_EQ(DumpPython(One(r)),
            R"({"specversion": "1.0", "id": "A234-1234-1234", "source": "/mycontext", )"
            R"("type": "com.example.someevent", "datacontenttype": "application/json", )"
            R"("time": "2018-04-05T17:31:00Z", "myext": "caf\u00e9 au lait", )"
            R"("data": {"k": [1, 2.0]}})");
}

TEST(ReceiveParser, BinaryModeTextBodyBecomesString) {
  Json e = One(Binary("hello world", "text/plain"));
  EXPECT_EQ(e["data"], "hello world");
  EXPECT_EQ(e["datacontenttype"], "text/plain");
}

TEST(ReceiveParser, BinaryModeNonUtf8BodyBecomesDataBase64) {
  Json e = One(Binary(std::string("\x00\xff\x10", 3), "application/octet-stream"));
  EXPECT_FALSE(e.contains("data"));
  EXPECT_EQ(e["data_base64"], "AP8Q");
}

TEST(ReceiveParser, BinaryModeWithoutBodyHasNoData) {
  Json e = One(Binary("", ""));
  EXPECT_EQ(DumpPython(e), R"({"specversion": "1.0", "id": "A234-1234-1234", "source": )"
                           R"("/mycontext", "type": "com.example.someevent"})");
}

TEST(ReceiveParser, BinaryModeWithoutContentTypeReadsBodyAsJson) {
  EXPECT_EQ(One(Binary("[1]", ""))["data"], Json::parse("[1]"));
}

TEST(ReceiveParser, BinaryModeRejectsInvalidJsonBody) {
  EXPECT_EQ(ErrorOf(Binary("{", "application/json")),
            InvalidArgumentError("binary-mode body is declared as JSON (Content-Type "
                                 "application/json) but is not: invalid JSON: parse error at line "
                                 "1, column 2: syntax error while parsing object key - unexpected "
                                 "end of input; expected string literal"));
}

TEST(ReceiveParser, BinaryModeRejectsMissingId) {
  http::Request r = Post("{}");
  r.headers.Add("ce-specversion", "1.0");
  r.headers.Add("ce-source", "/s");
  r.headers.Add("ce-type", "t");
  EXPECT_EQ(ErrorOf(r), InvalidArgumentError("binary-mode CloudEvents request lacks the required "
                                             "header ce-id"));
}

TEST(ReceiveParser, BinaryModeRejectsUnknownSpecversion) {
  http::Request r = Binary("{}");
  r.headers.Set("ce-specversion", "0.3");
  EXPECT_EQ(ErrorOf(r).message().rfind("unsupported CloudEvents specversion \"0.3\"", 0), 0u);
}

TEST(ReceiveParser, BinaryModeRejectsBadPercentEncoding) {
  http::Request r = Binary("{}");
  r.headers.Add("ce-ext", "50%");
  EXPECT_EQ(ErrorOf(r), InvalidArgumentError("binary-mode header ce-ext is not validly "
                                             "percent-encoded: '%' at offset 2 is not followed by "
                                             "two hex digits"));
}

TEST(ReceiveParser, BinaryModeRejectsHeaderDecodingToInvalidUtf8) {
  http::Request r = Binary("{}");
  r.headers.Add("ce-ext", "a%FFb");
  EXPECT_EQ(ErrorOf(r), InvalidArgumentError("binary-mode header ce-ext does not decode to UTF-8 "
                                             "(invalid byte at offset 1)"));
}

TEST(ReceiveParser, StructuredContentTypeWinsOverCeHeaders) {
  http::Request r = Binary(kEvent10, "application/cloudevents+json");
  r.headers.Set("ce-id", "ignored");
  EXPECT_EQ(One(r)["id"], "1");
}

TEST(ReceiveParser, BatchGivesEveryEventInOrder) {
  auto got = ParseReceiveRequest(
      Post(std::string("[") + kEvent10 + R"(, {"specversion": "1.0", "id": "2", "source": "/s",)"
                                         R"( "type": "t"}])",
           "application/cloudevents-batch+json"),
      ReceiveLimits{});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(got->batch);
  ASSERT_EQ(got->events.size(), 2u);
  EXPECT_EQ(got->events[0]["id"], "1");
  EXPECT_EQ(got->events[1]["id"], "2");
}

TEST(ReceiveParser, EmptyBatchIsAccepted) {
  auto got = ParseReceiveRequest(Post("[]", "application/cloudevents-batch+json"), {});
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->batch);
  EXPECT_TRUE(got->events.empty());
}

TEST(ReceiveParser, BatchMustBeAnArray) {
  EXPECT_EQ(ErrorOf(Post(kEvent10, "application/cloudevents-batch+json")),
            InvalidArgumentError("a CloudEvents batch must be a JSON array, got an object"));
}

TEST(ReceiveParser, BatchElementMustBeAnObject) {
  EXPECT_EQ(ErrorOf(Post(std::string("[") + kEvent10 + ", 3]",
                         "application/cloudevents-batch+json")),
            InvalidArgumentError("batch element 1: the event must be a JSON object, got a number"));
}

TEST(ReceiveParser, BatchElementMustBeCloudEvents10) {
  EXPECT_EQ(ErrorOf(Post(R"([{"cloudEventsVersion": "0.1"}])",
                         "application/cloudevents-batch+json")),
            InvalidArgumentError("batch element 0: a batch holds CloudEvents 1.0 events, and this "
                                 "one has no \"specversion\""));
}

TEST(ReceiveParser, BatchElementIsValidated) {
  EXPECT_EQ(ErrorOf(Post(R"([{"specversion": "1.0", "id": "1", "source": "/s"}])",
                         "application/cloudevents-batch+json")),
            InvalidArgumentError("batch element 0: CloudEvents 1.0 event lacks the required "
                                 "attribute \"type\""));
}

}  // namespace
}  // namespace pn::ingest
