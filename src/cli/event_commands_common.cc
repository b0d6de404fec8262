#include "cli/event_commands_common.h"

#include "common/time_format.h"
#include "common/uuid.h"

namespace pn::cli {

Result<std::vector<std::string>> CanonicalEventUuids(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  out.reserve(args.size());
  for (const auto& arg : args) {
    auto uuid = CanonicalUuid(arg);
    if (!uuid.ok()) {
      return InvalidArgumentError("'" + arg + "' is not an event uuid: " + uuid.status().message());
    }
    out.push_back(std::move(uuid).value());
  }
  return out;
}

Result<Timestamp> ParseDateOption(const std::string& option, const std::string& value,
                                  const std::string& format) {
  auto t = ParseTimestampWithFormat(value, format);
  if (!t.ok()) {
    return InvalidArgumentError(option + " '" + value + "' does not match --date-format '" +
                                format + "': " + t.status().message());
  }
  return t;
}

}  // namespace pn::cli
