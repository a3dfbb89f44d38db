#include <zonebuf/primitives.hpp>

#include <cstdio>
#include <cstdlib>

namespace zonebuf::detail {

void assertionFailed(const char* expression, const char* file, int line, const char* message) noexcept {
  std::fprintf(stderr, "zonebuf: assertion failed: %s%s%s\n  at %s:%d\n", expression, *message ? ": " : "",
               message, file, line);
  std::fflush(stderr);
  std::abort();
}

}  // namespace zonebuf::detail
