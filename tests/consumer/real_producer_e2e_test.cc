// The upper-casing consumer against our own producer binary (pacifica-notifications, SQLite,
// no policy service): registration, delivery of a /receive'd event, upload, unregistration.
// Built only when the pacifica-notifications target exists (tests/consumer/CMakeLists.txt).
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "e2e_fixture.h"
#include "test_zip.h"

namespace pn::consumer::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

TEST_F(ConsumerE2eTest, UppercaseConsumerWorksWithTheRealProducer) {
  StartServices({}, {}, /*fake_producer=*/false);
  producer_port_ = FreePort();
  std::string ini = (root_ / "notifications.ini").string();
  WriteFile(ini, "[notifications]\npolicy_url =\n[database]\npeewee_url = sqlite:///" +
                     (root_ / "notifications.db").string() + "\n");
  BackgroundProcess producer(
      {std::string(PN_BINARY_DIR) + "/pacifica-notifications", "-c", ini, "-p",
       std::to_string(producer_port_), "-a", "127.0.0.1"},
      (root_ / "producer.stderr").string(), {"POLICY_URL="});
  ASSERT_TRUE(WaitUntil([&] { return HttpCall("GET", ProducerUrl() + "/health").status == 200; },
                        seconds(60)))
      << producer.Stderr();

  auto runner = StartRunner(MakeZip());
  ExpectReady(*runner);
  HttpReply received = HttpCall("POST", ProducerUrl() + "/receive",
                                ReadFile(std::string(PN_TESTDATA_DIR) + "/consumer/uppercase-event.json"));
  ASSERT_EQ(received.status, 200) << received.body;

  std::string bundle = ingest_dir_ + "/1302.tar";
  ASSERT_TRUE(WaitUntil([&] { return TarMember(bundle, "metadata.txt").has_value(); }, seconds(120)))
      << runner->Stderr() << producer.Stderr();
  EXPECT_EQ(TarMember(bundle, "data/lipsum.txt"),
            "LOREM IPSUM DOLOR SIT AMET, CONSECTETUR ADIPISCING ELIT.\n");
  auto metadata = ParseJson(*TarMember(bundle, "metadata.txt"));
  ASSERT_TRUE(metadata.ok());
  bool provenance = false, hashed = false;
  for (const auto& item : *metadata) {
    provenance = provenance || (item["destinationTable"] == "TransactionKeyValue" &&
                                item["key"] == "Transactions._id" && item["value"] == 1301);
    hashed = hashed || (item["destinationTable"] == "Files" && item["size"] == 57 &&
                        item["hashsum"] == "cef7e4dc88cbc8dfb9f4a6cce11a9a4459a164aa");
  }
  EXPECT_TRUE(provenance) << metadata->dump();
  EXPECT_TRUE(hashed) << metadata->dump();

  runner->Signal(SIGTERM);
  EXPECT_EQ(runner->WaitForExit(seconds(60)), 0) << runner->Stderr();
  // Deleted subscriptions answer 403, as the original does.
  EXPECT_EQ(HttpCall("GET", ProducerUrl() + "/eventmatch/" + subscription_).status, 403);
  producer.Signal(SIGTERM);
  EXPECT_EQ(producer.WaitForExit(seconds(30)), 0) << producer.Stderr();
}

}  // namespace
}  // namespace pn::consumer::testing
