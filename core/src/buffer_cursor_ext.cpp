// PlatformBuffer cursor conveniences: skip, mark/reset, compact, duplicate
// and the indexed slice.
#include <cstring>
#include <string>

#include "zonebuf/core/platform_buffer.hpp"

namespace zonebuf {

PlatformBuffer& PlatformBuffer::skip(std::size_t n) {
  if (n > remaining()) [[unlikely]] detail::throwUnderflow("skip", n, position(), limit());
  return position(position() + n);
}

PlatformBuffer& PlatformBuffer::reset(Mark m) {
  if (m.position > limit()) [[unlikely]] {
    throw InvalidArgumentError("reset(mark at " + std::to_string(m.position) + ") is beyond the limit " +
                               std::to_string(limit()) +
                               "; the limit moved below the mark since mark() was taken, take a new mark");
  }
  return position(m.position);
}

PlatformBuffer& PlatformBuffer::compact() {
  requireLive("compact");
  const std::size_t n = remaining();
  if (n != 0 && position() != 0) std::memmove(data(), data() + position(), n);
  resetForWrite();
  position(n);  // n <= capacity == limit: cannot throw
  return *this;
}

PlatformBuffer PlatformBuffer::duplicate() const noexcept {
  PlatformBuffer view = viewAt(data(), capacity());
  view.setLimit(limit());  // within capacity: cannot throw
  view.position(position());
  return view;
}

PlatformBuffer PlatformBuffer::slice(std::size_t index, std::size_t length) const {
  if (index > limit() || length > limit() - index) [[unlikely]] {
    throw InvalidArgumentError("slice(index " + std::to_string(index) + ", length " + std::to_string(length) +
                               ") reaches beyond the limit " + std::to_string(limit()) +
                               "; use index + length <= limit()");
  }
  return viewAt(data() + index, length);
}

}  // namespace zonebuf
