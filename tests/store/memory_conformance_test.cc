// The storage conformance suite on the in-memory fake, so tests that use the fake can trust it to
// behave as the real backends do.
#include "fakes/memory_store.h"
#include "store/testing/store_conformance.h"

namespace pn::testing {
namespace {

PN_INSTANTIATE_STORE_CONFORMANCE(
    Fake, ::testing::Values(StoreBackend{"Memory", []() -> Result<std::unique_ptr<Store>> {
      return std::unique_ptr<Store>(std::make_unique<MemoryStore>(std::nullopt));
    }}));

}  // namespace
}  // namespace pn::testing
