// WebAssembly only: copies between a JS Int8Array/Uint8Array and a buffer's
// bytes in linear memory, with no intermediate copy (one
// TypedArray.prototype.set). Both sides are bounds-checked before anything
// moves, so a failed call changes nothing; a successful one advances the
// buffer's position by `length`. LinearBuffer::writeFromJsArray/readToJsArray
// and the JS bindings of every buffer use these.
#pragma once

#ifdef __EMSCRIPTEN__

#include <cstddef>

#include "zonebuf/core/platform_buffer.hpp"

namespace emscripten {
class val;
}

namespace zonebuf::detail {

// array[srcOffset, srcOffset + length) -> buffer at its position.
// InvalidArgumentError for a wrong array type or range, BufferOverflowError if
// the buffer lacks room. `op` names the calling method in messages.
void copyFromJsArray(PlatformBuffer& buffer, const emscripten::val& array, std::size_t srcOffset,
                     std::size_t length, const char* op);
// buffer at its position -> array[dstOffset, dstOffset + length).
// BufferUnderflowError if fewer than `length` bytes remain.
void copyToJsArray(PlatformBuffer& buffer, const emscripten::val& array, std::size_t dstOffset,
                   std::size_t length, const char* op);

}  // namespace zonebuf::detail

#endif  // __EMSCRIPTEN__
