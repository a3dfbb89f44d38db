// PlatformBuffer n-byte integers (1..8 bytes, either order): the
// readNumberWithByteSize family, and the 24-bit "medium" built on it.
#include <string>

#include "zonebuf/core/platform_buffer.hpp"

namespace zonebuf {

namespace {

void checkByteCount(const char* op, std::size_t byteCount) {
  if (byteCount - 1 >= 8) [[unlikely]] {
    throw InvalidArgumentError(std::string(op) + "(byteCount " + std::to_string(byteCount) +
                               ") needs a byte count of 1..8");
  }
}

[[noreturn]] void throwDoesNotFit(const char* op, const std::string& value, std::size_t byteCount) {
  throw InvalidArgumentError(std::string(op) + ": " + value + " does not fit in " + std::to_string(byteCount) +
                             " bytes; pass a larger byteCount or a smaller value");
}

std::uint64_t loadNumber(const std::byte* p, std::size_t n, ByteOrder order) noexcept {
  std::uint64_t v = 0;
  if (order == ByteOrder::BigEndian) {
    for (std::size_t i = 0; i < n; ++i) v = (v << 8) | std::to_integer<std::uint64_t>(p[i]);
  } else {
    for (std::size_t i = n; i-- > 0;) v = (v << 8) | std::to_integer<std::uint64_t>(p[i]);
  }
  return v;
}

void storeNumber(std::byte* p, std::uint64_t v, std::size_t n, ByteOrder order) noexcept {
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t at = order == ByteOrder::BigEndian ? n - 1 - i : i;
    p[at] = static_cast<std::byte>(v >> (8 * i));
  }
}

}  // namespace

namespace {
// The checks and the load both reads share; advances past the bytes.
std::uint64_t takeNumber(PlatformBuffer& b, const char* op, std::size_t byteCount, ByteOrder order) {
  checkByteCount(op, byteCount);
  if (byteCount > b.remaining()) [[unlikely]] detail::throwUnderflow(op, byteCount, b.position(), b.limit());
  const std::uint64_t v = loadNumber(b.data() + b.position(), byteCount, order);
  b.position(b.position() + byteCount);
  return v;
}
}  // namespace

std::uint64_t PlatformBuffer::readUnsignedNumber(std::size_t byteCount, ByteOrder order) {
  requireLive("readUnsignedNumber");
  return takeNumber(*this, "readUnsignedNumber", byteCount, order);
}

std::int64_t PlatformBuffer::readSignedNumber(std::size_t byteCount, ByteOrder order) {
  requireLive("readSignedNumber");
  const std::uint64_t v = takeNumber(*this, "readSignedNumber", byteCount, order);
  const unsigned shift = static_cast<unsigned>(64 - 8 * byteCount);
  return static_cast<std::int64_t>(v << shift) >> shift;  // sign-extends (C++20: arithmetic shift)
}

PlatformBuffer& PlatformBuffer::writeUnsignedNumber(std::uint64_t v, std::size_t byteCount, ByteOrder order) {
  requireLive("writeUnsignedNumber");
  checkByteCount("writeUnsignedNumber", byteCount);
  if (byteCount < 8 && (v >> (8 * byteCount)) != 0) [[unlikely]]
    throwDoesNotFit("writeUnsignedNumber", std::to_string(v), byteCount);
  if (byteCount > remaining()) [[unlikely]]
    detail::throwOverflow("writeUnsignedNumber", byteCount, position(), limit());
  storeNumber(data() + position(), v, byteCount, order);
  return position(position() + byteCount);
}

PlatformBuffer& PlatformBuffer::writeSignedNumber(std::int64_t v, std::size_t byteCount, ByteOrder order) {
  requireLive("writeSignedNumber");
  checkByteCount("writeSignedNumber", byteCount);
  if (byteCount < 8) {
    const std::int64_t bound = std::int64_t{1} << (8 * byteCount - 1);
    if (v < -bound || v >= bound) [[unlikely]] throwDoesNotFit("writeSignedNumber", std::to_string(v), byteCount);
  }
  if (byteCount > remaining()) [[unlikely]]
    detail::throwOverflow("writeSignedNumber", byteCount, position(), limit());
  storeNumber(data() + position(), static_cast<std::uint64_t>(v), byteCount, order);
  return position(position() + byteCount);
}

}  // namespace zonebuf
