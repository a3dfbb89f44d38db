// BufferOf<Self>::get: how a bound JS class reaches its PlatformBuffer (the
// buffer itself; a lease's, a StreamBuffer's or a GrowableBuffer's buffer).
// Specialised next to each binding of a class that is not a PlatformBuffer.
#pragma once

#include "zonebuf/core/platform_buffer.hpp"

namespace zonebuf::js {

template <class Self>
struct BufferOf {
  static PlatformBuffer& get(Self& self) { return self; }
};

}  // namespace zonebuf::js
