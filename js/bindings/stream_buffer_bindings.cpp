// embind registration of the stream layer's buffers: StreamBuffer (what
// StreamProcessor.readBuffer returns) and GrowableBuffer. Both carry the
// whole buffer API (bindBufferApi), reaching their current PlatformBuffer
// through BufferOf. A GrowableBuffer's buffer moves (or its capacity grows in
// place) when it grows, and moves when it is taken, so js/src/stream.mjs drops
// the JS-side state of the handle after those calls and reads it afresh at
// the next use.
#include <emscripten/bind.h>

#include "buffer_api.hpp"
#include "buffer_args.hpp"
#include "zonebuf/stream/growable_buffer.hpp"
#include "zonebuf/stream/stream_buffer.hpp"

using namespace emscripten;

namespace zonebuf::js {
template <>
struct BufferOf<StreamBuffer> {
  static PlatformBuffer& get(StreamBuffer& b) { return b.buffer(); }
};
template <>
struct BufferOf<GrowableBuffer> {
  static PlatformBuffer& get(GrowableBuffer& g) { return g.buffer(); }
};

namespace {
GrowableBuffer* makeGrowable(BufferPool& pool, double initialCapacity, const val& zone, const val& order) {
  return guarded([&] {
    const char* op = "new GrowableBuffer";
    return new GrowableBuffer(pool, toSize(initialCapacity, op, "initialCapacity"),
                              zone.isUndefined() ? AllocationZone::Heap : toZone(zone, op),
                              order.isUndefined() ? ByteOrder::BigEndian : toByteOrder(order, op));
  });
}

// Bytes that view the buffer itself (g.write(g.bytes()...)) are copied out
// first: growing gives that buffer back to the pool before the copy.
void writeGrowing(GrowableBuffer& g, ByteArg arg) {
  const PlatformBuffer& b = g.buffer();
  const auto* at = arg.bytes.data();
  if (arg.copy.empty() && at >= b.data() && at < b.data() + b.capacity()) {
    arg.copy.assign(arg.bytes.begin(), arg.bytes.end());
    arg.bytes = arg.copy;
  }
  g.write(arg.bytes);
}
}  // namespace
}  // namespace zonebuf::js

EMSCRIPTEN_BINDINGS(zonebuf_stream_buffers) {
  using namespace zonebuf;
  using js::guarded;
  enum_<StreamBuffer::Kind>("StreamBufferKind")
      .value("View", StreamBuffer::Kind::View)
      .value("Chunk", StreamBuffer::Kind::Chunk)
      .value("Assembled", StreamBuffer::Kind::Assembled);

  class_<StreamBuffer> streamBuffer("StreamBuffer");
  streamBuffer.function("size", optional_override([](StreamBuffer& b) { return static_cast<double>(b.size()); }))
      .function("kind", optional_override([](StreamBuffer& b) { return b.kind(); }))
      .function("copied", optional_override([](StreamBuffer& b) { return b.copied(); }));
  js::bindBufferApi(streamBuffer);

  class_<GrowableBuffer> growable("GrowableBuffer");
  growable
      .constructor(optional_override([](BufferPool& pool) {
                     return js::makeGrowable(pool, 256, val::undefined(), val::undefined());
                   }),
                   allow_raw_pointers())
      .constructor(optional_override([](BufferPool& pool, double initialCapacity) {
                     return js::makeGrowable(pool, initialCapacity, val::undefined(), val::undefined());
                   }),
                   allow_raw_pointers())
      .constructor(optional_override([](BufferPool& pool, double initialCapacity, const val& zone) {
                     return js::makeGrowable(pool, initialCapacity, zone, val::undefined());
                   }),
                   allow_raw_pointers())
      .constructor(optional_override([](BufferPool& pool, double initialCapacity, const val& zone, const val& order) {
                     return js::makeGrowable(pool, initialCapacity, zone, order);
                   }),
                   allow_raw_pointers())
      .function("ensureWritable", optional_override([](GrowableBuffer& g, double n) {
                  guarded([&] { g.ensureWritable(js::toSize(n, "ensureWritable", "n")); });
                }))
      // write(bytes) in JS (js/src/stream.mjs): the buffer API already has write(src).
      .function("__writeBytes", optional_override([](GrowableBuffer& g, const val& bytes) {
                  guarded([&] { js::writeGrowing(g, js::byteArg(bytes, "write")); });
                }))
      .function("size", optional_override([](GrowableBuffer& g) { return static_cast<double>(g.size()); }))
      .function("__capacity", optional_override([](GrowableBuffer& g) { return static_cast<double>(g.capacity()); }))
      .function("growCount", optional_override([](GrowableBuffer& g) { return static_cast<double>(g.growCount()); }))
      .function("bytesMoved", optional_override([](GrowableBuffer& g) { return static_cast<double>(g.bytesMoved()); }))
      .function("growInPlaceCount",
                optional_override([](GrowableBuffer& g) { return static_cast<double>(g.growInPlaceCount()); }))
      .function("take", optional_override([](GrowableBuffer& g) { return guarded([&] { return g.take(); }); }))
      .function("clear", optional_override([](GrowableBuffer& g) { g.clear(); }));
  // capacity() is the buffer API's: the current buffer's (a lease is taken
  // first if there is none).
  js::bindBufferApi(growable);
}
