// embind registration of the enums and PlatformBuffer, under the C++ names.
#include <emscripten/bind.h>

#include "buffer_api.hpp"
#include "zonebuf/core/charset.hpp"
#include "zonebuf/core/platform_buffer.hpp"

using namespace emscripten;

namespace zonebuf::js {
namespace {
PlatformBuffer allocate(double size, const val& zone, ByteOrder order) {
  return guarded([&] {
    return PlatformBuffer::allocate(toSize(size, "PlatformBuffer.allocate", "size"),
                                    toZone(zone, "PlatformBuffer.allocate"), order);
  });
}
}  // namespace
}  // namespace zonebuf::js

EMSCRIPTEN_BINDINGS(zonebuf_platform_buffer) {
  using namespace zonebuf;
  enum_<AllocationZone>("AllocationZone")
      .value("Heap", AllocationZone::Heap)
      .value("Direct", AllocationZone::Direct)
      .value("SharedMemory", AllocationZone::SharedMemory);
  enum_<ByteOrder>("ByteOrder").value("BigEndian", ByteOrder::BigEndian).value("LittleEndian", ByteOrder::LittleEndian);
  enum_<Charset>("Charset")
      .value("Utf8", Charset::Utf8)
      .value("Utf16BigEndian", Charset::Utf16BigEndian)
      .value("Utf16LittleEndian", Charset::Utf16LittleEndian)
      .value("Ascii", Charset::Ascii)
      .value("Latin1", Charset::Latin1);
  enum_<TextPolicy>("TextPolicy").value("Lenient", TextPolicy::Lenient).value("Strict", TextPolicy::Strict);

  class_<PlatformBuffer> buffer("PlatformBuffer");
  buffer.class_function("allocate", optional_override([](double size) {
                          return js::allocate(size, val::module_property("AllocationZone")["Heap"], ByteOrder::BigEndian);
                        }))
      .class_function("allocate", optional_override([](double size, const val& zone) {
                          return js::allocate(size, zone, ByteOrder::BigEndian);
                        }))
      .class_function("allocate", optional_override([](double size, const val& zone, const val& order) {
                        return js::allocate(size, zone, js::guarded([&] { return js::toByteOrder(order, "PlatformBuffer.allocate"); }));
                      }));
  js::bindBufferApi(buffer);
  js::bindBufferStatics(buffer);
}
