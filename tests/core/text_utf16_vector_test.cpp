// Differential tests of the UTF-16 vector kernels (text_utf16_ssse3.cpp)
// against the portable codec: for generated text mixing every UTF-8 length,
// at every length and start offset around the 16-byte block (so sequences
// straddle blocks and the scalar tail), both byte orders, the encoded bytes
// and the decoded text must be those of the scalar path; for UTF-16 with
// lone surrogates and odd lengths, so must the Lenient repair and the Strict
// error (type, offset and message).
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "../../core/src/detail/text_utf16.hpp"
#include "zonebuf/core/text_codec.hpp"
#include "zonebuf/zonebuf.hpp"

namespace zonebuf::text::utf16_vector_test {

using detail::u8;

const u8* bytesOfText(std::string_view s) { return reinterpret_cast<const u8*>(s.data()); }

// Code points of each UTF-8 length, the edges of each range included.
constexpr char32_t kPoints[] = {U'a', U' ', 0x7F, 0x80, 0x416, 0x7FF, 0x800, 0x65E5, 0xD7FF,
                                0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF};

std::string utf8Of(char32_t cp) {
  std::string s(4, '\0');
  char* end = detail::putUtf8(s.data(), cp);
  s.resize(static_cast<std::size_t>(end - s.data()));
  return s;
}

// Runs of one script at a time (as text is), with random switches.
std::string mixedText(std::mt19937& rng, std::size_t points) {
  std::string s;
  std::uniform_int_distribution<std::size_t> pick(0, std::size(kPoints) - 1);
  std::uniform_int_distribution<int> runLength(1, 24);
  while (points > 0) {
    const char32_t cp = kPoints[pick(rng)];
    for (int k = runLength(rng); k > 0 && points > 0; --k, --points) s += utf8Of(cp);
  }
  return s;
}

std::string encodeWith(std::string_view text, bool bigEndian, bool vector) {
  const u8* b = bytesOfText(text);
  const u8* e = b + text.size();
  const std::size_t n = detail::encodeAsUtf16Using(b, e, bigEndian, TextPolicy::Strict, nullptr, 0, vector);
  std::string out(n, '\x55');
  const std::size_t written = detail::encodeAsUtf16Using(b, e, bigEndian, TextPolicy::Strict,
                                                         reinterpret_cast<u8*>(out.data()), n, vector);
  EXPECT_EQ(written, n);
  return out;
}

struct DecodeOutcome {
  std::string text;
  std::string error;  // Strict: the MalformedTextError message, empty when none
  std::size_t offset = 0;
  bool operator==(const DecodeOutcome&) const = default;
};

DecodeOutcome decodeWith(std::string_view bytes, bool bigEndian, TextPolicy policy, bool vector) {
  const u8* b = bytesOfText(bytes);
  DecodeOutcome out;
  try {
    out.text = detail::decodeUtf16Using(b, b + bytes.size(), bigEndian, policy, vector);
  } catch (const MalformedTextError& e) {
    out.error = e.what();
    out.offset = e.byteOffset();
  }
  return out;
}

TEST(TextUtf16Vector, KernelsExistOnX86) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  const bool expected = __builtin_cpu_supports("ssse3") && __builtin_cpu_supports("popcnt");
  EXPECT_EQ(detail::utf16Kernels() != nullptr, expected);
#else
  EXPECT_EQ(detail::utf16Kernels(), nullptr);
#endif
}

TEST(TextUtf16Vector, EncodeMatchesScalarAtEveryLengthAndOffset) {
  std::mt19937 rng(1234);
  for (int round = 0; round < 40; ++round) {
    const std::string text = mixedText(rng, 80);
    for (std::size_t start = 0; start < 20; ++start) {
      // Cut on code point boundaries only: the encoder's input is well-formed.
      std::size_t from = start;
      while (from < text.size() && (static_cast<u8>(text[from]) & 0xC0) == 0x80) ++from;
      for (std::size_t to = from; to <= text.size(); ++to) {
        if (to < text.size() && (static_cast<u8>(text[to]) & 0xC0) == 0x80) continue;
        const std::string_view piece = std::string_view(text).substr(from, to - from);
        for (bool bigEndian : {false, true}) {
          ASSERT_EQ(encodeWith(piece, bigEndian, true), encodeWith(piece, bigEndian, false))
              << "round " << round << " from " << from << " to " << to << (bigEndian ? " BE" : " LE");
        }
      }
    }
  }
}

