// Utf8StreamDecoder: for any chunking, the same output (Lenient) and the
// same errors and offsets (Strict) as the whole-buffer text::decode.
#include <gtest/gtest.h>

#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "zonebuf/core/text_codec.hpp"
#include "zonebuf/zonebuf.hpp"

using namespace zonebuf;

namespace {

// Byte strings rich in UTF-8 edge cases: valid sequences of every length,
// cut ones, surrogates, over-longs, stray continuations, invalid leads.
std::vector<std::byte> tricky(std::mt19937& rng, std::size_t pieces) {
  static const std::vector<std::string> parts = {
      "a", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xE2\x82", "\xF0\x9F", "\xF0", "\xC3", "\x80", "\xBF",
      "\xED\xA0\x80", "\xC0\xAF", "\xE0\x80\xAF", "\xF4\x90\x80\x80", "\xFF", "\xF5", "\xEF\xBB\xBF", "\xE0\xA0\x80",
      "\xF4\x8F\xBF\xBF", "\xED\x9F\xBF"};
  std::vector<std::byte> out;
  for (std::size_t i = 0; i < pieces; ++i) {
    const std::string& p = parts[rng() % parts.size()];
    for (char c : p) out.push_back(static_cast<std::byte>(c));
  }
  return out;
}

std::optional<std::size_t> strictOffset(const std::vector<std::byte>& bytes) {
  try {
    (void)text::decode(bytes, Charset::Utf8, TextPolicy::Strict);
    return std::nullopt;
  } catch (const MalformedTextError& e) {
    return e.byteOffset();
  }
}

std::vector<std::size_t> chunkingOf(std::mt19937& rng, std::size_t n) {
  std::vector<std::size_t> cuts;
  for (std::size_t at = 0; at < n;) {
    const std::size_t step = 1 + rng() % 6;
    cuts.push_back(std::min(step, n - at));
    at += step;
  }
  return cuts;
}

TEST(Utf8StreamDecoder, LenientEqualsWholeBufferUnderRandomChunking) {
  std::mt19937 rng(1);
  for (int round = 0; round < 3000; ++round) {
    auto bytes = tricky(rng, 1 + rng() % 12);
    const std::string whole = text::decode(bytes, Charset::Utf8, TextPolicy::Lenient);
    Utf8StreamDecoder d;
    std::string out;
    std::size_t at = 0;
    for (std::size_t n : chunkingOf(rng, bytes.size())) {
      d.decode(std::span(bytes).subspan(at, n), out);
      EXPECT_LE(d.pendingBytes(), 3u);
      at += n;
    }
    d.finish(out);
    ASSERT_EQ(out, whole) << round;
    Utf8StreamDecoder v;
    bool ok = true;
    at = 0;
    for (std::size_t n : chunkingOf(rng, bytes.size())) {
      ok = v.validate(std::span(bytes).subspan(at, n)) && ok;
      at += n;
    }
    ASSERT_EQ(v.validateFinish() && ok, text::isValidUtf8({reinterpret_cast<const char*>(bytes.data()), bytes.size()}))
        << round;
  }
}

TEST(Utf8StreamDecoder, EverySplitOfEverySequence) {
  const std::string text = "\xF0\x9F\x98\x80\xE2\x82\xAC\xC3\xA9z\xE2\x82\xF0\x9F\x98";
  std::vector<std::byte> bytes(text.size());
  std::memcpy(bytes.data(), text.data(), text.size());
  const std::string whole = text::decode(bytes, Charset::Utf8, TextPolicy::Lenient);
  for (std::size_t a = 0; a <= bytes.size(); ++a) {
    for (std::size_t b = a; b <= bytes.size(); ++b) {
      Utf8StreamDecoder d;
      std::string out;
      d.decode(std::span(bytes).first(a), out);
      d.decode(std::span(bytes).subspan(a, b - a), out);
      d.decode(std::span(bytes).subspan(b), out);
      d.finish(out);
      ASSERT_EQ(out, whole) << a << "," << b;
    }
  }
}

TEST(Utf8StreamDecoder, StrictThrowsAtTheSameStreamOffsetAndChangesNothing) {
  std::mt19937 rng(2);
  int throwsSeen = 0;
  for (int round = 0; round < 3000; ++round) {
    auto bytes = tricky(rng, 1 + rng() % 8);
    const auto want = strictOffset(bytes);
    Utf8StreamDecoder d(TextPolicy::Strict);
    std::string out;
    std::optional<std::size_t> got;
    std::size_t at = 0;
    try {
      for (std::size_t n : chunkingOf(rng, bytes.size())) {
        const std::string before = out;
        const std::size_t pending = d.pendingBytes();
        const std::uint64_t seen = d.bytesSeen();
        try {
          d.decode(std::span(bytes).subspan(at, n), out);
        } catch (const MalformedTextError&) {
          EXPECT_EQ(out, before);  // nothing changed
          EXPECT_EQ(d.pendingBytes(), pending);
          EXPECT_EQ(d.bytesSeen(), seen);
          throw;
        }
        at += n;
      }
      d.finish(out);
      EXPECT_EQ(out, text::decode(bytes, Charset::Utf8, TextPolicy::Strict));
    } catch (const MalformedTextError& e) {
      got = e.byteOffset();
      ++throwsSeen;
      EXPECT_NE(std::string(e.what()).find("ill-formed UTF-8 in stream at byte offset"), std::string::npos);
    }
    ASSERT_EQ(got, want) << round;
  }
  EXPECT_GT(throwsSeen, 100);
}

TEST(Utf8StreamDecoder, FinishAndReset) {
  Utf8StreamDecoder d;
  std::string out;
  const std::byte cut[2] = {std::byte{0xE2}, std::byte{0x82}};
  d.decode(cut, out);
  EXPECT_EQ(out, "");
  EXPECT_EQ(d.pendingBytes(), 2u);
  d.finish(out);
  EXPECT_EQ(out, "\xEF\xBF\xBD");
  EXPECT_EQ(d.pendingBytes(), 0u);
  EXPECT_EQ(d.bytesSeen(), 0u);
  Utf8StreamDecoder strict(TextPolicy::Strict);
  strict.decode(cut, out);
  EXPECT_THROW(strict.finish(out), MalformedTextError);
  EXPECT_FALSE(strict.validate(std::span<const std::byte>()) && strict.validateFinish());
}

}  // namespace
