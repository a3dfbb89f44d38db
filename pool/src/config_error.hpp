// The one way pool configuration errors are reported: an InvalidArgumentError
// naming the field and the offending value, and saying what is allowed.
#pragma once

#include <string>
#include <string_view>

namespace zonebuf::detail {

// "PoolConfig field 'classes.max' has invalid value 32: must be >= classes.min (64)."
[[noreturn, gnu::cold]] void throwInvalidField(std::string_view field, std::string_view value, std::string_view rule);

}  // namespace zonebuf::detail
