// BufferWriter: a window of a PlatformBuffer checked once, then written
// without a per-call check. Made by PlatformBuffer::writer(n), which throws
// BufferOverflowError (nothing changed) unless n bytes fit before the limit.
//
//   {
//     BufferWriter w = buf.writer(27);  // the one bounds check for the record
//     w.writeUnsignedByte(kind).writeUnsignedShort(flags).writeInt(id)
//      .writeLong(timestamp).writeDouble(value).writeInt(crc);
//   }                                   // committed: buf.position() += 27
//
// Invariants:
//   base_ <= committed_ <= cur_ <= end_, and [committed_, end_) lies inside
//   the buffer's [position, limit) at writer(n) time: every write stays
//   inside the window. Release builds do not check a write against the
//   window (that is the point, like operator[] on a span); builds with
//   ZONEBUF_ASSERT_LEVEL >= 1 (debug, asan, tsan) check every call.
//   The buffer's position is base_ + position, and it only moves at
//   commit(): to cur_ (what was written so far). The destructor commits too.
//   A moved-from writer owns no window (position_ is null) and commits
//   nothing.
// Contract: the buffer outlives the writer, is not moved, and is not read,
// written or repositioned through its own API while the writer is open
// (checked at commit in assert builds).
// An exception thrown between two writes (by user code: the writer's own
// calls do not throw) leaves what was already written committed, exactly as
// the same writes made one by one on the buffer would have: the destructor
// commits. Code that wants all-or-nothing saves position() before and puts
// it back in its handler.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "zonebuf/core/buffer_cursor.hpp"
#include "zonebuf/core/byte_order.hpp"

namespace zonebuf {

class PlatformBuffer;

class BufferWriter : private detail::CursorWindow<std::byte> {
 public:
  BufferWriter(BufferWriter&&) noexcept = default;
  BufferWriter& operator=(BufferWriter&&) noexcept = default;  // commits the window it replaces

  using CursorWindow::remaining;
  // Bytes written through this writer so far.
  std::size_t written() const noexcept { return used(); }
  // Moves the buffer's position past what was written so far; writing may go
  // on in the rest of the window.
  BufferWriter& commit() noexcept {
    commitWindow();
    return *this;
  }

  BufferWriter& writeByte(std::int8_t v) noexcept { return put(v); }
  BufferWriter& writeUnsignedByte(std::uint8_t v) noexcept { return put(v); }
  BufferWriter& writeShort(std::int16_t v) noexcept { return put(v); }
  BufferWriter& writeUnsignedShort(std::uint16_t v) noexcept { return put(v); }
  BufferWriter& writeInt(std::int32_t v) noexcept { return put(v); }
  BufferWriter& writeUnsignedInt(std::uint32_t v) noexcept { return put(v); }
  BufferWriter& writeLong(std::int64_t v) noexcept { return put(v); }
  BufferWriter& writeUnsignedLong(std::uint64_t v) noexcept { return put(v); }
  BufferWriter& writeFloat(float v) noexcept { return put(v); }
  BufferWriter& writeDouble(double v) noexcept { return put(v); }

  // In the buffer's byte order.
  BufferWriter& writeShorts(std::span<const std::int16_t> v) noexcept { return putArray(v); }
  BufferWriter& writeInts(std::span<const std::int32_t> v) noexcept { return putArray(v); }
  BufferWriter& writeLongs(std::span<const std::int64_t> v) noexcept { return putArray(v); }
  BufferWriter& writeFloats(std::span<const float> v) noexcept { return putArray(v); }
  BufferWriter& writeDoubles(std::span<const double> v) noexcept { return putArray(v); }
  BufferWriter& writeBytes(std::span<const std::byte> bytes) noexcept { return putArray(bytes); }
  BufferWriter& writeBytes(std::span<const std::uint8_t> bytes) noexcept { return putArray(bytes); }

 private:
  friend class PlatformBuffer;
  BufferWriter(std::byte* base, std::size_t position, std::size_t bytes, std::size_t* positionField, bool swap) noexcept
      : CursorWindow(base, position, bytes, positionField, swap) {}

  template <class T>
  [[gnu::always_inline]] BufferWriter& put(T v) noexcept {
    ZONEBUF_ASSERT(sizeof(T) <= remaining(), "BufferWriter: write past the window reserved by writer(n)");
    detail::storeValue<T>(cur_, v, swap_);
    cur_ += sizeof(T);
    return *this;
  }
  template <class T>
  [[gnu::always_inline]] BufferWriter& putArray(std::span<const T> values) noexcept {
    const std::size_t n = values.size();
    ZONEBUF_ASSERT(n <= remaining() / sizeof(T), "BufferWriter: array past the window reserved by writer(n)");
    if (sizeof(T) == 1 || !swap_) {
      detail::copyBytes(cur_, values.data(), n * sizeof(T));
    } else {
      detail::copySwapped<sizeof(T)>(cur_, reinterpret_cast<const std::byte*>(values.data()), n);
    }
    cur_ += n * sizeof(T);
    return *this;
  }
};

}  // namespace zonebuf
