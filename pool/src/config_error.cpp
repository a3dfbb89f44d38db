#include "config_error.hpp"

#include "zonebuf/errors.hpp"

namespace zonebuf::detail {

void throwInvalidField(std::string_view field, std::string_view value, std::string_view rule) {
  std::string message = "PoolConfig field '";
  message.append(field).append("' has invalid value ").append(value).append(": ").append(rule);
  message.append(". Fix this field in the config (defaults and rules: docs/pool.md).");
  throw InvalidArgumentError(message);
}

}  // namespace zonebuf::detail
