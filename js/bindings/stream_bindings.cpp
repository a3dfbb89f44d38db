// embind registration of StreamProcessor: leases in (append moves the
// lease, as in C++), fields out across chunk boundaries. Offsets and sizes
// are JS numbers checked by toSize; npos is -1; 64-bit fields are not bound
// (use two readUnsignedInt calls). Errors cross as the zonebuf error types.
#include <emscripten/bind.h>

#include <string>

#include "js_args.hpp"
#include "js_error.hpp"
#include "zonebuf/pool/buffer_pool.hpp"
#include "zonebuf/stream/stream_processor.hpp"

using namespace emscripten;

namespace zonebuf::js {
namespace {

double position(std::size_t at) { return at == StreamProcessor::npos ? -1.0 : static_cast<double>(at); }

template <class T, T (StreamProcessor::*Read)()>
double readField(StreamProcessor& s) {
  return guarded([&] { return static_cast<double>((s.*Read)()); });
}

template <class T, T (StreamProcessor::*Peek)(std::size_t) const>
double peekField(StreamProcessor& s, double offset) {
  return guarded([&] { return static_cast<double>((s.*Peek)(toSize(offset, "StreamProcessor.peek", "offset"))); });
}

}  // namespace
}  // namespace zonebuf::js

EMSCRIPTEN_BINDINGS(zonebuf_stream) {
  using namespace zonebuf;
  using js::guarded;
  class_<StreamProcessor>("StreamProcessor")
      .constructor(optional_override([](BufferPool& pool) { return guarded([&] { return new StreamProcessor(pool); }); }),
                   allow_raw_pointers())
      .constructor(optional_override([](BufferPool& pool, const val& order) {
                     return guarded([&] {
                       StreamConfig c;
                       c.order = js::toByteOrder(order, "new StreamProcessor");
                       return new StreamProcessor(pool, c);
                     });
                   }),
                   allow_raw_pointers())
      .function("append", optional_override([](StreamProcessor& s, PooledBuffer& lease) {
                  guarded([&] { s.append(std::move(lease)); });
                }))
      .function("available", optional_override([](StreamProcessor& s) { return static_cast<double>(s.available()); }))
      .function("readByte", &js::readField<std::int8_t, &StreamProcessor::readByte>)
      .function("readUnsignedByte", &js::readField<std::uint8_t, &StreamProcessor::readUnsignedByte>)
      .function("readShort", &js::readField<std::int16_t, &StreamProcessor::readShort>)
      .function("readUnsignedShort", &js::readField<std::uint16_t, &StreamProcessor::readUnsignedShort>)
      .function("readInt", &js::readField<std::int32_t, &StreamProcessor::readInt>)
      .function("readUnsignedInt", &js::readField<std::uint32_t, &StreamProcessor::readUnsignedInt>)
      .function("readFloat", &js::readField<float, &StreamProcessor::readFloat>)
      .function("readDouble", &js::readField<double, &StreamProcessor::readDouble>)
      .function("peekUnsignedByte", &js::peekField<std::uint8_t, &StreamProcessor::peekUnsignedByte>)
      .function("peekUnsignedShort", &js::peekField<std::uint16_t, &StreamProcessor::peekUnsignedShort>)
      .function("peekInt", &js::peekField<std::int32_t, &StreamProcessor::peekInt>)
      .function("peekUnsignedInt", &js::peekField<std::uint32_t, &StreamProcessor::peekUnsignedInt>)
      .function("skip", optional_override([](StreamProcessor& s, double n) {
                  guarded([&] { s.skip(js::toSize(n, "StreamProcessor.skip", "n")); });
                }))
      .function("indexOfByte", optional_override([](StreamProcessor& s, double value, double from) {
                  return guarded([&] {
                    const auto b = js::toInteger<std::uint8_t>(value, "StreamProcessor.indexOfByte", "value");
                    return js::position(s.indexOf(b, js::toSize(from, "StreamProcessor.indexOfByte", "from")));
                  });
                }))
      .function("indexOfString", optional_override([](StreamProcessor& s, const std::string& pattern) {
                  return js::position(s.indexOf(std::string_view(pattern)));
                }))
      .function("readString", optional_override([](StreamProcessor& s, double n) {
                  return guarded([&] { return s.readString(js::toSize(n, "StreamProcessor.readString", "n")); });
                }))
      .function("statsJson", optional_override([](StreamProcessor& s) { return s.stats().toJson(); }))
      .function("clear", optional_override([](StreamProcessor& s) { s.clear(); }));
}
