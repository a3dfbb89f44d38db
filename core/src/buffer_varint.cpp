// PlatformBuffer varints: unsigned LEB128 with zigzag for signed values
// (protobuf), and the MQTT Variable Byte Integer. Reads scan before they
// consume, so a truncated or malformed varint leaves the position alone.
#include <bit>
#include <string>

#include "zonebuf/core/platform_buffer.hpp"

namespace zonebuf {

namespace {
constexpr std::size_t kMaxVarUIntBytes = 10;

// Both varints: 7 bits a byte, least significant first, the top bit set on
// every byte but the last.
void storeGroups(std::byte* out, std::uint64_t v, std::size_t n) noexcept {
  for (std::size_t i = 0; i + 1 < n; ++i, v >>= 7) out[i] = static_cast<std::byte>((v & 0x7F) | 0x80);
  out[n - 1] = static_cast<std::byte>(v);
}

[[noreturn]] void throwMalformed(const char* op, std::size_t at, const char* what) {
  throw InvalidArgumentError(std::string(op) + " at index " + std::to_string(at) + ": " + what);
}
}  // namespace

std::size_t PlatformBuffer::varUIntSize(std::uint64_t v) noexcept {
  return (static_cast<std::size_t>(std::bit_width(v | 1)) + 6) / 7;
}

std::uint64_t PlatformBuffer::readVarUInt() {
  requireLive("readVarUInt");
  const std::size_t p = position();
  std::uint64_t v = 0;
  for (std::size_t i = 0;; ++i) {
    if (p + i >= limit()) [[unlikely]] detail::throwUnderflow("readVarUInt", i + 1, p, limit());
    const std::uint64_t b = std::to_integer<std::uint64_t>(data()[p + i]);
    if (i == kMaxVarUIntBytes - 1 && b > 1) [[unlikely]]
      throwMalformed("readVarUInt", p, "the varint is longer than 10 bytes or exceeds 64 bits");
    v |= (b & 0x7F) << (7 * i);
    if ((b & 0x80) == 0) {
      position(p + i + 1);
      return v;
    }
  }
}

std::int64_t PlatformBuffer::readVarInt() {
  requireLive("readVarInt");
  const std::uint64_t z = readVarUInt();
  return static_cast<std::int64_t>((z >> 1) ^ (0 - (z & 1)));
}

PlatformBuffer& PlatformBuffer::writeVarUInt(std::uint64_t v) {
  requireLive("writeVarUInt");
  const std::size_t n = varUIntSize(v);
  if (n > remaining()) [[unlikely]] detail::throwOverflow("writeVarUInt", n, position(), limit());
  storeGroups(data() + position(), v, n);
  return position(position() + n);
}

PlatformBuffer& PlatformBuffer::writeVarInt(std::int64_t v) {
  requireLive("writeVarInt");
  const auto u = static_cast<std::uint64_t>(v);
  return writeVarUInt((u << 1) ^ (0 - (u >> 63)));
}

std::size_t PlatformBuffer::variableByteIntegerSize(std::uint32_t v) {
  if (v > kMaxVariableByteInteger) [[unlikely]] {
    throw InvalidArgumentError("variableByteIntegerSize(" + std::to_string(v) +
                               ") exceeds the Variable Byte Integer maximum of 268435455");
  }
  return v < 128 ? 1 : v < 16384 ? 2 : v < 2097152 ? 3 : 4;
}

std::uint32_t PlatformBuffer::readVariableByteInteger(TextPolicy policy) {
  requireLive("readVariableByteInteger");
  const std::size_t p = position();
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    if (p + i >= limit()) [[unlikely]] detail::throwUnderflow("readVariableByteInteger", i + 1, p, limit());
    const std::uint32_t b = std::to_integer<std::uint32_t>(data()[p + i]);
    v |= (b & 0x7F) << (7 * i);
    if ((b & 0x80) == 0) {
      if (policy == TextPolicy::Strict && i > 0 && b == 0) [[unlikely]]
        throwMalformed("readVariableByteInteger", p,
                       "non-minimal encoding (a trailing zero byte); Strict requires the fewest bytes");
      position(p + i + 1);
      return v;
    }
  }
  throwMalformed("readVariableByteInteger", p, "a fifth byte: a Variable Byte Integer has at most 4 bytes");
}

PlatformBuffer& PlatformBuffer::writeVariableByteInteger(std::uint32_t v) {
  requireLive("writeVariableByteInteger");
  if (v > kMaxVariableByteInteger) [[unlikely]] {
    throw InvalidArgumentError("writeVariableByteInteger(" + std::to_string(v) +
                               ") exceeds the Variable Byte Integer maximum of 268435455");
  }
  const std::size_t n = variableByteIntegerSize(v);
  if (n > remaining()) [[unlikely]] detail::throwOverflow("writeVariableByteInteger", n, position(), limit());
  storeGroups(data() + position(), v, n);
  return position(position() + n);
}

}  // namespace zonebuf
