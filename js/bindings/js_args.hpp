// Checked conversions of JS arguments. Numbers arrive as doubles so that no
// value is truncated before it is checked: a value outside the C++ type's
// range, a fraction, NaN or an infinity is an InvalidArgumentError naming the
// method and the allowed range, never a silent wrap-around. 64-bit values
// arrive as BigInt (WASM_BIGINT); embind range-checks those and js/src/extend.mjs
// turns its errors into InvalidArgumentError.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

#include <emscripten/val.h>

#include "zonebuf/allocators/allocation_zone.hpp"
#include "zonebuf/core/byte_order.hpp"
#include "zonebuf/core/charset.hpp"

namespace zonebuf::js {

[[noreturn, gnu::cold]] void throwNotAnInteger(const char* op, const char* what, double value, double min,
                                                double max);

// An integer of type T given as a JS number.
template <class T>
[[gnu::always_inline]] inline T toInteger(double v, const char* op, const char* what = "value") {
  constexpr double lo = static_cast<double>(std::numeric_limits<T>::min());
  constexpr double hi = static_cast<double>(std::numeric_limits<T>::max());
  // One test rejects NaN (all compares false), fractions and the range.
  if (!(v >= lo && v <= hi && v == std::trunc(v))) [[unlikely]] throwNotAnInteger(op, what, v, lo, hi);
  return static_cast<T>(v);
}

[[noreturn, gnu::cold]] void throwWrongArrayType(const char* op, const char* arrayType);

// A float given as a JS number: rounding to float precision is expected, but
// a finite value beyond float's range (which would become an infinity) is an
// InvalidArgumentError. NaN and infinities pass through.
[[noreturn, gnu::cold]] void throwFloatRange(const char* op, double value);
[[gnu::always_inline]] inline float toFloat(double v, const char* op) {
  constexpr double max = std::numeric_limits<float>::max();
  if (v > max || v < -max) [[unlikely]] {
    if (!std::isinf(v)) throwFloatRange(op, v);
  }
  return static_cast<float>(v);
}

// A size, index or offset: a non-negative integer that fits size_t.
[[gnu::always_inline]] inline std::size_t toSize(double v, const char* op, const char* what) {
  return toInteger<std::size_t>(v, op, what);
}

// A zb.AllocationZone / zb.ByteOrder / zb.Charset / zb.TextPolicy enum value (anything else is rejected:
// embind alone would read a plain number as the first enumerator).
AllocationZone toZone(const emscripten::val& v, const char* op);
ByteOrder toByteOrder(const emscripten::val& v, const char* op);
Charset toCharset(const emscripten::val& v, const char* op);
TextPolicy toTextPolicy(const emscripten::val& v, const char* op);

}  // namespace zonebuf::js
