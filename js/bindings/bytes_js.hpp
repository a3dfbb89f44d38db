// Uint8Arrays over linear memory: views (valid until memory grows) and
// JS-owned copies.
#pragma once

#include <cstddef>

#include <emscripten/val.h>

#include "zonebuf/core/platform_buffer.hpp"

namespace zonebuf::js {

// A Uint8Array view of `length` bytes at `data` (valid until memory grows).
emscripten::val byteView(const std::byte* data, std::size_t length);
// A fresh JS-owned Uint8Array holding a copy of those bytes.
emscripten::val byteCopy(const std::byte* data, std::size_t length);

}  // namespace zonebuf::js
