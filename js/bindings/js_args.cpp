#include "js_args.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "zonebuf/errors.hpp"

namespace zonebuf::js {

namespace {
// The shortest of %.15g..%.17g that reads back as v (1e39, not 9.9999999999999994e+38).
std::string number(double v) {
  char text[40];
  for (int precision = 15; precision <= 17; ++precision) {
    std::snprintf(text, sizeof text, "%.*g", precision, v);
    if (std::strtod(text, nullptr) == v) break;
  }
  return text;
}

template <class E>
E toEnum(const emscripten::val& v, const char* enumName, const char* op, const char* values) {
  if (!v.instanceof(emscripten::val::module_property(enumName))) [[unlikely]] {
    throw InvalidArgumentError(std::string(op) + ": expected a zb." + enumName + " value (" + values +
                               "); got a " + v.typeOf().as<std::string>());
  }
  return v.as<E>();
}
}  // namespace

void throwNotAnInteger(const char* op, const char* what, double value, double min, double max) {
  const bool whole = value == std::trunc(value);
  throw InvalidArgumentError(std::string(op) + ": " + what + " " + number(value) +
                             (whole ? " is outside the range [" : " is not a whole number in [") + number(min) +
                             ", " + number(max) + "]; pass an integer in that range (values are never truncated)");
}

void throwFloatRange(const char* op, double value) {
  throw InvalidArgumentError(std::string(op) + ": value " + number(value) + " is outside the float range [" +
                             number(-std::numeric_limits<float>::max()) + ", " +
                             number(std::numeric_limits<float>::max()) + "]; use the Double methods for it");
}

void throwWrongArrayType(const char* op, const char* arrayType) {
  throw InvalidArgumentError(std::string(op) + ": expected a " + arrayType + "; convert the data with " +
                             arrayType + ".from(...) first");
}

AllocationZone toZone(const emscripten::val& v, const char* op) {
  return toEnum<AllocationZone>(v, "AllocationZone", op, "Heap, Direct or SharedMemory");
}

ByteOrder toByteOrder(const emscripten::val& v, const char* op) {
  return toEnum<ByteOrder>(v, "ByteOrder", op, "BigEndian or LittleEndian");
}

Charset toCharset(const emscripten::val& v, const char* op) {
  return toEnum<Charset>(v, "Charset", op, "Utf8, Utf16BigEndian, Utf16LittleEndian, Ascii or Latin1");
}

TextPolicy toTextPolicy(const emscripten::val& v, const char* op) {
  return toEnum<TextPolicy>(v, "TextPolicy", op, "Lenient or Strict");
}

}  // namespace zonebuf::js
