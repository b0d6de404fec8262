#include "common/random.h"

namespace pn {

SystemRandom::SystemRandom() {
  std::random_device rd;
  std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
  engine_.seed(seq);
}

uint64_t SystemRandom::NextU64() {
  std::lock_guard lock(mu_);
  return engine_();
}

SystemRandom& SystemRandom::Instance() {
  static SystemRandom random;
  return random;
}

}  // namespace pn
