// Turns C++ exceptions into JS exceptions at the embind boundary.
//
// Every bound function runs its body through guarded(): a zonebuf error (or
// any std::exception) becomes a JS error object whose `name` is the C++ type
// name (BufferOverflowError, ...) and whose `message` is what() — the classes
// are defined in js/src/errors.mjs. Invariant: no C++ exception ever escapes into
// JS, and the JS error is thrown only after the C++ catch block has ended, so
// the C++ exception object is always freed.
#pragma once

#include <utility>

namespace zonebuf::js {

// Records the in-flight exception (called inside a catch block).
void captureCurrentException() noexcept;
// Throws the recorded error as a JS exception. Never returns.
[[noreturn]] void throwCapturedAsJs();

template <class F>
decltype(auto) guarded(F&& body) {
  try {
    return std::forward<F>(body)();
  } catch (...) {
    captureCurrentException();
  }
  throwCapturedAsJs();
}

}  // namespace zonebuf::js
