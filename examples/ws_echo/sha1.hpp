// SHA-1 (FIPS 180-4, section 6.1) for the WebSocket handshake's
// Sec-WebSocket-Accept. Not for security: RFC 6455 uses it only to prove the
// server read the key.
// Invariant: update() may be called any number of times with any split of
// the input; digest() gives the hash of everything fed so far.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace zonebuf::ws {

class Sha1 {
 public:
  Sha1() noexcept;
  void update(std::span<const std::byte> bytes) noexcept;
  void update(std::string_view text) noexcept;
  std::array<std::uint8_t, 20> digest() noexcept;  // finishes: call once

 private:
  void block(const std::uint8_t* p) noexcept;
  std::array<std::uint32_t, 5> h_;
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t bytes_ = 0;
};

}  // namespace zonebuf::ws
