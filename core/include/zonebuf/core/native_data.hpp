// NativeData: the remaining bytes of a buffer handed to native or JavaScript
// code as a LinearBuffer, without copying and without moving the source's
// position or limit.
//
// Invariants: linearBuffer is a non-owning view over exactly the source's
// [position, limit) at the moment of the call (its position is 0 and its limit
// the source's remaining()); it must not outlive the source buffer. From
// toNativeData() (const source) it is for reading only: `isMutable` is false
// and writing through it is the caller's error.
#pragma once

#include <span>

#include "zonebuf/core/linear_buffer.hpp"

namespace zonebuf {

struct NativeData {
  LinearBuffer linearBuffer;
  bool isMutable = false;

  std::span<const std::byte> bytes() const noexcept { return {linearBuffer.data(), linearBuffer.capacity()}; }

  static NativeData of(const PlatformBuffer& source, bool isMutable) noexcept {
    return NativeData{LinearBuffer::viewOfRemaining(source), isMutable};
  }
};

}  // namespace zonebuf
