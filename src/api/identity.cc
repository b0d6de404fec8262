#include "api/identity.h"

namespace pn::api {

std::string CallerIdentity(const http::Request& request, const IdentityOptions& options) {
  if (auto value = request.headers.Get(options.user_header)) return std::string(*value);
  return options.default_user;
}

}  // namespace pn::api
