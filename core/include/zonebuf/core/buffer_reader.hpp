// BufferReader: a window of a PlatformBuffer checked once, then read without
// a per-call check. Made by PlatformBuffer::reader(n), which throws
// BufferUnderflowError (nothing changed) unless n <= remaining().
//
// Invariants:
//   base_ <= committed_ <= cur_ <= end_, and [committed_, end_) lies inside
//   the buffer's [position, limit) at reader(n) time: every read stays inside
//   the window. Release builds do not check a read against the window;
//   builds with ZONEBUF_ASSERT_LEVEL >= 1 (debug, asan, tsan) check every
//   call. The buffer's position only moves at commit(): to cur_ (what was
//   read so far); the destructor commits too. A moved-from reader owns no
//   window and commits nothing.
// Contract: the buffer outlives the reader, is not moved, and is not read,
// written or repositioned through its own API while the reader is open
// (checked at commit in assert builds). Views from readBytes() point into
// the buffer and live as long as its memory.
// An exception thrown between two reads (by user code: the reader's own
// calls do not throw) leaves what was read consumed, as the same reads made
// one by one on the buffer would have: the destructor commits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "zonebuf/core/buffer_cursor.hpp"
#include "zonebuf/core/byte_order.hpp"

namespace zonebuf {

class PlatformBuffer;

class BufferReader : private detail::CursorWindow<const std::byte> {
 public:
  BufferReader(BufferReader&&) noexcept = default;
  BufferReader& operator=(BufferReader&&) noexcept = default;  // commits the window it replaces

  using CursorWindow::remaining;
  // Bytes read through this reader so far.
  std::size_t consumed() const noexcept { return used(); }
  // Moves the buffer's position past what was read so far.
  BufferReader& commit() noexcept {
    commitWindow();
    return *this;
  }

  std::int8_t readByte() noexcept { return take<std::int8_t>(); }
  std::uint8_t readUnsignedByte() noexcept { return take<std::uint8_t>(); }
  std::int16_t readShort() noexcept { return take<std::int16_t>(); }
  std::uint16_t readUnsignedShort() noexcept { return take<std::uint16_t>(); }
  std::int32_t readInt() noexcept { return take<std::int32_t>(); }
  std::uint32_t readUnsignedInt() noexcept { return take<std::uint32_t>(); }
  std::int64_t readLong() noexcept { return take<std::int64_t>(); }
  std::uint64_t readUnsignedLong() noexcept { return take<std::uint64_t>(); }
  float readFloat() noexcept { return take<float>(); }
  double readDouble() noexcept { return take<double>(); }

  // Fill all of `out`, in the buffer's byte order.
  BufferReader& readShorts(std::span<std::int16_t> out) noexcept { return takeArray(out); }
  BufferReader& readInts(std::span<std::int32_t> out) noexcept { return takeArray(out); }
  BufferReader& readLongs(std::span<std::int64_t> out) noexcept { return takeArray(out); }
  BufferReader& readFloats(std::span<float> out) noexcept { return takeArray(out); }
  BufferReader& readDoubles(std::span<double> out) noexcept { return takeArray(out); }
  // Zero-copy view of the next n bytes; advances.
  std::span<const std::byte> readBytes(std::size_t n) noexcept {
    ZONEBUF_ASSERT(n <= remaining(), "BufferReader: readBytes past the window reserved by reader(n)");
    const std::span<const std::byte> view(cur_, n);
    cur_ += n;
    return view;
  }

 private:
  friend class PlatformBuffer;
  BufferReader(const std::byte* base, std::size_t position, std::size_t bytes, std::size_t* positionField, bool swap) noexcept
      : CursorWindow(base, position, bytes, positionField, swap) {}

  template <class T>
  [[gnu::always_inline]] T take() noexcept {
    ZONEBUF_ASSERT(sizeof(T) <= remaining(), "BufferReader: read past the window reserved by reader(n)");
    const T v = detail::loadValue<T>(cur_, swap_);
    cur_ += sizeof(T);
    return v;
  }
  template <class T>
  [[gnu::always_inline]] BufferReader& takeArray(std::span<T> out) noexcept {
    const std::size_t n = out.size();
    ZONEBUF_ASSERT(n <= remaining() / sizeof(T), "BufferReader: array past the window reserved by reader(n)");
    if (sizeof(T) == 1 || !swap_) {
      detail::copyBytes(out.data(), cur_, n * sizeof(T));
    } else {
      detail::copySwapped<sizeof(T)>(reinterpret_cast<std::byte*>(out.data()), cur_, n);
    }
    cur_ += n * sizeof(T);
    return *this;
  }
};

}  // namespace zonebuf
