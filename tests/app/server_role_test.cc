// --role values: the three roles by name, and a message naming the choices for anything else.
#include <gtest/gtest.h>

#include "app/server_app.h"

namespace pn::app {
namespace {

TEST(ServerRole, NamesParseToTheirRolesAndBack) {
  for (ServerRole role : {ServerRole::kAll, ServerRole::kApi, ServerRole::kWorker}) {
    auto parsed = ParseServerRole(ServerRoleName(role));
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(*parsed, role);
  }
  EXPECT_EQ(ServerRoleName(ServerRole::kWorker), "worker");
}

TEST(ServerRole, UnknownNameIsRefusedNamingTheChoices) {
  auto parsed = ParseServerRole("Worker");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(parsed.status().message(),
            "unknown role \"Worker\": use api (HTTP API only), worker (deliveries only) or all");
}

}  // namespace
}  // namespace pn::app
