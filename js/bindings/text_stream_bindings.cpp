// embind registration of Utf8StreamDecoder: chunks (Int8Array/Uint8Array)
// in, the text of each out as UTF-8 bytes that js/src/stream.mjs decodes.
#include <emscripten/bind.h>

#include <string>

#include "buffer_args.hpp"
#include "js_args.hpp"
#include "js_error.hpp"
#include "zonebuf/stream/utf8_stream_decoder.hpp"

using namespace emscripten;

EMSCRIPTEN_BINDINGS(zonebuf_text_stream) {
  using namespace zonebuf;
  using js::guarded;
  class_<Utf8StreamDecoder>("Utf8StreamDecoder")
      .constructor(optional_override([]() { return new Utf8StreamDecoder(); }), allow_raw_pointers())
      .constructor(optional_override([](const val& policy) {
                     return guarded([&] { return new Utf8StreamDecoder(js::toTextPolicy(policy, "new Utf8StreamDecoder")); });
                   }),
                   allow_raw_pointers())
      .function("decode", optional_override([](Utf8StreamDecoder& d, const val& chunk) {
                  return guarded([&] {
                    std::string out;
                    d.decode(js::byteArg(chunk, "Utf8StreamDecoder.decode").bytes, out);
                    return js::utf8Out(std::move(out));
                  });
                }))
      .function("finish", optional_override([](Utf8StreamDecoder& d) {
                  return guarded([&] {
                    std::string out;
                    d.finish(out);
                    return js::utf8Out(std::move(out));
                  });
                }))
      .function("validate", optional_override([](Utf8StreamDecoder& d, const val& chunk) {
                  return guarded([&] { return d.validate(js::byteArg(chunk, "Utf8StreamDecoder.validate").bytes); });
                }))
      .function("validateFinish", optional_override([](Utf8StreamDecoder& d) { return d.validateFinish(); }))
      .function("reset", optional_override([](Utf8StreamDecoder& d) { d.reset(); }))
      .function("pendingBytes", optional_override([](Utf8StreamDecoder& d) { return static_cast<double>(d.pendingBytes()); }))
      .function("bytesSeen", optional_override([](Utf8StreamDecoder& d) { return static_cast<double>(d.bytesSeen()); }));
}
