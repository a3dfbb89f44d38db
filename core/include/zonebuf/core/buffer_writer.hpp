// BufferWriter: a window of a PlatformBuffer checked once, then written
// without a per-call check. Made by PlatformBuffer::writer(n), which throws
// BufferOverflowError (nothing changed) unless n bytes fit before the limit.
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

#include "zonebuf/core/byte_order.hpp"

namespace zonebuf {

class PlatformBuffer;

class BufferWriter {
 public:
  BufferWriter(const BufferWriter&) = delete;
  BufferWriter& operator=(const BufferWriter&) = delete;
  BufferWriter(BufferWriter&& other) noexcept { stealFrom(other); }
  BufferWriter& operator=(BufferWriter&& other) noexcept {
    if (this != &other) {
      if (position_ != nullptr) commit();
      stealFrom(other);
    }
    return *this;
  }
  ~BufferWriter() {
    if (position_ != nullptr) commit();
  }

  // Bytes left in the window / written through this writer so far.
  std::size_t remaining() const noexcept { return static_cast<std::size_t>(end_ - cur_); }
  std::size_t written() const noexcept { return static_cast<std::size_t>(cur_ - start_); }

  // Moves the buffer's position past what was written so far; writing may go
  // on in the rest of the window.
  BufferWriter& commit() noexcept {
    ZONEBUF_ASSERT(position_ != nullptr, "commit() on a moved-from BufferWriter");
    ZONEBUF_ASSERT(*position_ == static_cast<std::size_t>(committed_ - base_),
                   "the buffer's position moved while a BufferWriter was open on it");
    *position_ = static_cast<std::size_t>(cur_ - base_);
    committed_ = cur_;
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
  BufferWriter(std::byte* base, std::size_t position, std::size_t bytes, std::size_t* positionField,
               bool swap) noexcept
      : base_(base),
        start_(base + position),
        committed_(base + position),
        cur_(base + position),
        end_(base + position + bytes),
        position_(positionField),
        swap_(swap) {}

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
  void stealFrom(BufferWriter& other) noexcept {
    base_ = other.base_;
    start_ = other.start_;
    committed_ = other.committed_;
    cur_ = other.cur_;
    end_ = other.end_;
    position_ = other.position_;
    swap_ = other.swap_;
    other.position_ = nullptr;
    other.end_ = other.cur_;
  }

  std::byte* base_ = nullptr;       // the buffer's byte 0
  std::byte* start_ = nullptr;      // the window's first byte
  std::byte* committed_ = nullptr;  // the buffer's position, as last committed
  std::byte* cur_ = nullptr;        // next byte to write
  std::byte* end_ = nullptr;        // one past the window
  std::size_t* position_ = nullptr;  // the buffer's position field; null once moved from
  bool swap_ = false;               // the buffer's byte order is not the native one
};

}  // namespace zonebuf
