// RFC 6455 4.2.1: a GET with Upgrade: websocket, Connection: Upgrade,
// Sec-WebSocket-Key and Sec-WebSocket-Version: 13. Anything else is refused
// with a status and the reason; no extension or subprotocol is accepted.
#include "handshake.hpp"

#include <algorithm>
#include <cctype>

#include "base64.hpp"
#include "sha1.hpp"

namespace zonebuf::ws {

namespace {

constexpr std::string_view kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Whether a comma-separated header value holds `token`.
bool hasToken(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    if (equalsIgnoreCase(trim(value.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

HandshakeAnswer refuse(std::string_view status, std::string_view reason, std::string_view extra = "") {
  HandshakeAnswer a;
  a.response = "HTTP/1.1 " + std::string(status) + "\r\nConnection: close\r\nContent-Type: text/plain\r\n" +
               std::string(extra) + "Content-Length: " + std::to_string(reason.size()) + "\r\n\r\n" +
               std::string(reason);
  return a;
}

}  // namespace

std::string acceptKey(std::string_view clientKey) {
  Sha1 sha;
  sha.update(clientKey);
  sha.update(kGuid);
  const auto digest = sha.digest();
  return base64Encode(digest);
}

HandshakeAnswer answerHandshake(std::string_view request) {
  const std::size_t firstEnd = request.find("\r\n");
  const std::string_view requestLine = request.substr(0, firstEnd);
  if (requestLine.substr(0, 4) != "GET " || requestLine.size() < 14 ||
      requestLine.substr(requestLine.size() - 9) != " HTTP/1.1")
    return refuse("400 Bad Request", "expected 'GET <path> HTTP/1.1'");
  std::string_view upgrade, connection, key, version;
  std::string_view rest = firstEnd == std::string_view::npos ? std::string_view{} : request.substr(firstEnd + 2);
  while (!rest.empty()) {
    const std::size_t end = rest.find("\r\n");
    const std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 2);
    if (line.empty()) break;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return refuse("400 Bad Request", "malformed header line");
    const std::string_view name = trim(line.substr(0, colon));
    const std::string_view value = trim(line.substr(colon + 1));
    if (equalsIgnoreCase(name, "Upgrade")) upgrade = value;
    else if (equalsIgnoreCase(name, "Connection")) connection = value;
    else if (equalsIgnoreCase(name, "Sec-WebSocket-Key")) key = value;
    else if (equalsIgnoreCase(name, "Sec-WebSocket-Version")) version = value;
  }
  if (!hasToken(upgrade, "websocket") || !hasToken(connection, "Upgrade"))
    return refuse("400 Bad Request", "not a WebSocket upgrade (Upgrade: websocket, Connection: Upgrade)");
  if (key.size() != 24) return refuse("400 Bad Request", "Sec-WebSocket-Key must be 16 bytes in base64");
  if (version != "13") return refuse("426 Upgrade Required", "only version 13", "Sec-WebSocket-Version: 13\r\n");
  HandshakeAnswer a;
  a.upgraded = true;
  a.response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Accept: " + acceptKey(key) + "\r\n\r\n";
  return a;
}

}  // namespace zonebuf::ws
