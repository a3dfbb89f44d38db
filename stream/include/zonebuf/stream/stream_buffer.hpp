// StreamBuffer: what StreamProcessor::readBuffer(n) returns — n bytes as one
// PlatformBuffer (position 0, limit n, the stream's byte order).
//
// Invariants (one of three, see kind()):
//   View:      a zero-copy view into a chunk the stream still holds (the bytes
//              were contiguous and did not end the chunk). Valid until the
//              stream consumes that chunk's last byte, or is cleared or
//              destroyed; then any access throws StaleViewError.
//   Chunk:     a zero-copy view of a chunk's last bytes; the chunk's lease
//              moved in here, so the bytes live as long as this object.
//   Assembled: the bytes spanned chunks and were copied into one pooled lease
//              this object owns.
// Move-only; the lease it may own goes back to the pool when it is destroyed.
// Every kind is a checked view (core/detail/view_guard.hpp): views made of it
// throw StaleViewError once the lease holding the bytes went back.
#pragma once

#include <utility>

#include "zonebuf/core/platform_buffer.hpp"
#include "zonebuf/pool/pooled_buffer.hpp"

namespace zonebuf {

class StreamBuffer {
 public:
  enum class Kind : std::uint8_t { View, Chunk, Assembled };

  StreamBuffer() noexcept = default;
  StreamBuffer(StreamBuffer&&) noexcept = default;
  StreamBuffer& operator=(StreamBuffer&&) noexcept = default;

  PlatformBuffer& buffer() noexcept { return view_; }
  PlatformBuffer* operator->() noexcept { return &view_; }
  std::size_t size() const noexcept { return view_.capacity(); }
  Kind kind() const noexcept { return kind_; }
  bool copied() const noexcept { return kind_ == Kind::Assembled; }

 private:
  friend class StreamProcessor;
  StreamBuffer(PooledBuffer lease, PlatformBuffer view, Kind kind) noexcept
      : lease_(std::move(lease)), view_(std::move(view)), kind_(kind) {}

  PooledBuffer lease_;  // declared first: destroyed after the view
  PlatformBuffer view_;
  Kind kind_ = Kind::View;
};

}  // namespace zonebuf
