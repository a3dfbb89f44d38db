// The JS typed-array copies of js_array_copy.hpp (WebAssembly only).
#ifdef __EMSCRIPTEN__

#include <emscripten/emscripten.h>
#include <emscripten/val.h>

#include <string>

#include "zonebuf/js/js_array_copy.hpp"
#include "zonebuf/primitives.hpp"

// One JS call per step (no emval temporaries): the array's length if it is an
// Int8Array or a Uint8Array (else -1), and the copies themselves as one
// TypedArray.prototype.set over the array's bytes. Addresses and lengths are
// unsigned (>>> 0): wasm32 passes size_t as i32.
EM_JS(double, zb_byte_array_length, (emscripten::EM_VAL handle), {
  const a = Emval.toValue(handle);
  return (a instanceof Uint8Array || a instanceof Int8Array) ? a.length : -1;
});
EM_JS(void, zb_copy_from_js_array, (emscripten::EM_VAL handle, std::size_t offset, std::size_t length, void* dst), {
  const a = Emval.toValue(handle);
  HEAPU8.set(new Uint8Array(a.buffer, a.byteOffset + (offset >>> 0), length >>> 0), dst >>> 0);
});
EM_JS(void, zb_copy_to_js_array, (emscripten::EM_VAL handle, std::size_t offset, std::size_t length, const void* src), {
  const a = Emval.toValue(handle);
  new Uint8Array(a.buffer, a.byteOffset + (offset >>> 0), length >>> 0)
      .set(HEAPU8.subarray(src >>> 0, (src >>> 0) + (length >>> 0)));
});

namespace zonebuf {

namespace detail {

namespace {
std::size_t byteArrayLength(const emscripten::val& array, const char* op) {
  const double length = zb_byte_array_length(array.as_handle());
  if (ZONEBUF_UNLIKELY(length < 0)) {
    throw InvalidArgumentError(std::string(op) + ": expected an Int8Array or a Uint8Array; wrap other " +
                               "data in one first (e.g. new Uint8Array(arrayBuffer))");
  }
  return static_cast<std::size_t>(length);
}

void checkArrayRange(const char* op, const char* side, std::size_t offset, std::size_t length,
                     std::size_t arrayLength) {
  if (ZONEBUF_UNLIKELY(offset > arrayLength || length > arrayLength - offset)) {
    throw InvalidArgumentError(std::string(op) + ": " + side + " range [" + std::to_string(offset) + ", " +
                               std::to_string(offset) + " + " + std::to_string(length) +
                               ") is outside the array of length " + std::to_string(arrayLength) +
                               "; pass an offset and length inside the array");
  }
}

// Both directions: every check before the one copy, then the position moves.
template <bool kToJs>
void copyJsArray(PlatformBuffer& buffer, const emscripten::val& array, std::size_t arrayOffset,
                 std::size_t length, const char* op) {
  buffer.requireLive(op);
  checkArrayRange(op, kToJs ? "destination" : "source", arrayOffset, length, byteArrayLength(array, op));
  if (ZONEBUF_UNLIKELY(length > buffer.remaining())) {
    (kToJs ? throwUnderflow : throwOverflow)(op, length, buffer.position(), buffer.limit());
  }
  std::byte* at = buffer.data() + buffer.position();
  if (length != 0) {
    if constexpr (kToJs) zb_copy_to_js_array(array.as_handle(), arrayOffset, length, at);
    else zb_copy_from_js_array(array.as_handle(), arrayOffset, length, at);
  }
  buffer.position(buffer.position() + length);
}
}  // namespace

void copyFromJsArray(PlatformBuffer& buffer, const emscripten::val& array, std::size_t srcOffset,
                     std::size_t length, const char* op) {
  copyJsArray<false>(buffer, array, srcOffset, length, op);
}

void copyToJsArray(PlatformBuffer& buffer, const emscripten::val& array, std::size_t dstOffset,
                   std::size_t length, const char* op) {
  copyJsArray<true>(buffer, array, dstOffset, length, op);
}

}  // namespace detail

LinearBuffer& writeFromJsArray(LinearBuffer& buffer, const emscripten::val& array, std::size_t srcOffset,
                               std::size_t length) {
  detail::copyFromJsArray(buffer, array, srcOffset, length, "writeFromJsArray");
  return buffer;
}

LinearBuffer& readToJsArray(LinearBuffer& buffer, const emscripten::val& array, std::size_t dstOffset,
                            std::size_t length) {
  detail::copyToJsArray(buffer, array, dstOffset, length, "readToJsArray");
  return buffer;
}

}  // namespace zonebuf

#endif  // __EMSCRIPTEN__
