#include "bytes_js.hpp"

namespace zonebuf::js {

using emscripten::val;

val byteView(const std::byte* data, std::size_t length) {
  return val(emscripten::typed_memory_view(length, reinterpret_cast<const unsigned char*>(data)));
}

val byteCopy(const std::byte* data, std::size_t length) {
  val copy = val::global("Uint8Array").new_(length);
  copy.call<void>("set", byteView(data, length));
  return copy;
}

}  // namespace zonebuf::js
