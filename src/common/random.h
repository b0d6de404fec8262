// RandomSource: injected randomness (jitter, ids), so logic is reproducible in tests.
// Thread-safety: SystemRandom is internally locked; SeededRandom is not thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <random>

namespace pn {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual uint64_t NextU64() = 0;
  // Uniform in [0, 1).
  double NextUnit() { return static_cast<double>(NextU64() >> 11) * 0x1.0p-53; }
};

class SeededRandom final : public RandomSource {
 public:
  explicit SeededRandom(uint64_t seed) : engine_(seed) {}
  uint64_t NextU64() override { return engine_(); }

 private:
  std::mt19937_64 engine_;
};

// Seeded from std::random_device; for production wiring.
class SystemRandom final : public RandomSource {
 public:
  SystemRandom();
  uint64_t NextU64() override;
  static SystemRandom& Instance();

 private:
  std::mutex mu_;
  std::mt19937_64 engine_;
};

}  // namespace pn
