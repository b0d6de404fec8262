#include "api/error_response.h"

#include <gtest/gtest.h>

namespace pn::api {
namespace {

TEST(HttpStatusForTest, MapsEveryStatusCode) {
  EXPECT_EQ(HttpStatusFor(StatusCode::kOk), 200);
  EXPECT_EQ(HttpStatusFor(StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(StatusCode::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatusFor(StatusCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(StatusCode::kAlreadyExists), 409);
  EXPECT_EQ(HttpStatusFor(StatusCode::kFailedPrecondition), 409);
  EXPECT_EQ(HttpStatusFor(StatusCode::kResourceExhausted), 413);
  EXPECT_EQ(HttpStatusFor(StatusCode::kInternal), 500);
  EXPECT_EQ(HttpStatusFor(StatusCode::kUnimplemented), 501);
  EXPECT_EQ(HttpStatusFor(StatusCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatusFor(StatusCode::kDeadlineExceeded), 504);
}

TEST(ErrorResponseTest, BodyHasTheFourKeysInOrderFormattedLikePython) {
  auto r = ErrorResponse(404, "Nothing matches the given URI");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.headers.Get("Content-Type"), "application/json");
  EXPECT_EQ(r.body, std::string(R"({"status": "404 Not Found", "message": "Nothing matches the )") +
                        R"(given URI", "traceback": "", "version": ")" +
                        std::string(ServiceVersion()) + "\"}");
}

TEST(ErrorResponseTest, StatusBecomesItsHttpStatusAndMessage) {
  auto r = ErrorResponse(InvalidArgumentError("'name' must be a string, got a number"));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find(R"("status": "400 Bad Request", "message": "'name' must be a string, )"
                        R"(got a number")"),
            std::string::npos)
      << r.body;
}

TEST(ErrorResponseTest, NonAsciiMessageIsEscapedLikePython) {
  auto r = ErrorResponse(400, "caf\xc3\xa9");
  EXPECT_NE(r.body.find(R"("message": "caf\u00e9")"), std::string::npos) << r.body;
}

TEST(ErrorResponseTest, VersionIsTheProjectVersion) { EXPECT_EQ(ServiceVersion(), PN_VERSION_STRING); }

}  // namespace
}  // namespace pn::api
