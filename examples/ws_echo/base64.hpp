// Base64 encoding (RFC 4648, section 4: the standard alphabet with '='
// padding), for Sec-WebSocket-Accept.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace zonebuf::ws {

std::string base64Encode(std::span<const std::uint8_t> bytes);

}  // namespace zonebuf::ws
