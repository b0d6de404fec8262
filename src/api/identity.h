// Who is calling: the configured user header (name compared case-insensitively), used verbatim
// even when empty, or the default user when the header is absent. The service trusts it, as the
// original did: it is meant to sit behind a proxy that sets it.
// Thread-safety: pure function.
#pragma once

#include <string>

#include "http/message.h"

namespace pn::api {

struct IdentityOptions {
  std::string user_header = "Http-Remote-User";
  std::string default_user = "default_user";
};

std::string CallerIdentity(const http::Request& request, const IdentityOptions& options);

}  // namespace pn::api
