// The subscription operations behind /eventmatch, free of HTTP: ownership checks, partial
// updates, soft deletes, ids from the injected RandomSource and times from the injected Clock.
// Unknown, foreign and deleted subscriptions all answer PermissionDenied, so a caller cannot
// learn whether someone else's subscription exists.
// Thread-safety: all methods may be called concurrently (the store is thread-safe; the random
// source is used under a lock).
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "api/subscription_request.h"
#include "common/clock.h"
#include "common/random.h"
#include "common/status.h"
#include "model/subscription.h"
#include "store/store.h"

namespace pn::api {

// Told after every successful write (create, update, delete) with the row as stored; the app
// wires it to the match index. Called on the request's thread; must not block for long.
using SubscriptionChangeListener = std::function<void(const Subscription& changed)>;

class SubscriptionService {
 public:
  SubscriptionService(SubscriptionStore& store, const Clock& clock, RandomSource& random,
                      SubscriptionChangeListener on_change = nullptr);

  // A new subscription owned by `user`. InvalidArgument for a user name over 255 bytes.
  Result<Subscription> Create(std::string_view user, const SubscriptionPatch& patch);
  // The user's non-deleted subscriptions (disabled included), oldest first.
  Result<std::vector<Subscription>> List(std::string_view user);
  // InvalidArgument for a malformed uuid; PermissionDenied for unknown/foreign/deleted.
  Result<Subscription> Get(std::string_view user, std::string_view uuid_text);
  // Partial update: absent fields are kept; disabled/error null re-enable. InvalidArgument when
  // the body tries to change `user` or `uuid`.
  Result<Subscription> Update(std::string_view user, std::string_view uuid_text,
                              const SubscriptionPatch& patch);
  // Soft delete: sets `deleted` and `updated`.
  Status Delete(std::string_view user, std::string_view uuid_text);

 private:
  void Notify(const Subscription& s);

  SubscriptionStore& store_;
  const Clock& clock_;
  std::mutex random_mu_;
  RandomSource& random_;
  SubscriptionChangeListener on_change_;
};

}  // namespace pn::api
