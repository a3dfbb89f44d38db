// The echo server's own protocol pieces: SHA-1 (FIPS 180-2 appendix
// vectors), base64 (RFC 4648 section 10 vectors) and the RFC 6455 handshake.
#include <gtest/gtest.h>

#include <string>

#include "base64.hpp"
#include "handshake.hpp"
#include "sha1.hpp"

using namespace zonebuf::ws;

namespace {

std::string hex(const std::array<std::uint8_t, 20>& d) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (auto b : d) {
    s += digits[b >> 4];
    s += digits[b & 15];
  }
  return s;
}

std::string sha1Of(std::string_view text) {
  Sha1 s;
  s.update(text);
  return hex(s.digest());
}

TEST(WsSha1, StandardVectors) {
  EXPECT_EQ(sha1Of("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(sha1Of(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(sha1Of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  Sha1 million;
  const std::string as(1000, 'a');
  for (int i = 0; i < 1000; ++i) million.update(as);
  EXPECT_EQ(hex(million.digest()), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

TEST(WsSha1, AnySplitGivesTheSameDigest) {
  const std::string text(200, 'x');
  const std::string whole = sha1Of(text);
  for (std::size_t cut = 0; cut <= text.size(); cut += 7) {
    Sha1 s;
    s.update(std::string_view(text).substr(0, cut));
    s.update(std::string_view(text).substr(cut));
    EXPECT_EQ(hex(s.digest()), whole) << cut;
  }
}

TEST(WsBase64, Rfc4648Vectors) {
  auto enc = [](std::string_view s) {
    return base64Encode(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
  };
  EXPECT_EQ(enc(""), "");
  EXPECT_EQ(enc("f"), "Zg==");
  EXPECT_EQ(enc("fo"), "Zm8=");
  EXPECT_EQ(enc("foo"), "Zm9v");
  EXPECT_EQ(enc("foob"), "Zm9vYg==");
  EXPECT_EQ(enc("fooba"), "Zm9vYmE=");
  EXPECT_EQ(enc("foobar"), "Zm9vYmFy");
  const std::uint8_t high[] = {0xFB, 0xFF};
  EXPECT_EQ(base64Encode(high), "+/8=");
}

TEST(WsHandshake, AcceptKeyOfRfc6455Example) {
  EXPECT_EQ(acceptKey("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(WsHandshake, UpgradesAValidRequestAndRefusesOthers) {
  const std::string ok =
      "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nupgrade: WebSocket\r\nConnection: keep-alive, Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
  const HandshakeAnswer a = answerHandshake(ok);
  EXPECT_TRUE(a.upgraded);
  EXPECT_NE(a.response.find("HTTP/1.1 101 Switching Protocols\r\n"), std::string::npos);
  EXPECT_NE(a.response.find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), std::string::npos);
  EXPECT_FALSE(answerHandshake("POST / HTTP/1.1\r\n\r\n").upgraded);
  const HandshakeAnswer noKey = answerHandshake("GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
  EXPECT_FALSE(noKey.upgraded);
  EXPECT_NE(noKey.response.find("400 Bad Request"), std::string::npos);
  std::string v8 = ok;
  v8.replace(v8.find("Version: 13"), 11, "Version: 8");
  const HandshakeAnswer old = answerHandshake(v8);
  EXPECT_FALSE(old.upgraded);
  EXPECT_NE(old.response.find("426 Upgrade Required"), std::string::npos);
}

}  // namespace
