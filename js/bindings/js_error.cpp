#include "js_error.hpp"

#include <emscripten/emscripten.h>

#include <exception>
#include <new>
#include <stdexcept>
#include <string>

#include "zonebuf/errors.hpp"

// The JS side of the boundary: Module.__zbMakeError builds the typed error (see
// js/src/errors.mjs) and throws it through the wasm frames back to the caller.
EM_JS(void, zb_throw_js_error, (const char* name, const char* message), {
  throw Module['__zbMakeError'](UTF8ToString(name), UTF8ToString(message));
});

namespace zonebuf::js {

namespace {
// The recorded error. Plain statics: the module is single-threaded (JS calls
// arrive on the thread that owns the module) and an error is thrown right
// after it is recorded, so there is never more than one in flight.
std::string errorName;
std::string errorMessage;

void record(const char* name, const char* message) noexcept {
  try {
    errorName = name;
    errorMessage = message;
  } catch (...) {  // out of memory while describing an error
    errorName.clear();
    errorMessage.clear();
  }
}
}  // namespace

void captureCurrentException() noexcept {
  try {
    throw;
  } catch (const BufferUnderflowError& e) {
    record("BufferUnderflowError", e.what());
  } catch (const BufferOverflowError& e) {
    record("BufferOverflowError", e.what());
  } catch (const InvalidArgumentError& e) {
    record("InvalidArgumentError", e.what());
  } catch (const MalformedTextError& e) {
    record("MalformedTextError", e.what());
  } catch (const StaleViewError& e) {
    record("StaleViewError", e.what());
  } catch (const OutOfMemoryError& e) {
    record("OutOfMemoryError", e.what());
  } catch (const std::bad_alloc& e) {
    record("OutOfMemoryError", "the WebAssembly heap is exhausted; free buffers or raise the memory limit");
  } catch (const std::exception& e) {
    record("ZonebufError", e.what());
  } catch (...) {
    record("ZonebufError", "unknown C++ exception");
  }
}

void throwCapturedAsJs() {
  zb_throw_js_error(errorName.empty() ? "OutOfMemoryError" : errorName.c_str(), errorMessage.c_str());
  __builtin_unreachable();
}

}  // namespace zonebuf::js
