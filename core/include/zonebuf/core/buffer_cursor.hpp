// detail::CursorWindow: what BufferWriter and BufferReader share — a window
// [start_, end_) of a PlatformBuffer reserved by writer(n) / reader(n), a
// cursor in it, and the commit that moves the buffer's position.
//
// Invariants: base_ <= start_ <= committed_ <= cur_ <= end_; the buffer's
// position field (*position_) equals committed_ - base_ while the window is
// open (checked at commit with ZONEBUF_ASSERT); a moved-from window has a
// null position_, an empty remainder, and commits nothing. Destroying an open
// window commits it.
#pragma once

#include <cstddef>

#include <zonebuf/primitives.hpp>

namespace zonebuf::detail {

template <class Byte>  // std::byte for BufferWriter, const std::byte for BufferReader
class CursorWindow {
 public:
  CursorWindow(const CursorWindow&) = delete;
  CursorWindow& operator=(const CursorWindow&) = delete;

  // Bytes left in the window.
  std::size_t remaining() const noexcept { return static_cast<std::size_t>(end_ - cur_); }

 protected:
  CursorWindow(Byte* base, std::size_t position, std::size_t bytes, std::size_t* positionField, bool swap) noexcept
      : base_(base),
        start_(base + position),
        committed_(base + position),
        cur_(base + position),
        end_(base + position + bytes),
        position_(positionField),
        swap_(swap) {}
  CursorWindow(CursorWindow&& other) noexcept { stealFrom(other); }
  CursorWindow& operator=(CursorWindow&& other) noexcept {
    if (this != &other) {
      if (position_ != nullptr) commitWindow();
      stealFrom(other);
    }
    return *this;
  }
  ~CursorWindow() {
    if (position_ != nullptr) commitWindow();
  }

  std::size_t used() const noexcept { return static_cast<std::size_t>(cur_ - start_); }
  void commitWindow() noexcept {
    ZONEBUF_ASSERT(position_ != nullptr, "commit() on a moved-from cursor");
    ZONEBUF_ASSERT(*position_ == static_cast<std::size_t>(committed_ - base_),
                   "the buffer's position moved while a cursor (BufferWriter/BufferReader) was open on it");
    *position_ = static_cast<std::size_t>(cur_ - base_);
    committed_ = cur_;
  }

  Byte* base_ = nullptr;             // the buffer's byte 0
  Byte* start_ = nullptr;            // the window's first byte
  Byte* committed_ = nullptr;        // the buffer's position, as last committed
  Byte* cur_ = nullptr;              // next byte
  Byte* end_ = nullptr;              // one past the window
  std::size_t* position_ = nullptr;  // the buffer's position field; null once moved from
  bool swap_ = false;                // the buffer's byte order is not the native one

 private:
  void stealFrom(CursorWindow& other) noexcept {
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
};

}  // namespace zonebuf::detail
