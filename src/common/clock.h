// Clock: the one way logic learns the time, so tests can drive it. Timestamps are UTC with
// microsecond resolution, the precision the original stored.
// Thread-safety: SystemClock is stateless; ManualClock is internally locked.
#pragma once

#include <chrono>
#include <mutex>

namespace pn {

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;
using Duration = std::chrono::microseconds;

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time (UTC), for what is recorded and shown.
  virtual Timestamp Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp Now() const override;
  // A process-wide instance for wiring in main(); logic receives a Clock& instead.
  static SystemClock& Instance();
};

// A clock that moves only when told to; for tests and simulations.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start) : now_(start) {}
  Timestamp Now() const override;
  void Advance(Duration d);
  void Set(Timestamp t);

 private:
  mutable std::mutex mu_;
  Timestamp now_;
};

}  // namespace pn
