// embind registration of BufferPool and its lease, PooledBuffer. A lease
// carries the whole buffer API (it forwards to the leased buffer), so a
// withBuffer callback (js/src/extend.mjs) uses it like any buffer. Pool
// configuration and statistics cross as JSON (PoolConfig::fromJson,
// PoolStats::toJson); extend.mjs accepts and returns plain objects.
#include <emscripten/bind.h>

#include <memory>
#include <string>

#include "buffer_api.hpp"
#include "zonebuf/pool/buffer_pool.hpp"

using namespace emscripten;

namespace zonebuf::js {
template <>
struct BufferOf<PooledBuffer> {
  static PlatformBuffer& get(PooledBuffer& lease) { return lease.buffer(); }
};

namespace {
PooledBuffer acquire(BufferPool& pool, double size, const val& zone, const val& order) {
  return guarded([&] {
    const char* op = "BufferPool.acquire";
    return pool.acquire(toSize(size, op, "size"), toZone(zone, op),
                        order.isUndefined() ? ByteOrder::BigEndian : toByteOrder(order, op));
  });
}
}  // namespace
}  // namespace zonebuf::js

EMSCRIPTEN_BINDINGS(zonebuf_pool) {
  using namespace zonebuf;
  class_<PooledBuffer> lease("PooledBuffer");
  lease.function("active", optional_override([](PooledBuffer& l) { return l.active(); }))
      .function("release", optional_override([](PooledBuffer& l) { js::guarded([&] { l.release(); }); }));
  js::bindBufferApi(lease);

  class_<BufferPool>("BufferPool")
      .constructor(optional_override([]() { return js::guarded([] { return new BufferPool(); }); }),
                   allow_raw_pointers())
      .constructor(optional_override([](const std::string& configJson) {
                     return js::guarded([&] { return new BufferPool(PoolConfig::fromJson(configJson)); });
                   }),
                   allow_raw_pointers())
      .function("acquire", optional_override([](BufferPool& p, double size, const val& zone) {
                  return js::acquire(p, size, zone, val::undefined());
                }))
      .function("acquire", optional_override([](BufferPool& p, double size, const val& zone, const val& order) {
                  return js::acquire(p, size, zone, order);
                }))
      .function("statsJson", optional_override([](BufferPool& p) { return js::guarded([&] { return p.stats().toJson(); }); }))
      .function("configJson", optional_override([](BufferPool& p) { return js::guarded([&] { return p.config().toJson(); }); }))
      .function("trim", optional_override([](BufferPool& p) { js::guarded([&] { p.trim(); }); }))
      .function("clear", optional_override([](BufferPool& p) { js::guarded([&] { p.clear(); }); }));
}
