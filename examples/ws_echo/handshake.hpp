// The HTTP/1.1 upgrade handshake of RFC 6455 section 4.2, server side.
#pragma once

#include <string>
#include <string_view>

namespace zonebuf::ws {

// base64(SHA-1(key + the RFC's GUID)), section 4.2.2 item 5.4.
std::string acceptKey(std::string_view clientKey);

struct HandshakeAnswer {
  bool upgraded = false;
  std::string response;  // 101 Switching Protocols, or 400 / 426 with a reason
};

// `request` is the request line and headers up to and including the blank line.
HandshakeAnswer answerHandshake(std::string_view request);

}  // namespace zonebuf::ws
