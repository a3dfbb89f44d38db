#include "buffer_args.hpp"

#include <emscripten/bind.h>
#include <emscripten/emscripten.h>

#include "bytes_js.hpp"
#include "js_args.hpp"
#include "zonebuf/errors.hpp"
#include "zonebuf/js/js_array_copy.hpp"
#include "zonebuf/pool/pooled_buffer.hpp"
#include "zonebuf/stream/growable_buffer.hpp"
#include "zonebuf/stream/stream_buffer.hpp"

// -2: not an Int8Array/Uint8Array; -1: one over other memory; else its
// byteOffset in this module's memory.
EM_JS(double, zb_byte_arg_offset, (emscripten::EM_VAL handle), {
  const a = Emval.toValue(handle);
  if (!(a instanceof Uint8Array || a instanceof Int8Array)) return -2;
  return a.buffer === HEAPU8.buffer ? a.byteOffset : -1;
});

namespace zonebuf::js {

using emscripten::val;

namespace {
template <class T>
T* handleOf(const val& v, const char* className) {
  const val cls = val::module_property(className);
  if (cls.isUndefined() || !v.instanceof(cls)) return nullptr;
  return v.as<T*>(emscripten::allow_raw_pointers());
}
}  // namespace

PlatformBuffer& bufferArg(const val& v, const char* op) {
  if (auto* b = handleOf<PlatformBuffer>(v, "PlatformBuffer")) return *b;  // and LinearBuffer
  if (auto* l = handleOf<PooledBuffer>(v, "PooledBuffer")) return l->buffer();
  if (auto* s = handleOf<StreamBuffer>(v, "StreamBuffer")) return s->buffer();
  if (auto* g = handleOf<GrowableBuffer>(v, "GrowableBuffer")) return g->buffer();
  throw InvalidArgumentError(std::string(op) + ": expected a PlatformBuffer, LinearBuffer, PooledBuffer, " +
                             "StreamBuffer or GrowableBuffer of this module; got a " +
                             v.typeOf().as<std::string>() +
                             " (buffers of another module instance cross with writeFromJsArray)");
}

ByteArg byteArg(const val& v, const char* op) {
  const double offset = zb_byte_arg_offset(v.as_handle());
  if (offset == -2) {
    throw InvalidArgumentError(std::string(op) + ": expected an Int8Array or a Uint8Array; wrap other " +
                               "data in one first (e.g. new Uint8Array(arrayBuffer))");
  }
  const auto length = v["length"].as<std::size_t>();
  ByteArg out;
  if (offset >= 0) {
    out.bytes = {reinterpret_cast<const std::byte*>(static_cast<std::uintptr_t>(offset)), length};
    return out;
  }
  out.copy.resize(length);
  PlatformBuffer target = PlatformBuffer::wrap(out.copy);
  detail::copyFromJsArray(target, v, 0, length, op);
  out.bytes = out.copy;
  return out;
}

val markObject(std::size_t position) {
  val mark = val::object();
  mark.set("position", static_cast<double>(position));
  return mark;
}

std::size_t markPosition(const val& mark, const char* op) {
  const val position = mark.typeOf().as<std::string>() == "object" && !mark.isNull() ? mark["position"] : val::undefined();
  if (position.typeOf().as<std::string>() != "number") {
    throw InvalidArgumentError(std::string(op) + ": expected a mark made by mark() ({ position }); got a " +
                               mark.typeOf().as<std::string>());
  }
  return toSize(position.as<double>(), op, "mark position");
}

val utf8Out(std::string text) {
  static std::string scratch;
  scratch = std::move(text);
  return byteView(reinterpret_cast<const std::byte*>(scratch.data()), scratch.size());
}

double indexOrMinusOne(std::size_t at) { return at == PlatformBuffer::npos ? -1.0 : static_cast<double>(at); }

}  // namespace zonebuf::js
