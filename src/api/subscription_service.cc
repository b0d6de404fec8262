#include "api/subscription_service.h"

#include "common/uuid.h"

namespace pn::api {
namespace {

Result<std::string> PathUuid(std::string_view text) {
  auto canonical = CanonicalUuid(text);
  if (!canonical.ok()) {
    // Built with append: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string here.
    std::string message = "'";
    message.append(text);
    message.append("' is not a valid subscription uuid (expected 32 hex digits, "
                   "e.g. 3fa85f64-5717-4562-b3fc-2c963f66afa6)");
    return InvalidArgumentError(std::move(message));
  }
  return canonical;
}

Status Forbidden(std::string_view uuid, std::string_view user) {
  return PermissionDeniedError("Forbidden: subscription " + std::string(uuid) +
                               " does not exist or does not belong to user '" +
                               std::string(user) + "'");
}

void ApplyClientFields(const SubscriptionPatch& patch, Subscription* s) {
  if (patch.name) s->name = *patch.name;
  if (patch.jsonpath) s->jsonpath = *patch.jsonpath;
  if (patch.target_url) s->target_url = *patch.target_url;
  if (patch.version) s->version = *patch.version;
  if (patch.extensions) s->extensions = *patch.extensions;
  if (patch.auth) s->auth = *patch.auth;
  if (patch.disabled) s->disabled = *patch.disabled;
  if (patch.error) s->error = *patch.error;
}

}  // namespace

SubscriptionService::SubscriptionService(SubscriptionStore& store, const Clock& clock,
                                         RandomSource& random,
                                         SubscriptionChangeListener on_change)
    : store_(store), clock_(clock), random_(random), on_change_(std::move(on_change)) {}

void SubscriptionService::Notify(const Subscription& s) {
  if (on_change_) on_change_(s);
}

Result<Subscription> SubscriptionService::Create(std::string_view user,
                                                 const SubscriptionPatch& patch) {
  if (user.size() > kMaxShortText) {
    return InvalidArgumentError("the user name is longer than " + std::to_string(kMaxShortText) +
                                " bytes");
  }
  Subscription s;
  {
    std::lock_guard lock(random_mu_);
    s.uuid = NewUuid4(random_);
  }
  s.user = std::string(user);
  ApplyClientFields(patch, &s);
  s.created = clock_.Now();
  s.updated = s.created;
  PN_RETURN_IF_ERROR(store_.Insert(s));
  Notify(s);
  return s;
}

Result<std::vector<Subscription>> SubscriptionService::List(std::string_view user) {
  return store_.ListForUser(user);
}

Result<Subscription> SubscriptionService::Get(std::string_view user, std::string_view uuid_text) {
  PN_ASSIGN_OR_RETURN(std::string uuid, PathUuid(uuid_text));
  PN_ASSIGN_OR_RETURN(std::optional<Subscription> found, store_.Find(uuid));
  if (!found || found->user != user || found->deleted) return Forbidden(uuid, user);
  return *std::move(found);
}

Result<Subscription> SubscriptionService::Update(std::string_view user, std::string_view uuid_text,
                                                 const SubscriptionPatch& patch) {
  PN_ASSIGN_OR_RETURN(Subscription s, Get(user, uuid_text));
  if (patch.user && *patch.user != s.user) {
    return InvalidArgumentError("'user' cannot be changed: subscription " + s.uuid +
                                " belongs to '" + s.user + "', the body says '" + *patch.user +
                                "'");
  }
  if (patch.uuid) {
    auto given = CanonicalUuid(*patch.uuid);
    if (!given.ok() || *given != s.uuid) {
      return InvalidArgumentError("'uuid' cannot be changed: the body says '" + *patch.uuid +
                                  "' for subscription " + s.uuid);
    }
  }
  ApplyClientFields(patch, &s);
  s.updated = clock_.Now();
  Status updated = store_.Update(s);
  // Deleted between our read and the write: as unknown.
  if (updated.code() == StatusCode::kNotFound) return Forbidden(s.uuid, user);
  PN_RETURN_IF_ERROR(updated);
  Notify(s);
  return s;
}

Status SubscriptionService::Delete(std::string_view user, std::string_view uuid_text) {
  PN_ASSIGN_OR_RETURN(Subscription s, Get(user, uuid_text));
  s.deleted = clock_.Now();
  s.updated = *s.deleted;
  Status updated = store_.Update(s);
  if (updated.code() == StatusCode::kNotFound) return Forbidden(s.uuid, user);
  PN_RETURN_IF_ERROR(updated);
  Notify(s);
  return OkStatus();
}

}  // namespace pn::api
