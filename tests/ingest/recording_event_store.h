// An EventStore that keeps events and deliveries in memory, records every Append call, can be
// told to fail, and can hold Append at a gate so tests can pile up requests deterministically.
// Thread-safety: internally locked.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <vector>

#include "store/store.h"

namespace pn::ingest::testing {

class RecordingEventStore final : public EventStore {
 public:
  Status Append(std::span<const NewEvent> batch) override;
  Status AddDeliveries(std::span<const Delivery> deliveries) override;
  Result<std::optional<StoredEvent>> FindEvent(std::string_view uuid) override;
  Result<std::vector<StoredEvent>> ListEvents(Timestamp after, Timestamp before,
                                              int limit) override;
  Result<std::vector<Delivery>> DeliveriesForEvent(std::string_view event_uuid) override;
  Result<std::vector<std::string>> EventsCreatedBefore(Timestamp before, int limit) override;
  Result<int64_t> PurgeEvents(std::span<const std::string> uuids) override;

  void FailWith(Status s);
  // While closed, Append blocks (after counting itself as entered) until Open().
  void CloseGate();
  void OpenGate();
  // Waits (up to 30 s) until `n` Append calls have entered; false on timeout.
  bool WaitForAppendsEntered(int n);

  std::vector<size_t> append_sizes() const;  // events per Append call, in order
  std::vector<StoredEvent> events() const;
  std::vector<Delivery> deliveries() const;

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  Status fail_;
  bool gate_closed_ = false;
  int appends_entered_ = 0;
  std::vector<size_t> append_sizes_;
  std::vector<StoredEvent> events_;
  std::vector<Delivery> deliveries_;
};

}  // namespace pn::ingest::testing
