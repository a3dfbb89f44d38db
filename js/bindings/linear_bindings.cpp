// embind registration of LinearBuffer and LinearMemoryAllocator.
#include <emscripten/bind.h>

#include "buffer_api.hpp"
#include "zonebuf/allocators/linear_memory_allocator.hpp"
#include "zonebuf/core/linear_buffer.hpp"

using namespace emscripten;

namespace zonebuf::js {
namespace {
LinearBuffer allocateLinear(double size, const val& zone, const val& order) {
  return guarded([&] {
    const char* op = "LinearBuffer.allocate";
    return LinearBuffer::allocate(toSize(size, op, "size"), toZone(zone, op),
                                  order.isUndefined() ? ByteOrder::BigEndian : toByteOrder(order, op));
  });
}

val statsObject(const LinearMemoryStats& s) {
  val o = val::object();
#define ZB_FIELD(name) o.set(#name, s.name);
  ZB_FIELD(reserved) ZB_FIELD(carved) ZB_FIELD(used) ZB_FIELD(peak) ZB_FIELD(freeListBytes) ZB_FIELD(allocations)
  ZB_FIELD(reuses) ZB_FIELD(remoteFrees) ZB_FIELD(chunks) ZB_FIELD(threadArenas) ZB_FIELD(scopeOverruns)
  ZB_FIELD(extensions)
  ZB_FIELD(initialSizeMB) ZB_FIELD(maxSizeMB)
#undef ZB_FIELD
  return o;
}

// LinearMemoryAllocator has only static members: JS sees a namespace-like
// class that is never constructed.
struct LinearMemoryAllocatorJs {};
}  // namespace
}  // namespace zonebuf::js

EMSCRIPTEN_BINDINGS(zonebuf_linear) {
  using namespace zonebuf;
  class_<LinearBuffer, base<PlatformBuffer>>("LinearBuffer")
      .class_function("allocate", optional_override([](double size) {
                        return js::allocateLinear(size, val::module_property("AllocationZone")["Direct"], val::undefined());
                      }))
      .class_function("allocate", optional_override([](double size, const val& zone) {
                        return js::allocateLinear(size, zone, val::undefined());
                      }))
      .class_function("allocate", optional_override([](double size, const val& zone, const val& order) {
                        return js::allocateLinear(size, zone, order);
                      }))
      // Takes over `buffer` (it is left empty); InvalidArgumentError for Heap.
      .class_function("from", optional_override([](PlatformBuffer& buffer) {
                        return js::guarded([&] { return LinearBuffer::from(std::move(buffer)); });
                      }))
      .class_function("viewOf", optional_override([](PlatformBuffer& buffer) {
                        return js::guarded([&] { return LinearBuffer::viewOf(buffer); });
                      }));
  // writeFromJsArray/readToJsArray and the rest of the buffer API are
  // inherited from PlatformBuffer's binding.

  class_<js::LinearMemoryAllocatorJs>("LinearMemoryAllocator")
      .class_function("configure", optional_override([]() { js::guarded([] { LinearMemoryAllocator::configure(); }); }))
      .class_function("configure", optional_override([](double initialSizeMB) {
                        js::guarded([&] {
                          LinearMemoryAllocator::configure(js::toSize(initialSizeMB, "LinearMemoryAllocator.configure", "initialSizeMB"));
                        });
                      }))
      .class_function("configure", optional_override([](double initialSizeMB, double maxSizeMB) {
                        js::guarded([&] {
                          const char* op = "LinearMemoryAllocator.configure";
                          LinearMemoryAllocator::configure(js::toSize(initialSizeMB, op, "initialSizeMB"),
                                                           js::toSize(maxSizeMB, op, "maxSizeMB"));
                        });
                      }))
      .class_function("stats", optional_override([]() {
                        return js::guarded([] { return js::statsObject(LinearMemoryAllocator::stats()); });
                      }))
      .class_function("stats", optional_override([](const val& zone) {
                        return js::guarded([&] {
                          return js::statsObject(LinearMemoryAllocator::stats(js::toZone(zone, "LinearMemoryAllocator.stats")));
                        });
                      }));
}
