// embind registration of StreamProcessor: chunks in (a lease moves in
// without a copy, a byte array is copied into pooled leases), fields out
// across chunk boundaries. Offsets and sizes are JS numbers checked by
// toSize; npos is -1; 64-bit fields are BigInt (js/src/stream.mjs fixes the
// sign of the unsigned ones); text leaves as UTF-8 bytes, which JS decodes.
// Errors cross as the zonebuf error types.
#include <emscripten/bind.h>

#include <string>

#include "buffer_args.hpp"
#include "bytes_js.hpp"
#include "js_args.hpp"
#include "js_error.hpp"
#include "zonebuf/pool/buffer_pool.hpp"
#include "zonebuf/stream/stream_processor.hpp"

using namespace emscripten;

namespace zonebuf::js {
namespace {

// The second constructor argument: a zb.ByteOrder, or { zone, order, copyChunkSize }.
StreamConfig streamConfig(const val& v) {
  const char* op = "new StreamProcessor";
  StreamConfig c;
  if (v.instanceof(val::module_property("ByteOrder"))) {
    c.order = toByteOrder(v, op);
    return c;
  }
  if (v.typeOf().as<std::string>() != "object" || v.isNull()) {
    throw InvalidArgumentError(std::string(op) + ": expected a zb.ByteOrder value or a { zone, order, " +
                               "copyChunkSize } object; got a " + v.typeOf().as<std::string>());
  }
  if (!v["zone"].isUndefined()) c.zone = toZone(v["zone"], op);
  if (!v["order"].isUndefined()) c.order = toByteOrder(v["order"], op);
  if (!v["copyChunkSize"].isUndefined()) c.copyChunkSize = toSize(v["copyChunkSize"].as<double>(), op, "copyChunkSize");
  return c;
}

void append(StreamProcessor& s, const val& chunk) {
  const val lease = val::module_property("PooledBuffer");
  if (chunk.instanceof(lease)) {
    s.append(std::move(*chunk.as<PooledBuffer*>(allow_raw_pointers())));
    return;
  }
  s.append(byteArg(chunk, "StreamProcessor.append").bytes);
}

double indexOf(const StreamProcessor& s, const val& needle, double from) {
  const std::size_t start = toSize(from, "StreamProcessor.indexOf", "from");
  if (needle.typeOf().as<std::string>() == "number")
    return indexOrMinusOne(s.indexOf(toInteger<std::uint8_t>(needle.as<double>(), "StreamProcessor.indexOf"), start));
  return indexOrMinusOne(s.indexOf(byteArg(needle, "StreamProcessor.indexOf").bytes, start));
}

}  // namespace
}  // namespace zonebuf::js

// read<Name>() and peek<Name>([offset]); with an order argument too for the
// wider fields.
#define ZB_STREAM_FIELD(Name)                                                                                   \
  function("read" #Name, optional_override([](StreamProcessor& s) { return guarded([&] { return s.read##Name(); }); })) \
      .function("peek" #Name, optional_override([](StreamProcessor& s) { return guarded([&] { return s.peek##Name(); }); })) \
      .function("peek" #Name, optional_override([](StreamProcessor& s, double offset) {                      \
        return guarded([&] { return s.peek##Name(js::toSize(offset, "StreamProcessor.peek" #Name, "offset")); }); \
      }))
#define ZB_STREAM_ORDERED(Name)                                                                                \
  ZB_STREAM_FIELD(Name)                                                                                        \
      .function("read" #Name, optional_override([](StreamProcessor& s, const val& o) {                       \
        return guarded([&] { return s.read##Name(js::toByteOrder(o, "StreamProcessor.read" #Name)); });     \
      }))                                                                                                      \
      .function("peek" #Name, optional_override([](StreamProcessor& s, double offset, const val& o) {        \
        return guarded([&] {                                                                                   \
          const char* op = "StreamProcessor.peek" #Name;                                                       \
          return s.peek##Name(js::toSize(offset, op, "offset"), js::toByteOrder(o, op));                       \
        });                                                                                                    \
      }))

