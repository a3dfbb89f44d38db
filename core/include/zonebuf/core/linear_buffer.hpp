// LinearBuffer: a PlatformBuffer whose bytes live in linear memory at a stable
// address (zone Direct or SharedMemory), so JavaScript or another process can
// address them by offset.
//
// Invariants: a LinearBuffer adds no state to PlatformBuffer (it converts to
// and from one by move without slicing anything); baseOffset() is the linear
// memory address of byte 0 (natively the pointer value) and never changes for
// the buffer's lifetime, because linear arena blocks never move.
// The checked conversions reject Heap buffers; only NativeData may view Heap
// bytes as a LinearBuffer (zero-copy: in WebAssembly the Heap is in linear
// memory too).
#pragma once

#include <cstdint>

#include "zonebuf/core/platform_buffer.hpp"

namespace zonebuf {

class LinearBuffer : public PlatformBuffer {
 public:
  LinearBuffer() noexcept = default;

  // InvalidArgumentError for zone Heap (nothing allocated).
  static LinearBuffer allocate(std::size_t size, AllocationZone zone = AllocationZone::Direct,
                               ByteOrder order = ByteOrder::BigEndian);
  // Takes over `buffer` (owning or view). InvalidArgumentError for a Heap
  // buffer, which is then left untouched.
  static LinearBuffer from(PlatformBuffer&& buffer);
  // A non-owning LinearBuffer over all of `buffer` with the same position,
  // limit and byte order. InvalidArgumentError for a Heap buffer.
  static LinearBuffer viewOf(PlatformBuffer& buffer);

  // Address of byte 0 in linear memory (natively the pointer value).
  std::uintptr_t baseOffset() const noexcept { return reinterpret_cast<std::uintptr_t>(data()); }
  // baseOffset() + position().
  std::uintptr_t linearMemoryOffset() const noexcept { return baseOffset() + position(); }

  // The JS typed-array copies writeFromJsArray/readToJsArray are free
  // functions of the JS layer: <zonebuf/js/js_array_copy.hpp>.

 private:
  friend struct NativeData;
  explicit LinearBuffer(PlatformBuffer&& b) noexcept : PlatformBuffer(std::move(b)) {}
  LinearBuffer(std::byte* data, std::size_t capacity, AllocationZone zone, ByteOrder order) noexcept
      : PlatformBuffer(data, capacity, zone, order, BlockOwner::None, nullptr) {}
  // Unchecked: a non-owning view of [position, limit) of any zone.
  static LinearBuffer viewOfRemaining(const PlatformBuffer& buffer) noexcept;
};

}  // namespace zonebuf
