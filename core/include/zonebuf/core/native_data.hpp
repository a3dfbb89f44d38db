// NativeData: the remaining bytes of a buffer handed to native or JavaScript
// code as a LinearBuffer, without copying and without moving the source's
// position or limit.
//
// Invariants: linearBuffer is a non-owning view over exactly the source's
// [position, limit) at the moment of the call (its position is 0 and its limit
// the source's remaining()). It is a checked view (detail/view_guard.hpp):
// once the source's owner is released, bytes() and every access through
// linearBuffer throw StaleViewError (unchecked for wrap()-ed memory). From
// toNativeData() (const source) it is for reading only: `isMutable` is false
// and writing through it is the caller's error.
#pragma once

#include <span>

#include "zonebuf/core/linear_buffer.hpp"

namespace zonebuf {

struct NativeData {
  LinearBuffer linearBuffer;
  bool isMutable = false;

  // StaleViewError once the source's owner was released.
  std::span<const std::byte> bytes() const {
    linearBuffer.requireLive("NativeData::bytes");
    return {linearBuffer.data(), linearBuffer.capacity()};
  }

  static NativeData of(const PlatformBuffer& source, bool isMutable) noexcept {
    return NativeData{LinearBuffer::viewOfRemaining(source), isMutable};
  }
};

}  // namespace zonebuf
