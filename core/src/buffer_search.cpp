// PlatformBuffer search, compare, hash, fill and masking: thin cursor
// wrappers over the vectorised kernels (buffer_kernels.cpp).
#include <algorithm>
#include <cstring>

#include "zonebuf/core/detail/byte_search.hpp"
#include "zonebuf/core/platform_buffer.hpp"

namespace zonebuf {

static_assert(PlatformBuffer::npos == detail::kNotFound);

namespace {
std::size_t absolute(const PlatformBuffer& b, std::size_t found) noexcept {
  return found == detail::kNotFound ? PlatformBuffer::npos : b.position() + found;
}
}  // namespace

std::size_t PlatformBuffer::indexOf(std::uint8_t value) const {
  requireLive("indexOf");
  return absolute(*this, detail::findByte(data() + position(), remaining(), value));
}

std::size_t PlatformBuffer::indexOf(std::span<const std::byte> pattern) const {
  requireLive("indexOf");
  return absolute(*this, detail::findPattern(data() + position(), remaining(), pattern.data(), pattern.size()));
}

std::size_t PlatformBuffer::indexOf(std::string_view pattern) const {
  return indexOf(std::as_bytes(std::span<const char>(pattern.data(), pattern.size())));
}

std::size_t PlatformBuffer::mismatch(const PlatformBuffer& other) const {
  requireLive("mismatch");
  other.requireLive("mismatch");
  const std::size_t n = std::min(remaining(), other.remaining());
  const std::size_t at = detail::firstMismatch(data() + position(), other.data() + other.position(), n);
  if (at < n) return at;
  return remaining() == other.remaining() ? npos : n;
}

bool PlatformBuffer::contentEquals(const PlatformBuffer& other) const {
  return remaining() == other.remaining() && mismatch(other) == npos;
}

int PlatformBuffer::compareTo(const PlatformBuffer& other) const {
  const std::size_t at = mismatch(other);
  if (at == npos) return 0;
  if (at == remaining()) return -1;  // this is a proper prefix of other
  if (at == other.remaining()) return 1;
  const auto a = std::to_integer<unsigned>(data()[position() + at]);
  const auto b = std::to_integer<unsigned>(other.data()[other.position() + at]);
  return a < b ? -1 : 1;
}

std::uint64_t PlatformBuffer::hash() const {
  requireLive("hash");
  return detail::hash64(data() + position(), remaining());
}

PlatformBuffer& PlatformBuffer::fill(std::uint8_t value) {
  requireLive("fill");
  if (remaining() != 0) std::memset(data() + position(), value, remaining());
  return *this;
}

PlatformBuffer& PlatformBuffer::xorMask(std::uint32_t key, std::size_t offset) {
  requireLive("xorMask");
  const std::uint8_t k[4] = {static_cast<std::uint8_t>(key >> 24), static_cast<std::uint8_t>(key >> 16),
                             static_cast<std::uint8_t>(key >> 8), static_cast<std::uint8_t>(key)};
  detail::xorMask(data() + position(), remaining(), k, offset & 3);
  return *this;
}

}  // namespace zonebuf
