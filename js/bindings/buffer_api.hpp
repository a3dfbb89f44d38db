// The JS face of a buffer, bound once and reused: bindBufferApi<Self>() puts
// every PlatformBuffer method (the C++ names) on an embind class whose
// objects reach a PlatformBuffer through BufferOf<Self>::get — the buffer
// itself, or the buffer a pool lease holds. Every method checks its JS
// arguments (js_args.hpp) and converts C++ errors (js_error.hpp); even the
// cursor getters run guarded, since reaching the buffer of an empty lease
// throws.
//
// Writes return undefined rather than the buffer: embind cannot return a
// reference to a move-only object without copying it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include "buffer_conveniences.hpp"
#include "buffer_of.hpp"
#include "bytes_js.hpp"
#include "js_args.hpp"
#include "js_error.hpp"
#include "zonebuf/core/platform_buffer.hpp"
#include "zonebuf/js/js_array_copy.hpp"

namespace zonebuf::js {

// For the bulk methods: a JS typed array of the element type, copied out and
// in as raw bytes (embind 3.1.6 has no 64-bit memory views).
template <class T>
std::vector<T> typedArrayToVector(const emscripten::val& array, const char* arrayType, const char* op) {
  if (!array.instanceof(emscripten::val::global(arrayType))) [[unlikely]] throwWrongArrayType(op, arrayType);
  std::vector<T> out(array["length"].as<std::size_t>());
  const emscripten::val target = byteView(reinterpret_cast<const std::byte*>(out.data()), out.size() * sizeof(T));
  target.call<void>("set",
                    emscripten::val::global("Uint8Array").new_(array["buffer"], array["byteOffset"], array["byteLength"]));
  return out;
}
template <class T>
emscripten::val vectorToTypedArray(const std::vector<T>& values, const char* arrayType) {
  emscripten::val out = emscripten::val::global(arrayType).new_(values.size());
  const emscripten::val source =
      byteView(reinterpret_cast<const std::byte*>(values.data()), values.size() * sizeof(T));
  emscripten::val::global("Uint8Array").new_(out["buffer"]).call<void>("set", source);
  return out;
}
// Checks a read count before a vector of that many elements is made.
template <class T>
std::size_t checkedCount(const PlatformBuffer& b, std::size_t count, const char* op) {
  if (count > b.remaining() / sizeof(T)) [[unlikely]]
    zonebuf::detail::throwArrayUnderflow(op, count, sizeof(T), b.position(), b.limit());
  return count;
}

// Shorthands for the bodies below; #undef-ed at the end of this header.
#define ZB_JS_METHOD(name, ...) c.function(name, emscripten::optional_override(__VA_ARGS__))
#define ZB_JS_NUMBER(T) [](double v, const char* op) { return toInteger<T>(v, op); }
#define ZB_JS_AS_IS(T) [](T v, const char*) { return v; }
// read<Name>, write<Name>, get<Name>, set<Name> for one element type.
#define ZB_JS_ELEMENT(Name, Arg, convert)                                                                     \
  ZB_JS_METHOD("read" #Name, [](Self& s) { return guarded([&] { return B::get(s).read##Name(); }); });      \
  ZB_JS_METHOD("write" #Name, [](Self& s, Arg v) {                                                          \
    guarded([&] { B::get(s).write##Name(convert(v, "write" #Name)); });                                     \
  });                                                                                                       \
  ZB_JS_METHOD("get" #Name, [](Self& s, double i) {                                                         \
    return guarded([&] { return B::get(s).get##Name(toSize(i, "get" #Name, "index")); });                   \
  });                                                                                                       \
  ZB_JS_METHOD("set" #Name, [](Self& s, double i, Arg v) {                                                  \
    guarded([&] { B::get(s).set##Name(toSize(i, "set" #Name, "index"), convert(v, "set" #Name)); });        \
  })
// The same with a per-call byte order (the buffer's own stays), for the
// types wider than a byte: read<Name>(order), get<Name>(i, order),
// write<Name>(v, order), set<Name>(i, v, order).
#define ZB_JS_WIDE_ELEMENT(Name, Arg, convert)                                                              \
  ZB_JS_ELEMENT(Name, Arg, convert);                                                                   \
  ZB_JS_METHOD("read" #Name, [](Self& s, const val& o) {                                                    \
    return guarded([&] { return B::get(s).read##Name(toByteOrder(o, "read" #Name)); });                   \
  });                                                                                                     \
  ZB_JS_METHOD("get" #Name, [](Self& s, double i, const val& o) {                                           \
    return guarded([&] {                                                                                  \
      return B::get(s).get##Name(toSize(i, "get" #Name, "index"), toByteOrder(o, "get" #Name));           \
    });                                                                                                   \
  });                                                                                                     \
  ZB_JS_METHOD("write" #Name, [](Self& s, Arg v, const val& o) {                                            \
    guarded([&] { B::get(s).write##Name(convert(v, "write" #Name), toByteOrder(o, "write" #Name)); });    \
  });                                                                                                     \
  ZB_JS_METHOD("set" #Name, [](Self& s, double i, Arg v, const val& o) {                                    \
    guarded([&] {                                                                                         \
      B::get(s).set##Name(toSize(i, "set" #Name, "index"), convert(v, "set" #Name), toByteOrder(o, "set" #Name)); \
    });                                                                                                   \
  })

// write<Name>s(typedArray) / read<Name>s(count) -> typedArray, in buffer order.
#define ZB_JS_BULK(Name, T, ArrayType)                                                                       \
  ZB_JS_METHOD("write" #Name "s", [](Self& s, const emscripten::val& a) {                                   \
    guarded([&] { B::get(s).write##Name##s(typedArrayToVector<T>(a, #ArrayType, "write" #Name "s")); });   \
  });                                                                                                       \
  ZB_JS_METHOD("read" #Name "s", [](Self& s, double n) {                                                    \
    return guarded([&] {                                                                                    \
      std::vector<T> out(checkedCount<T>(B::get(s), toSize(n, "read" #Name "s", "count"), "read" #Name "s")); \
      B::get(s).read##Name##s(out);                                                                         \
      return vectorToTypedArray(out, #ArrayType);                                                           \
    });                                                                                                     \
  })

template <class Self>
void bindBufferApi(emscripten::class_<Self>& c) {
  using B = BufferOf<Self>;
  using emscripten::val;

  // cursor
  ZB_JS_METHOD("capacity", [](Self& s) { return guarded([&] { return B::get(s).capacity(); }); });
  ZB_JS_METHOD("position", [](Self& s) { return guarded([&] { return B::get(s).position(); }); });
  ZB_JS_METHOD("position", [](Self& s, double n) { guarded([&] { B::get(s).position(toSize(n, "position", "position")); }); });
  ZB_JS_METHOD("limit", [](Self& s) { return guarded([&] { return B::get(s).limit(); }); });
  ZB_JS_METHOD("setLimit", [](Self& s, double n) { guarded([&] { B::get(s).setLimit(toSize(n, "setLimit", "limit")); }); });
  ZB_JS_METHOD("remaining", [](Self& s) { return guarded([&] { return B::get(s).remaining(); }); });
  ZB_JS_METHOD("hasRemaining", [](Self& s) { return guarded([&] { return B::get(s).hasRemaining(); }); });
  ZB_JS_METHOD("resetForRead", [](Self& s) { guarded([&] { B::get(s).resetForRead(); }); });
  ZB_JS_METHOD("resetForWrite", [](Self& s) { guarded([&] { B::get(s).resetForWrite(); }); });
  ZB_JS_METHOD("zone", [](Self& s) { return guarded([&] { return B::get(s).zone(); }); });
  ZB_JS_METHOD("byteOrder", [](Self& s) { return guarded([&] { return B::get(s).byteOrder(); }); });
  ZB_JS_METHOD("setByteOrder", [](Self& s, const val& order) {
    guarded([&] { B::get(s).setByteOrder(toByteOrder(order, "setByteOrder")); });
  });
  ZB_JS_METHOD("ownsMemory", [](Self& s) { return guarded([&] { return B::get(s).ownsMemory(); }); });

  // primitives (the wider ones with a per-call order too)
  ZB_JS_ELEMENT(Byte, double, ZB_JS_NUMBER(std::int8_t));
  ZB_JS_ELEMENT(UnsignedByte, double, ZB_JS_NUMBER(std::uint8_t));
  ZB_JS_WIDE_ELEMENT(Short, double, ZB_JS_NUMBER(std::int16_t));
  ZB_JS_WIDE_ELEMENT(UnsignedShort, double, ZB_JS_NUMBER(std::uint16_t));
  ZB_JS_WIDE_ELEMENT(Int, double, ZB_JS_NUMBER(std::int32_t));
  ZB_JS_WIDE_ELEMENT(UnsignedInt, double, ZB_JS_NUMBER(std::uint32_t));
  ZB_JS_WIDE_ELEMENT(Long, std::int64_t, ZB_JS_AS_IS(std::int64_t));
  ZB_JS_WIDE_ELEMENT(UnsignedLong, std::uint64_t, ZB_JS_AS_IS(std::uint64_t));
  ZB_JS_WIDE_ELEMENT(Float, double, toFloat);
  ZB_JS_WIDE_ELEMENT(Double, double, ZB_JS_AS_IS(double));

  // bulk typed arrays
  ZB_JS_BULK(Short, std::int16_t, Int16Array);
  ZB_JS_BULK(Int, std::int32_t, Int32Array);
  ZB_JS_BULK(Long, std::int64_t, BigInt64Array);
  ZB_JS_BULK(Float, float, Float32Array);
  ZB_JS_BULK(Double, double, Float64Array);

  // bytes
  ZB_JS_METHOD("writeBytes", [](Self& s, const val& a) {
    guarded([&] { zonebuf::detail::copyFromJsArray(B::get(s), a, 0, a["length"].as<std::size_t>(), "writeBytes"); });
  });
  ZB_JS_METHOD("readBytes", [](Self& s, double n) { return guarded([&] { return B::get(s).readBytes(toSize(n, "readBytes", "count")); }); });
  ZB_JS_METHOD("readByteArray", [](Self& s, double n) {
    return guarded([&] {
      PlatformBuffer& b = B::get(s);
      b.requireLive("readByteArray");
      const std::size_t count = toSize(n, "readByteArray", "count");
      if (count > b.remaining()) zonebuf::detail::throwUnderflow("readByteArray", count, b.position(), b.limit());
      val out = byteCopy(b.data() + b.position(), count);
      b.position(b.position() + count);
      return out;
    });
  });
  ZB_JS_METHOD("write", [](Self& s, PlatformBuffer& src) { guarded([&] { B::get(s).write(src); }); });
  ZB_JS_METHOD("slice", [](Self& s) { return guarded([&] { return B::get(s).slice(); }); });
  ZB_JS_METHOD("toByteArray", [](Self& s) {
    return guarded([&] {
      const PlatformBuffer& b = B::get(s);
      b.requireLive("toByteArray");
      return byteCopy(b.data() + b.position(), b.remaining());
    });
  });
  ZB_JS_METHOD("writeFromJsArray", [](Self& s, const val& a, double offset, double length) {
    guarded([&] {
      zonebuf::detail::copyFromJsArray(B::get(s), a, toSize(offset, "writeFromJsArray", "srcOffset"),
                       toSize(length, "writeFromJsArray", "length"), "writeFromJsArray");
    });
  });
  ZB_JS_METHOD("readToJsArray", [](Self& s, const val& a, double offset, double length) {
    guarded([&] {
      zonebuf::detail::copyToJsArray(B::get(s), a, toSize(offset, "readToJsArray", "dstOffset"),
                    toSize(length, "readToJsArray", "length"), "readToJsArray");
    });
  });

  // linear memory: in WebAssembly every zone lives in the module's memory
  // Where the PlatformBuffer itself is (for a lease: the leased buffer), for
  // js/src/hot.mjs; InvalidArgumentError for an empty lease.
  ZB_JS_METHOD("__bufferAddress", [](Self& s) {
    return guarded([&] { return reinterpret_cast<std::uintptr_t>(&B::get(s)); });
  });
  // StaleViewError if this is a view whose owner was released (for the JS
  // helpers that hand out views of the bytes: bytes(), dataView()).
  ZB_JS_METHOD("__requireLive", [](Self& s, const std::string& op) {
    guarded([&] { B::get(s).requireLive(op.c_str()); });
  });
  ZB_JS_METHOD("baseOffset", [](Self& s) {
    return guarded([&] { return reinterpret_cast<std::uintptr_t>(B::get(s).data()); });
  });
  ZB_JS_METHOD("linearMemoryOffset", [](Self& s) {
    return guarded([&] { return reinterpret_cast<std::uintptr_t>(B::get(s).data()) + B::get(s).position(); });
  });

  // text
  // writeString is JS only (js/src/text.mjs): JS strings may hold lone
  // surrogates, which embind's std::string marshalling would pair blindly.
  // readString stays for Ascii/Latin1 and for the exact C++ errors.
  ZB_JS_METHOD("readString", [](Self& s, double n) {
    return guarded([&] { return B::get(s).readString(toSize(n, "readString", "byteCount")); });
  });
  ZB_JS_METHOD("readString", [](Self& s, double n, Charset cs) {
    return guarded([&] { return B::get(s).readString(toSize(n, "readString", "byteCount"), cs); });
  });
  ZB_JS_METHOD("readString", [](Self& s, double n, Charset cs, TextPolicy p) {
    return guarded([&] { return B::get(s).readString(toSize(n, "readString", "byteCount"), cs, p); });
  });

  // search, compare, varints, per-call byte order, ... (buffer_conveniences.hpp)
  bindBufferConveniences(c);
}

#undef ZB_JS_BULK
#undef ZB_JS_WIDE_ELEMENT
#undef ZB_JS_ELEMENT
#undef ZB_JS_AS_IS
#undef ZB_JS_NUMBER
#undef ZB_JS_METHOD

}  // namespace zonebuf::js
