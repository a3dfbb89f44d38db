// WebAssembly only: copies between a JS Int8Array/Uint8Array and a buffer's
// bytes in linear memory, with no intermediate copy (one
// TypedArray.prototype.set).
//
// Invariants: both sides are bounds-checked before anything moves, so a
// failed call changes nothing (position, limit, bytes, the array); a
// successful one advances the buffer's position by `length`.
//
// writeFromJsArray/readToJsArray are LinearBuffer's JS-array API for C++ code
// compiled to WebAssembly. They are free functions of the JS layer (target
// zonebuf::js) rather than LinearBuffer members, so that core/ never depends
// on embind: `zonebuf::writeFromJsArray(buf, array, 0, n)`.
#pragma once

#ifdef __EMSCRIPTEN__

#include <cstddef>

#include "zonebuf/core/linear_buffer.hpp"
#include "zonebuf/core/platform_buffer.hpp"

namespace emscripten {
class val;
}

namespace zonebuf {

// array[srcOffset, srcOffset + length) -> buffer at its position.
// InvalidArgumentError for an array that is not an Int8Array/Uint8Array or a
// range outside it, BufferOverflowError if the buffer lacks room.
LinearBuffer& writeFromJsArray(LinearBuffer& buffer, const emscripten::val& int8Array, std::size_t srcOffset,
                               std::size_t length);
// buffer at its position -> array[dstOffset, dstOffset + length).
// BufferUnderflowError if fewer than `length` bytes remain.
LinearBuffer& readToJsArray(LinearBuffer& buffer, const emscripten::val& int8Array, std::size_t dstOffset,
                            std::size_t length);

namespace detail {
// The same copies for any buffer (in WebAssembly every zone is in linear
// memory); `op` names the calling method in error messages.
void copyFromJsArray(PlatformBuffer& buffer, const emscripten::val& array, std::size_t srcOffset,
                     std::size_t length, const char* op);
void copyToJsArray(PlatformBuffer& buffer, const emscripten::val& array, std::size_t dstOffset,
                   std::size_t length, const char* op);
}  // namespace detail

}  // namespace zonebuf

#endif  // __EMSCRIPTEN__
