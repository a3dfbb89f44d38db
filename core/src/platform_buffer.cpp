#include "zonebuf/core/platform_buffer.hpp"

#include <cstring>
#include <string>

#include "zonebuf/allocators/zone_router.hpp"
#include "zonebuf/core/text_codec.hpp"

#include "detail/text_codecs.hpp"

namespace zonebuf {

namespace detail {
void throwSizeTooLarge(std::size_t size, AllocationZone zone) {
  throw InvalidArgumentError("PlatformBuffer::allocate(" + std::to_string(size) + ", " +
                             std::string(zoneName(zone)) + ") exceeds the maximum buffer size of " +
                             std::to_string(PlatformBuffer::kMaxSize) +
                             " bytes (a negative size converted to size_t lands here too); pass a size "
                             "no larger than PlatformBuffer::kMaxSize");
}
}  // namespace detail

PlatformBuffer PlatformBuffer::wrap(std::span<std::byte> bytes, ByteOrder order) noexcept {
  return PlatformBuffer(bytes.data(), bytes.size(), AllocationZone::Heap, order, BlockOwner::None, nullptr);
}


PlatformBuffer& PlatformBuffer::position(std::size_t n) {
  if (n > limit_) [[unlikely]] {
    throw InvalidArgumentError("position(" + std::to_string(n) + ") is beyond the limit " +
                               std::to_string(limit_) + "; call setLimit() first or use a position <= limit()");
  }
  position_ = n;
  return *this;
}

PlatformBuffer& PlatformBuffer::setLimit(std::size_t n) {
  if (n > capacity_) [[unlikely]] {
    throw InvalidArgumentError("setLimit(" + std::to_string(n) + ") is beyond the capacity " +
                               std::to_string(capacity_) + "; use a limit <= capacity()");
  }
  limit_ = n;
  if (position_ > n) position_ = n;
  return *this;
}

PlatformBuffer PlatformBuffer::readBytes(std::size_t n) {
  requireLive("readBytes");
  if (n > remaining()) [[unlikely]] detail::throwUnderflow("readBytes", n, position_, limit_);
  PlatformBuffer view = viewAt(data_ + position_, n);
  position_ += n;
  return view;
}

std::vector<std::byte> PlatformBuffer::readByteArray(std::size_t n) {
  requireLive("readByteArray");
  if (n > remaining()) [[unlikely]] detail::throwUnderflow("readByteArray", n, position_, limit_);
  std::vector<std::byte> out(data_ + position_, data_ + position_ + n);
  position_ += n;
  return out;
}

PlatformBuffer PlatformBuffer::slice() const noexcept { return viewAt(data_ + position_, remaining()); }

std::vector<std::byte> PlatformBuffer::toByteArray() const {
  requireLive("toByteArray");
  return std::vector<std::byte>(data_ + position_, data_ + limit_);
}

std::size_t PlatformBuffer::writeString(std::string_view utf8, Charset charset, TextPolicy policy) {
  requireLive("writeString");
  std::byte* const out = data_ + position_;
  const std::size_t room = remaining();
  // The encoders read the text while they write the window (the UTF-8 path
  // copies with memcpy), so text that lies in the window itself, e.g. bytes
  // of this buffer written earlier and read back as a string_view, is copied
  // out first.
  if (detail::bytesOverlap(out, room, utf8.data(), utf8.size())) [[unlikely]] {
    return writeString(std::string(utf8), charset, policy);
  }
  // UTF-8, the common case, skips the charset switch.
  const std::size_t n =
      charset == Charset::Utf8
          ? text::detail::writeUtf8(text::detail::asBytes(utf8), text::detail::asBytes(utf8) + utf8.size(), policy,
                                    reinterpret_cast<text::detail::u8*>(out), room)
          : text::encodeIfFits(utf8, charset, policy, out, room);
  if (n > remaining()) [[unlikely]] detail::throwOverflow("writeString", n, position_, limit_);
  position_ += n;
  return n;
}

std::string PlatformBuffer::readString(std::size_t byteCount, Charset charset, TextPolicy policy) {
  requireLive("readString");
  if (byteCount > remaining()) [[unlikely]] detail::throwUnderflow("readString", byteCount, position_, limit_);
  const auto* b = reinterpret_cast<const text::detail::u8*>(data_ + position_);
  // UTF-8, the common case, skips the charset switch.
  std::string s = charset == Charset::Utf8 ? text::detail::decodeUtf8(b, b + byteCount, policy)
                                           : text::decode({data_ + position_, byteCount}, charset, policy);
  position_ += byteCount;
  return s;
}

}  // namespace zonebuf
