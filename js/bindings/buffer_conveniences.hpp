// The JS face of PlatformBuffer's parsing conveniences (docs/stream.md):
// search and compare, cursor conveniences, medium and n-byte numbers, varints, lines, length-prefixed strings, hex dumps. Bound
// on every buffer class by bindBufferApi (buffer_api.hpp).
//
// Conventions: npos is -1; 64-bit values are BigInt (js/src/conveniences.mjs
// checks them and fixes the sign of the unsigned ones); text leaves C++ as
// UTF-8 bytes and arrives as UTF-8 bytes (JS encodes and decodes it, see
// buffer_args.hpp); another buffer may be any buffer handle of this module.
#pragma once

#include <cstdint>
#include <string>

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include "buffer_args.hpp"
#include "buffer_of.hpp"
#include "js_args.hpp"
#include "js_error.hpp"
#include "zonebuf/core/platform_buffer.hpp"

namespace zonebuf::js {

// Shorthands for the bodies below; #undef-ed at the end of this header.
#define ZB_JS_CONV(name, ...) c.function(name, emscripten::optional_override(__VA_ARGS__))
template <class Self>
void bindBufferConveniences(emscripten::class_<Self>& c) {
  using B = BufferOf<Self>;
  using emscripten::val;

  // search and compare over [position, limit)
  ZB_JS_CONV("indexOf", [](Self& s, const val& needle) {
    return guarded([&] {
      const PlatformBuffer& b = B::get(s);
      if (needle.typeOf().as<std::string>() == "number")
        return indexOrMinusOne(b.indexOf(toInteger<std::uint8_t>(needle.as<double>(), "indexOf")));
      return indexOrMinusOne(b.indexOf(byteArg(needle, "indexOf").bytes));
    });
  });
  ZB_JS_CONV("mismatch", [](Self& s, const val& other) {
    return guarded([&] { return indexOrMinusOne(B::get(s).mismatch(bufferArg(other, "mismatch"))); });
  });
  ZB_JS_CONV("contentEquals", [](Self& s, const val& other) {
    return guarded([&] { return B::get(s).contentEquals(bufferArg(other, "contentEquals")); });
  });
  ZB_JS_CONV("compareTo", [](Self& s, const val& other) {
    return guarded([&] {
      const int order = B::get(s).compareTo(bufferArg(other, "compareTo"));
      return order < 0 ? -1 : order > 0 ? 1 : 0;
    });
  });
  ZB_JS_CONV("hash", [](Self& s) { return guarded([&] { return B::get(s).hash(); }); });

  // cursor
  ZB_JS_CONV("skip", [](Self& s, double n) { guarded([&] { B::get(s).skip(toSize(n, "skip", "n")); }); });
  ZB_JS_CONV("mark", [](Self& s) { return guarded([&] { return markObject(B::get(s).mark().position); }); });
  ZB_JS_CONV("reset", [](Self& s, const val& mark) {
    guarded([&] { B::get(s).reset(PlatformBuffer::Mark{markPosition(mark, "reset")}); });
  });
  ZB_JS_CONV("compact", [](Self& s) { guarded([&] { B::get(s).compact(); }); });
  ZB_JS_CONV("duplicate", [](Self& s) { return guarded([&] { return B::get(s).duplicate(); }); });
  ZB_JS_CONV("slice", [](Self& s, double index, double length) {
    return guarded([&] { return B::get(s).slice(toSize(index, "slice", "index"), toSize(length, "slice", "length")); });
  });
  ZB_JS_CONV("fill", [](Self& s, double v) { guarded([&] { B::get(s).fill(toInteger<std::uint8_t>(v, "fill")); }); });
  ZB_JS_CONV("xorMask", [](Self& s, double key) {
    guarded([&] { B::get(s).xorMask(toInteger<std::uint32_t>(key, "xorMask", "key")); });
  });
  ZB_JS_CONV("xorMask", [](Self& s, double key, double offset) {
    guarded([&] {
      B::get(s).xorMask(toInteger<std::uint32_t>(key, "xorMask", "key"), toSize(offset, "xorMask", "offset"));
    });
  });

  // 24-bit and n-byte integers (the n-byte ones are BigInt)
  ZB_JS_CONV("readMedium", [](Self& s) { return guarded([&] { return B::get(s).readMedium(); }); });
  ZB_JS_CONV("readUnsignedMedium", [](Self& s) { return guarded([&] { return B::get(s).readUnsignedMedium(); }); });
  ZB_JS_CONV("writeMedium", [](Self& s, double v) {
    guarded([&] { B::get(s).writeMedium(toInteger<std::int32_t>(v, "writeMedium")); });
  });
  ZB_JS_CONV("writeUnsignedMedium", [](Self& s, double v) {
    guarded([&] { B::get(s).writeUnsignedMedium(toInteger<std::uint32_t>(v, "writeUnsignedMedium")); });
  });
  ZB_JS_CONV("readUnsignedNumber", [](Self& s, double n) {
    return guarded([&] { return B::get(s).readUnsignedNumber(toSize(n, "readUnsignedNumber", "byteCount")); });
  });
  ZB_JS_CONV("readUnsignedNumber", [](Self& s, double n, const val& o) {
    return guarded([&] {
      return B::get(s).readUnsignedNumber(toSize(n, "readUnsignedNumber", "byteCount"),
                                          toByteOrder(o, "readUnsignedNumber"));
    });
  });
  ZB_JS_CONV("readSignedNumber", [](Self& s, double n) {
    return guarded([&] { return B::get(s).readSignedNumber(toSize(n, "readSignedNumber", "byteCount")); });
  });
  ZB_JS_CONV("readSignedNumber", [](Self& s, double n, const val& o) {
    return guarded([&] {
      return B::get(s).readSignedNumber(toSize(n, "readSignedNumber", "byteCount"), toByteOrder(o, "readSignedNumber"));
    });
  });
  ZB_JS_CONV("writeUnsignedNumber", [](Self& s, std::uint64_t v, double n) {
    guarded([&] { B::get(s).writeUnsignedNumber(v, toSize(n, "writeUnsignedNumber", "byteCount")); });
  });
  ZB_JS_CONV("writeUnsignedNumber", [](Self& s, std::uint64_t v, double n, const val& o) {
    guarded([&] {
      B::get(s).writeUnsignedNumber(v, toSize(n, "writeUnsignedNumber", "byteCount"), toByteOrder(o, "writeUnsignedNumber"));
    });
  });
  ZB_JS_CONV("writeSignedNumber", [](Self& s, std::int64_t v, double n) {
    guarded([&] { B::get(s).writeSignedNumber(v, toSize(n, "writeSignedNumber", "byteCount")); });
  });
  ZB_JS_CONV("writeSignedNumber", [](Self& s, std::int64_t v, double n, const val& o) {
    guarded([&] {
      B::get(s).writeSignedNumber(v, toSize(n, "writeSignedNumber", "byteCount"), toByteOrder(o, "writeSignedNumber"));
    });
  });

  // varints: LEB128 / zigzag (BigInt), MQTT Variable Byte Integer (number)
  ZB_JS_CONV("readVarUInt", [](Self& s) { return guarded([&] { return B::get(s).readVarUInt(); }); });
  ZB_JS_CONV("readVarInt", [](Self& s) { return guarded([&] { return B::get(s).readVarInt(); }); });
  ZB_JS_CONV("writeVarUInt", [](Self& s, std::uint64_t v) { guarded([&] { B::get(s).writeVarUInt(v); }); });
  ZB_JS_CONV("writeVarInt", [](Self& s, std::int64_t v) { guarded([&] { B::get(s).writeVarInt(v); }); });
  ZB_JS_CONV("readVariableByteInteger", [](Self& s) {
    return guarded([&] { return B::get(s).readVariableByteInteger(); });
  });
  ZB_JS_CONV("readVariableByteInteger", [](Self& s, const val& p) {
    return guarded([&] { return B::get(s).readVariableByteInteger(toTextPolicy(p, "readVariableByteInteger")); });
  });
  ZB_JS_CONV("writeVariableByteInteger", [](Self& s, double v) {
    guarded([&] { B::get(s).writeVariableByteInteger(toInteger<std::uint32_t>(v, "writeVariableByteInteger")); });
  });

  // text (UTF-8 bytes both ways; js/src/conveniences.mjs makes them strings)
  ZB_JS_CONV("readLine", [](Self& s, const val& p) {
    return guarded([&] {
      std::string line;
      const TextPolicy policy = p.isUndefined() ? TextPolicy::Lenient : toTextPolicy(p, "readLine");
      return B::get(s).readLine(line, policy) ? utf8Out(std::move(line)) : val::null();
    });
  });
  ZB_JS_CONV("readLengthPrefixedString", [](Self& s, const val& p) {
    return guarded([&] {
      const TextPolicy policy = p.isUndefined() ? TextPolicy::Lenient : toTextPolicy(p, "readLengthPrefixedString");
      return utf8Out(B::get(s).readLengthPrefixedString(policy));
    });
  });
  ZB_JS_CONV("writeLengthPrefixedString", [](Self& s, const val& utf8, const val& p) {
    return guarded([&] {
      const TextPolicy policy = p.isUndefined() ? TextPolicy::Lenient : toTextPolicy(p, "writeLengthPrefixedString");
      const ByteArg text = byteArg(utf8, "writeLengthPrefixedString");
      const std::string_view view(reinterpret_cast<const char*>(text.bytes.data()), text.bytes.size());
      return B::get(s).writeLengthPrefixedString(view, policy);
    });
  });
  ZB_JS_CONV("hexDump", [](Self& s) { return guarded([&] { return B::get(s).hexDump(); }); });
  ZB_JS_CONV("hexDump", [](Self& s, double maxBytes) {
    return guarded([&] { return B::get(s).hexDump(toSize(maxBytes, "hexDump", "maxBytes")); });
  });
}

// The static helpers, on the PlatformBuffer class.
inline void bindBufferStatics(emscripten::class_<PlatformBuffer>& c) {
  c.class_function("varUIntSize", emscripten::optional_override([](std::uint64_t v) {
    return PlatformBuffer::varUIntSize(v);
  }));
  c.class_function("variableByteIntegerSize", emscripten::optional_override([](double v) {
    return guarded([&] {
      return PlatformBuffer::variableByteIntegerSize(toInteger<std::uint32_t>(v, "variableByteIntegerSize"));
    });
  }));
}

#undef ZB_JS_CONV

}  // namespace zonebuf::js
