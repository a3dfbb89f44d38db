// PlatformBuffer search, compare, hash, fill and xorMask: every length and
// alignment around the 16/64-byte steps against a scalar reference.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "support/buffer_snapshot.hpp"
#include "zonebuf/zonebuf.hpp"

using namespace zonebuf;

namespace {

std::vector<std::byte> randomBytes(std::size_t n, std::uint32_t seed, int alphabet = 256) {
  std::mt19937 rng(seed);
  std::vector<std::byte> v(n);
  for (auto& b : v) b = static_cast<std::byte>(rng() % static_cast<std::uint32_t>(alphabet));
  return v;
}

std::size_t naiveFind(const std::vector<std::byte>& hay, std::size_t from, std::size_t to,
                      const std::vector<std::byte>& pat) {
  if (pat.empty()) return from;
  for (std::size_t i = from; i + pat.size() <= to; ++i)
    if (std::equal(pat.begin(), pat.end(), hay.begin() + static_cast<std::ptrdiff_t>(i))) return i;
  return PlatformBuffer::npos;
}

TEST(BufferSearch, IndexOfByteEveryLengthAndStart) {
  auto bytes = randomBytes(200, 1);
  PlatformBuffer b = PlatformBuffer::wrap(bytes);
  for (std::size_t from = 0; from < 20; ++from) {
    for (std::size_t to = from; to <= bytes.size(); to += 1) {
      b.setLimit(to).position(from);
      for (std::uint8_t v : {std::uint8_t{0}, std::uint8_t{7}, std::uint8_t{200}, std::uint8_t{255}}) {
        std::size_t want = PlatformBuffer::npos;
        for (std::size_t i = from; i < to; ++i)
          if (std::to_integer<std::uint8_t>(bytes[i]) == v) { want = i; break; }
        ASSERT_EQ(b.indexOf(v), want) << from << ".." << to << " v=" << int(v);
      }
      b.resetForWrite();
    }
  }
}

TEST(BufferSearch, IndexOfByteFindsOnlyInsideTheWindow) {
  std::vector<std::byte> bytes(300, std::byte{0});
  PlatformBuffer b = PlatformBuffer::wrap(bytes);
  for (std::size_t at = 0; at < bytes.size(); ++at) {
    bytes[at] = std::byte{0x5A};
    b.setLimit(bytes.size()).position(0);
    EXPECT_EQ(b.indexOf(std::byte{0x5A}), at);
    b.setLimit(at);  // the match sits exactly at the limit: outside
    EXPECT_EQ(b.indexOf(std::byte{0x5A}), PlatformBuffer::npos);
    bytes[at] = std::byte{0};
  }
}

TEST(BufferSearch, IndexOfPatternMatchesNaive) {
  auto bytes = randomBytes(400, 2, 3);  // a small alphabet makes many partial matches
  PlatformBuffer b = PlatformBuffer::wrap(bytes);
  std::mt19937 rng(3);
  for (int round = 0; round < 3000; ++round) {
    const std::size_t from = rng() % 40;
    const std::size_t to = from + rng() % (bytes.size() - from + 1);
    const std::size_t m = rng() % 12;
    std::vector<std::byte> pat = randomBytes(m, static_cast<std::uint32_t>(round), 3);
    if (round % 2 == 0 && to > from + m) {  // sometimes a pattern that is there
      const std::size_t at = from + rng() % (to - from - m + 1);
      std::copy_n(bytes.begin() + static_cast<std::ptrdiff_t>(at), m, pat.begin());
    }
    b.resetForWrite().setLimit(to).position(from);
    ASSERT_EQ(b.indexOf(std::span<const std::byte>(pat)), naiveFind(bytes, from, to, pat))
        << from << ".." << to << " m=" << m;
  }
}

TEST(BufferSearch, IndexOfStringPatternAndEmptyPattern) {
  std::string s = "GET / HTTP/1.1\r\nHost: x\r\n\r\nbody";
  PlatformBuffer b = PlatformBuffer::wrap(std::as_writable_bytes(std::span<char>(s.data(), s.size())));
  EXPECT_EQ(b.indexOf(std::string_view("\r\n\r\n")), s.find("\r\n\r\n"));
  EXPECT_EQ(b.indexOf(std::string_view("nope")), PlatformBuffer::npos);
  b.position(5);
  EXPECT_EQ(b.indexOf(std::string_view("")), 5u);
  EXPECT_EQ(b.indexOf(std::string_view("GET")), PlatformBuffer::npos);
  EXPECT_EQ(b.indexOf('H'), 6u);  // absolute index
  PlatformBuffer empty;
  EXPECT_EQ(empty.indexOf(std::uint8_t{0}), PlatformBuffer::npos);
  EXPECT_EQ(empty.indexOf(std::string_view("a")), PlatformBuffer::npos);
}

TEST(BufferCompare, MismatchEqualsCompareAtEveryOffset) {
  for (std::size_t n : {0u, 1u, 15u, 16u, 17u, 31u, 64u, 100u}) {
    auto a = randomBytes(n + 3, 4);
    for (std::size_t diff = 0; diff <= n; ++diff) {
      auto c = a;
      if (diff < n) c[diff + 3] ^= std::byte{0x80};
      PlatformBuffer x = PlatformBuffer::wrap(a);
      PlatformBuffer y = PlatformBuffer::wrap(c);
      x.position(3);
      y.position(3);
      if (diff == n) {
        EXPECT_EQ(x.mismatch(y), PlatformBuffer::npos);
        EXPECT_TRUE(x.contentEquals(y));
        EXPECT_EQ(x.compareTo(y), 0);
      } else {
        EXPECT_EQ(x.mismatch(y), diff);
        EXPECT_FALSE(x.contentEquals(y));
        const int want = std::to_integer<int>(a[diff + 3]) < std::to_integer<int>(c[diff + 3]) ? -1 : 1;
        EXPECT_EQ(x.compareTo(y), want);  // unsigned bytes: 0x80 ^ b
        EXPECT_EQ(y.compareTo(x), -want);
      }
      EXPECT_EQ(x.position(), 3u);
    }
  }
}

TEST(BufferCompare, PrefixIsSmallerAndMismatchIsTheShorterLength) {
  std::vector<std::byte> a{std::byte{1}, std::byte{2}, std::byte{3}};
  std::vector<std::byte> c{std::byte{1}, std::byte{2}};
  PlatformBuffer x = PlatformBuffer::wrap(a), y = PlatformBuffer::wrap(c);
  EXPECT_EQ(x.mismatch(y), 2u);
  EXPECT_EQ(y.mismatch(x), 2u);
  EXPECT_FALSE(x.contentEquals(y));
  EXPECT_GT(x.compareTo(y), 0);
  EXPECT_LT(y.compareTo(x), 0);
  std::vector<std::byte> hi{std::byte{0xFF}};
  std::vector<std::byte> lo{std::byte{0x01}};
  EXPECT_GT(PlatformBuffer::wrap(hi).compareTo(PlatformBuffer::wrap(lo)), 0);  // unsigned, not signed
}

TEST(BufferHash, IsXxh64AndDependsOnlyOnTheRemainingBytes) {
  std::string e, a = "a", abc = "abc";
  auto h = [](std::string& s) {
    return PlatformBuffer::wrap(std::as_writable_bytes(std::span<char>(s.data(), s.size()))).hash();
  };
  EXPECT_EQ(h(e), 0xEF46DB3751D8E999ull);  // XXH64 reference vectors, seed 0
  EXPECT_EQ(h(a), 0xD24EC4F1A98C6E5Bull);
  EXPECT_EQ(h(abc), 0x44BC2CF5AD770999ull);
  auto bytes = randomBytes(300, 5);
  for (std::size_t n : {0u, 3u, 4u, 7u, 8u, 31u, 32u, 33u, 63u, 64u, 100u, 250u}) {
    std::vector<std::byte> copy(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
    PlatformBuffer x = PlatformBuffer::wrap(bytes);
    x.setLimit(n);
    std::vector<std::byte> shifted(7);
    shifted.insert(shifted.end(), copy.begin(), copy.end());
    PlatformBuffer y = PlatformBuffer::wrap(shifted);
    y.position(7);
    EXPECT_EQ(x.hash(), y.hash()) << n;
  }
}

TEST(BufferHash, GoldenValuesStayTheSameAcrossBuilds) {
  // The same values in every build (native, WebAssembly): hashes may be persisted.
  std::vector<std::byte> v(1000);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::byte>(i * 31 + 7);
  PlatformBuffer b = PlatformBuffer::wrap(v);
  EXPECT_EQ(b.hash(), 0x99594f4828043d35ull);
  b.setLimit(37);
  EXPECT_EQ(b.hash(), 0x5d71d9fc4b676d9full);
}

TEST(BufferFill, FillsOnlyTheRemainingBytes) {
  std::vector<std::byte> v(40, std::byte{1});
  PlatformBuffer b = PlatformBuffer::wrap(v);
  b.setLimit(30).position(5);
  b.fill(0xAB);
  for (std::size_t i = 0; i < v.size(); ++i)
    EXPECT_EQ(v[i], i >= 5 && i < 30 ? std::byte{0xAB} : std::byte{1}) << i;
  EXPECT_EQ(b.position(), 5u);
}

TEST(BufferXorMask, MatchesTheScalarRuleAtEveryLengthAndOffset) {
  const std::uint32_t key = 0x37FA213D;  // RFC 6455 5.7 example key
  const std::uint8_t k[4] = {0x37, 0xFA, 0x21, 0x3D};
  for (std::size_t n = 0; n < 150; ++n) {
    for (std::size_t offset = 0; offset < 6; ++offset) {
      auto v = randomBytes(n + 2, static_cast<std::uint32_t>(n));
      auto want = v;
      for (std::size_t j = 0; j < n; ++j) want[j + 1] ^= std::byte{k[(offset + j) % 4]};
      PlatformBuffer b = PlatformBuffer::wrap(v);
      b.position(1).setLimit(n + 1);
      b.xorMask(key, offset);
      ASSERT_EQ(v, want) << n << " " << offset;
      EXPECT_EQ(b.position(), 1u);
      b.xorMask(key, offset);  // masking twice restores the bytes
    }
  }
  std::string hello = "Hello";
  std::vector<std::uint8_t> wire{0x7f, 0x9f, 0x4d, 0x51, 0x58};  // RFC 6455 5.7 masked "Hello"
  PlatformBuffer b = PlatformBuffer::wrap(std::as_writable_bytes(std::span<char>(hello.data(), hello.size())));
  b.xorMask(key);
  EXPECT_EQ(0, std::memcmp(hello.data(), wire.data(), 5));
}

TEST(BufferXorMask, PiecesWithOffsetsEqualOneCall) {
  auto whole = randomBytes(1000, 9);
  auto pieces = whole;
  PlatformBuffer w = PlatformBuffer::wrap(whole);
  w.xorMask(0x01020304);
  PlatformBuffer p = PlatformBuffer::wrap(pieces);
  std::size_t at = 0;
  for (std::size_t step : {1u, 3u, 17u, 64u, 5u, 200u, 710u}) {
    p.setLimit(at + step).position(at);
    p.xorMask(0x01020304, at);
    at += step;
  }
  EXPECT_EQ(whole, pieces);
}

}  // namespace
