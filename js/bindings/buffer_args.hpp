// JS arguments that are objects (another buffer, a byte array, a mark, the
// text enums) and text going out to JS.
//
// Invariants: bufferArg only accepts handles of this module's buffer classes
// (an address from another module's memory would be meaningless here); JS
// (js/src/conveniences.mjs) has already rejected deleted handles, whose
// conversion would throw inside C++. Text leaves C++ as its UTF-8 bytes, which
// JS decodes with TextDecoder: embind's string marshalling is not trusted
// with text.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <emscripten/val.h>

#include "zonebuf/core/platform_buffer.hpp"

namespace zonebuf::js {

// The PlatformBuffer behind a PlatformBuffer, LinearBuffer, PooledBuffer,
// StreamBuffer or GrowableBuffer handle; InvalidArgumentError for anything
// else (and for an empty lease).
PlatformBuffer& bufferArg(const emscripten::val& v, const char* op);

// The bytes of an Int8Array or Uint8Array: in place when the array views this
// module's memory (addresses there stay valid when memory grows), else a copy.
struct ByteArg {
  std::vector<std::byte> copy;
  std::span<const std::byte> bytes;
};
ByteArg byteArg(const emscripten::val& v, const char* op);

// A mark made by mark(): { position }.
emscripten::val markObject(std::size_t position);
std::size_t markPosition(const emscripten::val& mark, const char* op);

// A Uint8Array view of `text`'s UTF-8 bytes, valid until the next call into
// the bindings (JS decodes it at once).
emscripten::val utf8Out(std::string text);

// An index or npos as a JS number (-1 for npos).
double indexOrMinusOne(std::size_t at);

}  // namespace zonebuf::js