TEST(TextUtf16Vector, EncodeThroughThePublicApiRoundTrips) {
  std::mt19937 rng(99);
  for (int round = 0; round < 50; ++round) {
    const std::string text = mixedText(rng, 200);
    for (Charset c : {Charset::Utf16BigEndian, Charset::Utf16LittleEndian}) {
      std::vector<std::byte> out(encodedSize(text, c, TextPolicy::Strict));
      encode(text, c, TextPolicy::Strict, out.data());
      EXPECT_EQ(decode(out, c, TextPolicy::Strict), text);
    }
  }
}

// UTF-16 units with lone surrogates (high, low, high at the end) spliced in.
std::string unitsWithFaults(std::mt19937& rng, std::size_t units, bool bigEndian) {
  std::string text = mixedText(rng, units);
  std::string bytes = encodeWith(text, bigEndian, false);
  std::uniform_int_distribution<int> chance(0, 9);
  std::string out;
  for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) {
    if (chance(rng) == 0) {
      const unsigned lone = chance(rng) < 5 ? 0xD800 + 0x123 : 0xDC00 + 0x45;
      out += static_cast<char>(bigEndian ? lone >> 8 : lone & 0xFF);
      out += static_cast<char>(bigEndian ? lone & 0xFF : lone >> 8);
    }
    out += bytes.substr(i, 2);
  }
  return out;
}

TEST(TextUtf16Vector, DecodeMatchesScalarOnWellFormedUnits) {
  std::mt19937 rng(77);
  for (int round = 0; round < 8; ++round) {
    const std::string text = mixedText(rng, 70);
    for (bool bigEndian : {false, true}) {
      const std::string bytes = encodeWith(text, bigEndian, false);
      for (std::size_t from = 0; from < 34 && from < bytes.size(); ++from) {
        for (std::size_t to = from; to <= bytes.size(); ++to) {
          const std::string_view piece = std::string_view(bytes).substr(from, to - from);
          for (TextPolicy policy : {TextPolicy::Lenient, TextPolicy::Strict}) {
            ASSERT_EQ(decodeWith(piece, bigEndian, policy, true), decodeWith(piece, bigEndian, policy, false))
                << "round " << round << " from " << from << " to " << to << (bigEndian ? " BE" : " LE");
          }
        }
      }
    }
  }
}

TEST(TextUtf16Vector, DecodeMatchesScalarWithLoneSurrogatesAndOddLengths) {
  std::mt19937 rng(5);
  for (int round = 0; round < 60; ++round) {
    for (bool bigEndian : {false, true}) {
      const std::string bytes = unitsWithFaults(rng, 60, bigEndian);
      for (std::size_t to = 0; to <= bytes.size(); ++to) {
        const std::string_view piece = std::string_view(bytes).substr(0, to);
        for (TextPolicy policy : {TextPolicy::Lenient, TextPolicy::Strict}) {
          const DecodeOutcome vector = decodeWith(piece, bigEndian, policy, true);
          ASSERT_EQ(vector, decodeWith(piece, bigEndian, policy, false))
              << "round " << round << " to " << to << (bigEndian ? " BE" : " LE");
        }
      }
    }
  }
}

TEST(TextUtf16Vector, StrictNamesTheFirstLoneSurrogateAfterVectorBlocks) {
  // 20 CJK units (three vector blocks and a bit), then a lone high surrogate.
  std::string text;
  for (int i = 0; i < 20; ++i) text += utf8Of(0x65E5);
  std::string bytes = encodeWith(text, false, false);
  bytes += std::string("\x00\xD8", 2) + "a";
  bytes += '\0';
  const DecodeOutcome strict = decodeWith(bytes, false, TextPolicy::Strict, true);
  EXPECT_EQ(strict.offset, 40u);
  EXPECT_NE(strict.error.find("UTF-16LE"), std::string::npos) << strict.error;
  const DecodeOutcome lenient = decodeWith(bytes, false, TextPolicy::Lenient, true);
  EXPECT_EQ(lenient.text, text + "\xEF\xBF\xBD" + "a");
}

}  // namespace zonebuf::text::utf16_vector_test