EMSCRIPTEN_BINDINGS(zonebuf_stream) {
  using namespace zonebuf;
  using js::guarded;
  class_<StreamProcessor>("StreamProcessor")
      .constructor(optional_override([](BufferPool& pool) { return guarded([&] { return new StreamProcessor(pool); }); }),
                   allow_raw_pointers())
      .constructor(optional_override([](BufferPool& pool, const val& config) {
                     return guarded([&] { return new StreamProcessor(pool, js::streamConfig(config)); });
                   }),
                   allow_raw_pointers())
      .function("append", optional_override([](StreamProcessor& s, const val& chunk) {
                  guarded([&] { js::append(s, chunk); });
                }))
      .function("available", optional_override([](StreamProcessor& s) { return static_cast<double>(s.available()); }))
      .function("empty", optional_override([](StreamProcessor& s) { return s.empty(); }))
      .function("byteOrder", optional_override([](StreamProcessor& s) { return s.byteOrder(); }))
      .ZB_STREAM_FIELD(Byte)
      .ZB_STREAM_FIELD(UnsignedByte)
      .ZB_STREAM_ORDERED(Short)
      .ZB_STREAM_ORDERED(UnsignedShort)
      .ZB_STREAM_ORDERED(Int)
      .ZB_STREAM_ORDERED(UnsignedInt)
      .ZB_STREAM_ORDERED(Long)
      .ZB_STREAM_ORDERED(UnsignedLong)
      .ZB_STREAM_ORDERED(Float)
      .ZB_STREAM_ORDERED(Double)
      .function("skip", optional_override([](StreamProcessor& s, double n) {
                  guarded([&] { s.skip(js::toSize(n, "StreamProcessor.skip", "n")); });
                }))
      .function("indexOf", optional_override([](StreamProcessor& s, const val& needle) {
                  return guarded([&] { return js::indexOf(s, needle, 0); });
                }))
      .function("indexOf", optional_override([](StreamProcessor& s, const val& needle, double from) {
                  return guarded([&] { return js::indexOf(s, needle, from); });
                }))
      .function("indexOfByte", optional_override([](StreamProcessor& s, double value, double from) {
                  return guarded([&] {
                    const auto b = js::toInteger<std::uint8_t>(value, "StreamProcessor.indexOfByte", "value");
                    return js::indexOrMinusOne(s.indexOf(b, js::toSize(from, "StreamProcessor.indexOfByte", "from")));
                  });
                }))
      .function("readBuffer", optional_override([](StreamProcessor& s, double n) {
                  return guarded([&] { return s.readBuffer(js::toSize(n, "StreamProcessor.readBuffer", "n")); });
                }))
      .function("readInto", optional_override([](StreamProcessor& s, const val& dst, double n) {
                  guarded([&] {
                    const char* op = "StreamProcessor.readInto";
                    s.readInto(js::bufferArg(dst, op), js::toSize(n, op, "n"));
                  });
                }))
      // UTF-8 bytes; js/src/stream.mjs decodes them (and adds the defaults).
      .function("readString", optional_override([](StreamProcessor& s, double n, const val& cs, const val& p) {
                  return guarded([&] {
                    const char* op = "StreamProcessor.readString";
                    return js::utf8Out(s.readString(js::toSize(n, op, "byteCount"), js::toCharset(cs, op),
                                                    js::toTextPolicy(p, op)));
                  });
                }))
      .function("front", optional_override([](StreamProcessor& s) {
                  const auto bytes = s.front();
                  return js::byteView(bytes.data(), bytes.size());
                }))
      .function("statsJson", optional_override([](StreamProcessor& s) { return guarded([&] { return s.stats().toJson(); }); }))
      .function("clear", optional_override([](StreamProcessor& s) { s.clear(); }));
}

#undef ZB_STREAM_ORDERED
#undef ZB_STREAM_FIELD
