// Tests for zonebuf::text (UTF-8 / UTF-16BE / UTF-16LE / US-ASCII / ISO-8859-1 codecs).
#include "zonebuf/core/text_codec.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace zonebuf::text {
namespace {

constexpr Charset kAllCharsets[] = {Charset::Utf8, Charset::Utf16BigEndian,
                                    Charset::Utf16LittleEndian, Charset::Ascii, Charset::Latin1};
constexpr TextPolicy kBothPolicies[] = {TextPolicy::Lenient, TextPolicy::Strict};

const std::string kFffd = "\xEF\xBF\xBD";

std::vector<std::byte> bytesOf(std::initializer_list<int> values) {
  std::vector<std::byte> out;
  for (int v : values) out.push_back(static_cast<std::byte>(v));
  return out;
}

std::vector<std::byte> bytesOf(std::string_view s) {
  std::vector<std::byte> out;
  for (char c : s) out.push_back(static_cast<std::byte>(static_cast<unsigned char>(c)));
  return out;
}

std::string stringOf(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out.push_back(static_cast<char>(v));
  return out;
}

std::string repeat(std::string_view s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

std::string hex(const std::vector<std::byte>& bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (std::byte b : bytes) {
    const auto v = std::to_integer<unsigned>(b);
    if (!out.empty()) out += ' ';
    out += kDigits[v >> 4];
    out += kDigits[v & 0xF];
  }
  return out;
}

// Encodes through encodedSize + encode, checking that encode writes exactly
// encodedSize bytes (guard bytes after the output stay untouched).
std::vector<std::byte> encodeChecked(std::string_view utf8, Charset charset,
                                     TextPolicy policy = TextPolicy::Strict) {
  const std::size_t size = encodedSize(utf8, charset, policy);
  constexpr std::size_t kGuard = 16;
  std::vector<std::byte> buffer(size + kGuard, std::byte{0xA5});
  encode(utf8, charset, policy, buffer.data());
  for (std::size_t i = size; i < buffer.size(); ++i) {
    EXPECT_EQ(buffer[i], std::byte{0xA5}) << "encode wrote past encodedSize at " << i;
  }
  buffer.resize(size);
  return buffer;
}

std::string decodeBytes(const std::vector<std::byte>& bytes, Charset charset,
                        TextPolicy policy = TextPolicy::Strict) {
  return decode(std::span<const std::byte>(bytes.data(), bytes.size()), charset, policy);
}

std::size_t countFffd(std::string_view s) {
  std::size_t count = 0;
  for (std::size_t pos = s.find(kFffd); pos != std::string_view::npos;
       pos = s.find(kFffd, pos + 3)) {
    ++count;
  }
  return count;
}

// Reference UTF-8 sanitizer written straight from Unicode Table 3-7, with no
// shared code or tricks: returns the lenient decoding and the offset of the
// first ill-formed subpart (npos if none).
struct Reference {
  std::string text;
  std::size_t firstError = std::string::npos;
  std::size_t scalarsAndErrors = 0;
};

Reference referenceSanitize(std::string_view in) {
  struct Row {
    int len;
    unsigned lo[4];
    unsigned hi[4];
  };
  static const Row kRows[] = {
      {1, {0x00}, {0x7F}},
      {2, {0xC2, 0x80}, {0xDF, 0xBF}},
      {3, {0xE0, 0xA0, 0x80}, {0xE0, 0xBF, 0xBF}},
      {3, {0xE1, 0x80, 0x80}, {0xEC, 0xBF, 0xBF}},
      {3, {0xED, 0x80, 0x80}, {0xED, 0x9F, 0xBF}},
      {3, {0xEE, 0x80, 0x80}, {0xEF, 0xBF, 0xBF}},
      {4, {0xF0, 0x90, 0x80, 0x80}, {0xF0, 0xBF, 0xBF, 0xBF}},
      {4, {0xF1, 0x80, 0x80, 0x80}, {0xF3, 0xBF, 0xBF, 0xBF}},
      {4, {0xF4, 0x80, 0x80, 0x80}, {0xF4, 0x8F, 0xBF, 0xBF}},
  };
  Reference ref;
  std::size_t i = 0;
  while (i < in.size()) {
    const auto byteAt = [&](std::size_t k) { return static_cast<unsigned char>(in[k]); };
    const Row* row = nullptr;
    for (const Row& r : kRows) {
      if (byteAt(i) >= r.lo[0] && byteAt(i) <= r.hi[0]) row = &r;
    }
    ++ref.scalarsAndErrors;
    if (row == nullptr) {
      if (ref.firstError == std::string::npos) ref.firstError = i;
      ref.text += kFffd;
      i += 1;
      continue;
    }
    int k = 1;
    while (k < row->len && i + k < in.size() && byteAt(i + k) >= row->lo[k] &&
           byteAt(i + k) <= row->hi[k]) {
      ++k;
    }
    if (k == row->len) {
      ref.text.append(in.substr(i, k));
    } else {
      if (ref.firstError == std::string::npos) ref.firstError = i;
      ref.text += kFffd;
    }
    i += k;
  }
  return ref;
}

// Reference UTF-16 decoder: the WHATWG Encoding "UTF-16 decoder" algorithm,
// transcribed literally (byte at a time, with the restore-to-queue step).
std::string referenceUtf16(const std::vector<std::byte>& in, bool bigEndian) {
  std::string out;
  const auto put = [&out](unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  };
  std::vector<int> queue;
  for (std::byte b : in) queue.push_back(std::to_integer<int>(b));
  int leadByte = -1;
  int leadSurrogate = -1;
  std::size_t i = 0;
  for (;;) {
    if (i == queue.size()) {
      if (leadByte != -1 || leadSurrogate != -1) put(0xFFFD);
      return out;
    }
    const int byte = queue[i++];
    if (leadByte == -1) {
      leadByte = byte;
      continue;
    }
    const unsigned unit = bigEndian ? (unsigned(leadByte) << 8) + unsigned(byte)
                                    : (unsigned(byte) << 8) + unsigned(leadByte);
    leadByte = -1;
    if (leadSurrogate != -1) {
      const unsigned lead = unsigned(leadSurrogate);
      leadSurrogate = -1;
      if (unit >= 0xDC00 && unit <= 0xDFFF) {
        put(0x10000 + ((lead - 0xD800) << 10) + (unit - 0xDC00));
        continue;
      }
      // Restore the unit's two bytes to the front of the queue.
      i -= 2;
      put(0xFFFD);
      continue;
    }
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      leadSurrogate = int(unit);
      continue;
    }
    if (unit >= 0xDC00 && unit <= 0xDFFF) {
      put(0xFFFD);
      continue;
    }
    put(unit);
  }
}

// Expects `fn` to throw MalformedTextError at `offset` whose message contains
// every string in `parts`.
template <class Fn>
void expectMalformed(Fn&& fn, std::size_t offset, std::initializer_list<std::string_view> parts) {
  try {
    fn();
    ADD_FAILURE() << "expected MalformedTextError";
  } catch (const MalformedTextError& e) {
    EXPECT_EQ(e.byteOffset(), offset) << e.what();
    const std::string what = e.what();
    for (std::string_view part : parts) {
      EXPECT_NE(what.find(part), std::string::npos)
          << "message lacks \"" << part << "\": " << what;
    }
  }
}

// ---- names ---------------------------------------------------------------------

TEST(TextCodec, CharsetNames) {
  EXPECT_EQ(charsetName(Charset::Utf8), "UTF-8");
  EXPECT_EQ(charsetName(Charset::Utf16BigEndian), "UTF-16BE");
  EXPECT_EQ(charsetName(Charset::Utf16LittleEndian), "UTF-16LE");
  EXPECT_EQ(charsetName(Charset::Ascii), "US-ASCII");
  EXPECT_EQ(charsetName(Charset::Latin1), "ISO-8859-1");
}

// ---- round trips ---------------------------------------------------------------

struct Sample {
  const char* name;
  std::string text;
  bool latin1;  // representable in ISO-8859-1
  bool ascii;   // representable in US-ASCII
};

std::vector<Sample> samples() {
  return {
      {"empty", "", true, true},
      {"ascii", "Hello, world! 0123456789 ~\x7F", true, true},
      {"nul", std::string("a\0b", 3), true, true},
      {"long ascii", repeat("The quick brown fox. ", 40), true, true},
      {"latin1", "Gr\u00FC\u00DFe, caf\u00E9 \u00A9 \u00FF \u0080", true, false},
      {"cjk", "\u65E5\u672C\u8A9E\u306E\u30C6\u30AD\u30B9\u30C8 \uD55C\uAD6D\uC5B4", false, false},
      {"emoji", "\U0001F600\U0001F389 ok \U0001F44D\U0001F3FD", false, false},
      {"mixed", "a\u00E9\u20AC\U0001F600z" + repeat("x\u4E2D", 9), false, false},
      {"edges", "\u007F\u0080\u07FF\u0800\uD7FF\uE000\uFFFD\uFFFF\U00010000\U0010FFFF", false,
       false},
  };
}

TEST(TextCodec, RoundTripsInEveryCharset) {
  for (const Sample& s : samples()) {
    for (Charset cs : kAllCharsets) {
      if (cs == Charset::Ascii && !s.ascii) continue;
      if (cs == Charset::Latin1 && !s.latin1) continue;
      SCOPED_TRACE(std::string(s.name) + " / " + std::string(charsetName(cs)));
      for (TextPolicy policy : kBothPolicies) {
        const std::vector<std::byte> encoded = encodeChecked(s.text, cs, policy);
        EXPECT_EQ(decodeBytes(encoded, cs, policy), s.text);
      }
    }
  }
}

TEST(TextCodec, EncodedSizesPerCharset) {
  const std::string text = "a\u00E9\u20AC\U0001F600";  // 1 + 2 + 3 + 4 UTF-8 bytes
  EXPECT_EQ(encodedSize(text, Charset::Utf8, TextPolicy::Strict), 10u);
  EXPECT_EQ(encodedSize(text, Charset::Utf16BigEndian, TextPolicy::Strict), 2u + 2 + 2 + 4);
  EXPECT_EQ(encodedSize(text, Charset::Utf16LittleEndian, TextPolicy::Strict), 10u);
  EXPECT_EQ(encodedSize(text, Charset::Latin1, TextPolicy::Lenient), 4u);
  EXPECT_EQ(encodedSize(text, Charset::Ascii, TextPolicy::Lenient), 4u);
}

TEST(TextCodec, NonAsciiAtEveryPositionAroundWordBoundaries) {
  // Exercises the 8-bytes-at-a-time paths: the non-ASCII character lands at every
  // offset within and across words.
  for (std::size_t before = 0; before < 20; ++before) {
    for (std::size_t after = 0; after < 12; ++after) {
      const std::string text = std::string(before, 'a') + "\u00E9" + std::string(after, 'b');
      SCOPED_TRACE("before=" + std::to_string(before) + " after=" + std::to_string(after));
      for (Charset cs : {Charset::Utf8, Charset::Utf16BigEndian, Charset::Utf16LittleEndian,
                         Charset::Latin1}) {
        const std::vector<std::byte> encoded = encodeChecked(text, cs);
        EXPECT_EQ(decodeBytes(encoded, cs), text);
      }
      const std::vector<std::byte> latin1 = encodeChecked(text, Charset::Latin1);
      ASSERT_EQ(latin1.size(), before + 1 + after);
      EXPECT_EQ(latin1[before], std::byte{0xE9});
      EXPECT_TRUE(isValidUtf8(text));
      EXPECT_FALSE(isAscii(text));
      EXPECT_EQ(encodeChecked(text, Charset::Ascii, TextPolicy::Lenient),
                bytesOf(std::string(before, 'a') + "?" + std::string(after, 'b')));
      expectMalformed([&] { (void)encodedSize(text, Charset::Ascii, TextPolicy::Strict); },
                      before, {"U+00E9"});
      // ASCII decode of Latin1 bytes: the 0xE9 is found wherever it sits.
      expectMalformed([&] { (void)decodeBytes(latin1, Charset::Ascii); }, before, {"0xE9"});
      EXPECT_EQ(decodeBytes(latin1, Charset::Ascii, TextPolicy::Lenient),
                std::string(before, 'a') + kFffd + std::string(after, 'b'));
    }
  }
}

// ---- exact byte patterns --------------------------------------------------------

TEST(TextCodec, Utf16BytePatterns) {
  EXPECT_EQ(hex(encodeChecked("\u00E9", Charset::Utf16BigEndian)), "00 E9");
  EXPECT_EQ(hex(encodeChecked("\u00E9", Charset::Utf16LittleEndian)), "E9 00");
  EXPECT_EQ(hex(encodeChecked("\U0001F600", Charset::Utf16BigEndian)), "D8 3D DE 00");
  EXPECT_EQ(hex(encodeChecked("\U0001F600", Charset::Utf16LittleEndian)), "3D D8 00 DE");
  EXPECT_EQ(hex(encodeChecked("A\u20AC", Charset::Utf16BigEndian)), "00 41 20 AC");
  EXPECT_EQ(hex(encodeChecked("A\u20AC", Charset::Utf16LittleEndian)), "41 00 AC 20");
  EXPECT_EQ(hex(encodeChecked("\U0010FFFF", Charset::Utf16BigEndian)), "DB FF DF FF");
  EXPECT_EQ(hex(encodeChecked("\U00010000", Charset::Utf16LittleEndian)), "00 D8 00 DC");
  // No BOM is written, and a BOM in the data is kept on decode.
  EXPECT_EQ(hex(encodeChecked("\uFEFFx", Charset::Utf16BigEndian)), "FE FF 00 78");
  EXPECT_EQ(decodeBytes(bytesOf({0xFF, 0xFE, 0x78, 0x00}), Charset::Utf16LittleEndian),
            "\uFEFFx");
  EXPECT_EQ(decodeBytes(bytesOf({0xD8, 0x3D, 0xDE, 0x00}), Charset::Utf16BigEndian),
            "\U0001F600");
}

TEST(TextCodec, SingleByteCharsetPatterns) {
  EXPECT_EQ(hex(encodeChecked("\u00E9", Charset::Utf8)), "C3 A9");
  EXPECT_EQ(hex(encodeChecked("\u00E9\u00FF\u0080", Charset::Latin1)), "E9 FF 80");
  EXPECT_EQ(hex(encodeChecked("Az~", Charset::Ascii)), "41 7A 7E");
}

TEST(TextCodec, Latin1DecodesEveryByte) {
  std::vector<std::byte> all;
  std::string expected;
  for (int b = 0; b < 256; ++b) {
    all.push_back(static_cast<std::byte>(b));
    if (b < 0x80) {
      expected += static_cast<char>(b);
    } else {
      expected += static_cast<char>(0xC0 | (b >> 6));
      expected += static_cast<char>(0x80 | (b & 0x3F));
    }
  }
  EXPECT_EQ(decodeBytes(all, Charset::Latin1, TextPolicy::Strict), expected);
  EXPECT_EQ(decodeBytes(all, Charset::Latin1, TextPolicy::Lenient), expected);
  EXPECT_EQ(encodeChecked(expected, Charset::Latin1), all);
}

TEST(TextCodec, AsciiDecode) {
  const auto bytes = bytesOf({'o', 'k', 0x80, 0xFF, '!', 0xC3, 0xA9});
  EXPECT_EQ(decodeBytes(bytes, Charset::Ascii, TextPolicy::Lenient),
            "ok" + kFffd + kFffd + "!" + kFffd + kFffd);
  expectMalformed([&] { (void)decodeBytes(bytes, Charset::Ascii); }, 2,
                  {"US-ASCII", "byte 2", "0x80", "TextPolicy::Lenient", "Charset::Latin1"});
  EXPECT_EQ(decodeBytes(bytesOf({0x00, 0x7F}), Charset::Ascii), std::string("\0\x7F", 2));
}

// ---- malformed UTF-8 ------------------------------------------------------------

struct MalformedCase {
  const char* name;
  std::string input;
  std::string lenient;            // expected lenient decoding
  std::size_t offset;             // first ill-formed byte
  std::vector<std::string> says;  // fragments of the strict message
};

std::vector<MalformedCase> malformedCases() {
  const std::string R = kFffd;
  return {
      // Stray continuation bytes.
      {"stray 80", stringOf({0x80}), R, 0, {"0x80", "continuation byte without a lead"}},
      {"stray BF pair", stringOf({'a', 0x80, 0xBF, 'b'}), "a" + R + R + "b", 1, {"0x80"}},
      // Truncated sequences at the end of the input.
      {"truncated 2", stringOf({'a', 0xC3}), "a" + R, 1,
       {"0xC3 is truncated", "2-byte sequence", "ends after 1 byte"}},
      {"truncated 3", stringOf({0xE2, 0x82}), R, 0, {"0xE2 0x82 is truncated", "3-byte"}},
      {"truncated 4", stringOf({'x', 0xF0, 0x9F, 0x98}), "x" + R, 1,
       {"0xF0 0x9F 0x98 is truncated", "4-byte", "ends after 3 bytes"}},
      // Truncated by a non-continuation byte.
      {"cut 3", stringOf({0xE2, 0x82, 'A'}), R + "A", 0,
       {"0xE2 0x82 0x41 is truncated", "0x41 at byte 2 is not a continuation byte"}},
      {"cut 4", stringOf({0xF0, 0x9F, 0x98, 0xC3, 0xA9}), R + "\u00E9", 0,
       {"0xF0 0x9F 0x98 0xC3"}},
      {"cut 2 by lead", stringOf({0xC3, 0xC3, 0xA9}), R + "\u00E9", 0, {"0xC3 0xC3"}},
      // Overlong encodings.
      {"overlong C0", stringOf({0xC0, 0xAF}), R + R, 0, {"0xC0", "overlong"}},
      {"overlong C1", stringOf({'/', 0xC1, 0xBF}), "/" + R + R, 1, {"0xC1", "overlong"}},
      {"overlong E0 80", stringOf({0xE0, 0x80, 0xAF}), R + R + R, 0,
       {"0xE0 0x80 is an overlong encoding"}},
      {"overlong E0 9F", stringOf({0xE0, 0x9F, 0xBF}), R + R + R, 0, {"0xE0 0x9F", "overlong"}},
      {"overlong F0 80", stringOf({0xF0, 0x80, 0x80, 0xAF}), R + R + R + R, 0,
       {"0xF0 0x80 is an overlong encoding"}},
      {"overlong F0 8F", stringOf({0xF0, 0x8F, 0xBF, 0xBF}), R + R + R + R, 0, {"0xF0 0x8F"}},
      // Surrogates.
      {"surrogate ED A0", stringOf({'a', 'b', 'c', 0xED, 0xA0, 0x80}), "abc" + R + R + R, 3,
       {"malformed UTF-8 at byte 3: 0xED 0xA0 encodes a surrogate",
        "; pass TextPolicy::Lenient to replace it with U+FFFD"}},
      {"surrogate ED BF", stringOf({0xED, 0xBF, 0xBF}), R + R + R, 0, {"0xED 0xBF", "surrogate"}},
      {"CESU pair", stringOf({0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80}), R + R + R + R + R + R, 0,
       {"surrogate"}},
      // Above U+10FFFF.
      {"F4 90", stringOf({0xF4, 0x90, 0x80, 0x80}), R + R + R + R, 0,
       {"0xF4 0x90 encodes a code point above U+10FFFF"}},
      {"F5", stringOf({0xF5, 0x80, 0x80, 0x80}), R + R + R + R, 0,
       {"0xF5 would start a code point above U+10FFFF"}},
      {"F8 five bytes", stringOf({0xF8, 0x88, 0x80, 0x80, 0x80}), R + R + R + R + R, 0,
       {"0xF8 never appears in UTF-8"}},
      {"FE FF", stringOf({0xFE, 0xFF}), R + R, 0, {"0xFE"}},
      // Unicode Table 3-8.
      {"table 3-8",
       stringOf({0x61, 0xF1, 0x80, 0x80, 0xE1, 0x80, 0xC2, 0x62, 0x80, 0x63, 0x80, 0xBF, 0x64}),
       "a" + R + R + R + "b" + R + "c" + R + R + "d", 1,
       {"0xF1 0x80 0x80 0xE1 is truncated"}},
      // Error after a long ASCII run (fast path) and valid multibyte text.
      {"late error", repeat("abcdefgh", 5) + "\u00E9\u4E2D" + stringOf({0xFF}) + "z",
       repeat("abcdefgh", 5) + "\u00E9\u4E2D" + R + "z", 45, {"byte 45", "0xFF"}},
  };
}

TEST(TextCodec, MalformedUtf8Lenient) {
  for (const MalformedCase& c : malformedCases()) {
    SCOPED_TRACE(c.name);
    const std::vector<std::byte> bytes = bytesOf(c.input);
    EXPECT_FALSE(isValidUtf8(c.input));
    const std::string decoded = decodeBytes(bytes, Charset::Utf8, TextPolicy::Lenient);
    EXPECT_EQ(decoded, c.lenient);
    EXPECT_TRUE(isValidUtf8(decoded));
    // Encoding the ill-formed text substitutes the same way.
    EXPECT_EQ(encodeChecked(c.input, Charset::Utf8, TextPolicy::Lenient), bytesOf(c.lenient));
    EXPECT_EQ(encodeChecked(c.input, Charset::Utf16BigEndian, TextPolicy::Lenient),
              encodeChecked(c.lenient, Charset::Utf16BigEndian));
    EXPECT_EQ(encodeChecked(c.input, Charset::Utf16LittleEndian, TextPolicy::Lenient),
              encodeChecked(c.lenient, Charset::Utf16LittleEndian));
    // Ascii/Latin1: one '?' per maximal subpart (U+FFFD is unrepresentable there).
    const std::size_t replacements = countFffd(c.lenient);
    const std::vector<std::byte> ascii = encodeChecked(c.input, Charset::Ascii, TextPolicy::Lenient);
    std::size_t questionMarks = 0;
    for (std::byte b : ascii) questionMarks += b == std::byte{'?'};
    EXPECT_GE(questionMarks, replacements);
    EXPECT_EQ(encodeChecked(c.input, Charset::Latin1, TextPolicy::Lenient),
              encodeChecked(c.lenient, Charset::Latin1, TextPolicy::Lenient));
  }
}

TEST(TextCodec, MalformedUtf8Strict) {
  for (const MalformedCase& c : malformedCases()) {
    SCOPED_TRACE(c.name);
    const std::vector<std::byte> bytes = bytesOf(c.input);
    try {
      (void)decodeBytes(bytes, Charset::Utf8, TextPolicy::Strict);
      ADD_FAILURE() << "expected MalformedTextError";
    } catch (const MalformedTextError& e) {
      EXPECT_EQ(e.byteOffset(), c.offset);
      const std::string what = e.what();
      EXPECT_NE(what.find("malformed UTF-8 at byte " + std::to_string(c.offset) + ": "),
                std::string::npos)
          << what;
      EXPECT_NE(what.find("pass TextPolicy::Lenient to replace it with U+FFFD"),
                std::string::npos)
          << what;
      for (const std::string& part : c.says) {
        EXPECT_NE(what.find(part), std::string::npos) << "lacks \"" << part << "\": " << what;
      }
    }
    // Every encoder rejects it too, at the same offset, and says what it was encoding to.
    for (Charset cs : kAllCharsets) {
      SCOPED_TRACE(std::string(charsetName(cs)));
      const bool singleByte = cs == Charset::Ascii || cs == Charset::Latin1;
      if (singleByte && !isAscii(std::string_view(c.input).substr(0, c.offset))) {
        continue;  // an unrepresentable character comes first (tested below)
      }
      const std::string target = "of the text to encode as " + std::string(charsetName(cs));
      expectMalformed([&] { (void)encodedSize(c.input, cs, TextPolicy::Strict); }, c.offset,
                      {target});
      std::vector<std::byte> out(c.input.size() * 4 + 8);
      expectMalformed([&] { encode(c.input, cs, TextPolicy::Strict, out.data()); }, c.offset,
                      {target});
    }
  }
  // The replacement named for Ascii/Latin1 is '?'.
  expectMalformed(
      [] { (void)encodedSize(stringOf({0xC0}), Charset::Latin1, TextPolicy::Strict); }, 0,
      {"replace it with '?'"});
}

TEST(TextCodec, ValidUtf8Boundaries) {
  const std::vector<std::string> valid = {
      std::string("\0", 1),      stringOf({0x7F}),
      stringOf({0xC2, 0x80}),    stringOf({0xDF, 0xBF}),
      stringOf({0xE0, 0xA0, 0x80}), stringOf({0xED, 0x9F, 0xBF}),
      stringOf({0xEE, 0x80, 0x80}), stringOf({0xEF, 0xBF, 0xBF}),
      stringOf({0xF0, 0x90, 0x80, 0x80}), stringOf({0xF4, 0x8F, 0xBF, 0xBF}),
      stringOf({0xF3, 0xBF, 0xBF, 0xBF}),
  };
  for (const std::string& s : valid) {
    SCOPED_TRACE(hex(bytesOf(s)));
    EXPECT_TRUE(isValidUtf8(s));
    EXPECT_EQ(decodeBytes(bytesOf(s), Charset::Utf8, TextPolicy::Strict), s);
    EXPECT_EQ(decodeBytes(encodeChecked(s, Charset::Utf16BigEndian), Charset::Utf16BigEndian),
              s);
  }
}

TEST(TextCodec, IsValidUtf8AndIsAscii) {
  EXPECT_TRUE(isValidUtf8(""));
  EXPECT_TRUE(isAscii(""));
  EXPECT_TRUE(isAscii(repeat("abcdefg", 9)));
  EXPECT_TRUE(isValidUtf8(repeat("\u00E9\u4E2D\U0001F600abc", 7)));
  for (std::size_t pos = 0; pos < 40; ++pos) {
    std::string s(40, 'q');
    s[pos] = '\x80';
    EXPECT_FALSE(isValidUtf8(s)) << pos;
    EXPECT_FALSE(isAscii(s)) << pos;
    s[pos] = '\x7F';
    EXPECT_TRUE(isAscii(s)) << pos;
  }
}

// Differential test against the Table 3-7 reference on random ill-formed text.
TEST(TextCodec, RandomUtf8MatchesReference) {
  static constexpr int kInteresting[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0,
                                         0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC,
                                         0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5,
                                         0xF8, 0xFF};
  std::mt19937 rng(12345);
  std::uniform_int_distribution<std::size_t> pick(0, std::size(kInteresting) - 1);
  std::uniform_int_distribution<std::size_t> length(0, 24);
  for (int iter = 0; iter < 20000; ++iter) {
    std::string input;
    const std::size_t n = length(rng);
    for (std::size_t i = 0; i < n; ++i) input += static_cast<char>(kInteresting[pick(rng)]);
    const Reference ref = referenceSanitize(input);
    SCOPED_TRACE(hex(bytesOf(input)));
    ASSERT_EQ(isValidUtf8(input), ref.firstError == std::string::npos);
    ASSERT_EQ(decodeBytes(bytesOf(input), Charset::Utf8, TextPolicy::Lenient), ref.text);
    ASSERT_EQ(encodedSize(input, Charset::Utf8, TextPolicy::Lenient), ref.text.size());
    ASSERT_EQ(encodedSize(input, Charset::Latin1, TextPolicy::Lenient), ref.scalarsAndErrors);
    const std::vector<std::byte> utf16 =
        encodeChecked(input, Charset::Utf16LittleEndian, TextPolicy::Lenient);
    ASSERT_EQ(decodeBytes(utf16, Charset::Utf16LittleEndian), ref.text);
    if (ref.firstError != std::string::npos) {
      try {
        (void)decodeBytes(bytesOf(input), Charset::Utf8, TextPolicy::Strict);
        FAIL() << "strict decode accepted ill-formed input";
      } catch (const MalformedTextError& e) {
        ASSERT_EQ(e.byteOffset(), ref.firstError) << e.what();
      }
    }
  }
}

// ---- malformed UTF-16 ------------------------------------------------------------

TEST(TextCodec, MalformedUtf16) {
  struct Case {
    const char* name;
    std::vector<std::byte> be;  // big-endian bytes; little-endian is derived by swapping
    std::string lenient;
    std::size_t offset;
    std::string says;
  };
  const std::string R = kFffd;
  const std::vector<Case> cases = {
      {"high at end", bytesOf({0x00, 0x41, 0xD8, 0x3D}), "A" + R, 2,
       "is a high surrogate at the end of the input"},
      {"high then BMP", bytesOf({0xD8, 0x3D, 0x00, 0x41}), R + "A", 0,
       "is a high surrogate not followed by a low surrogate"},
      {"high high low", bytesOf({0xD8, 0x00, 0xD8, 0x3D, 0xDE, 0x00}), R + "\U0001F600", 0,
       "not followed by a low surrogate"},
      {"lone low", bytesOf({0x00, 0x41, 0x00, 0x42, 0xDE, 0x00, 0x00, 0x43}), "AB" + R + "C", 4,
       "is a low surrogate without a preceding high surrogate"},
      {"low high", bytesOf({0xDC, 0x00, 0xD8, 0x00}), R + R, 0, "low surrogate"},
  };
  for (const Case& c : cases) {
    for (bool bigEndian : {true, false}) {
      SCOPED_TRACE(std::string(c.name) + (bigEndian ? " BE" : " LE"));
      std::vector<std::byte> bytes = c.be;
      if (!bigEndian) {
        for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) std::swap(bytes[i], bytes[i + 1]);
      }
      const Charset cs = bigEndian ? Charset::Utf16BigEndian : Charset::Utf16LittleEndian;
      EXPECT_EQ(decodeBytes(bytes, cs, TextPolicy::Lenient), c.lenient);
      EXPECT_EQ(decodeBytes(bytes, cs, TextPolicy::Lenient), referenceUtf16(bytes, bigEndian));
      expectMalformed([&] { (void)decodeBytes(bytes, cs); }, c.offset,
                      {std::string("malformed ") + std::string(charsetName(cs)) + " at byte " +
                           std::to_string(c.offset),
                       c.says, "TextPolicy::Lenient"});
    }
  }
}

TEST(TextCodec, Utf16OddTrailingByte) {
  // BE "Az" then a lone byte.
  const auto odd = bytesOf({0x00, 0x41, 0x00, 0x7A, 0x42});
  EXPECT_EQ(decodeBytes(odd, Charset::Utf16BigEndian, TextPolicy::Lenient), "Az" + kFffd);
  expectMalformed([&] { (void)decodeBytes(odd, Charset::Utf16BigEndian); }, 4,
                  {"UTF-16BE at byte 4", "0x42 is a lone trailing byte"});
  const auto single = bytesOf({0x41});
  EXPECT_EQ(decodeBytes(single, Charset::Utf16LittleEndian, TextPolicy::Lenient), kFffd);
  expectMalformed([&] { (void)decodeBytes(single, Charset::Utf16LittleEndian); }, 0,
                  {"UTF-16LE at byte 0", "0x41"});
  // A high surrogate followed only by the odd byte is one error (WHATWG).
  const auto highOdd = bytesOf({0x3D, 0xD8, 0x41});
  EXPECT_EQ(decodeBytes(highOdd, Charset::Utf16LittleEndian, TextPolicy::Lenient), kFffd);
  EXPECT_EQ(referenceUtf16(highOdd, false), kFffd);
  expectMalformed([&] { (void)decodeBytes(highOdd, Charset::Utf16LittleEndian); }, 0,
                  {"0x3D 0xD8 is a high surrogate followed only by a lone trailing byte 0x41"});
}

TEST(TextCodec, RandomUtf16MatchesWhatwg) {
  static constexpr int kInteresting[] = {0x00, 0x41, 0x7F, 0x80, 0xD8, 0xDB, 0xDC, 0xDF, 0xE0,
                                         0xFF, 0x3D, 0x20};
  std::mt19937 rng(777);
  std::uniform_int_distribution<std::size_t> pick(0, std::size(kInteresting) - 1);
  std::uniform_int_distribution<std::size_t> length(0, 21);
  for (int iter = 0; iter < 20000; ++iter) {
    std::vector<std::byte> bytes;
    const std::size_t n = length(rng);
    for (std::size_t i = 0; i < n; ++i) bytes.push_back(static_cast<std::byte>(kInteresting[pick(rng)]));
    SCOPED_TRACE(hex(bytes));
    for (bool bigEndian : {true, false}) {
      const Charset cs = bigEndian ? Charset::Utf16BigEndian : Charset::Utf16LittleEndian;
      const std::string expected = referenceUtf16(bytes, bigEndian);
      const std::string got = decodeBytes(bytes, cs, TextPolicy::Lenient);
      ASSERT_EQ(got, expected);
      ASSERT_TRUE(isValidUtf8(got));
      // Strict accepts exactly the inputs that need no replacement (the samples
      // contain no real U+FFFD units).
      bool threw = false;
      try {
        ASSERT_EQ(decodeBytes(bytes, cs, TextPolicy::Strict), expected);
      } catch (const MalformedTextError&) {
        threw = true;
      }
      ASSERT_EQ(threw, countFffd(expected) != 0);
      if (!threw) {
        ASSERT_EQ(encodeChecked(got, cs), bytes);
      }
    }
  }
}

// ---- unrepresentable characters ----------------------------------------------------

TEST(TextCodec, UnrepresentableInAsciiAndLatin1) {
  EXPECT_EQ(encodeChecked("caf\u00E9", Charset::Ascii, TextPolicy::Lenient), bytesOf("caf?"));
  EXPECT_EQ(encodeChecked("caf\u00E9", Charset::Latin1, TextPolicy::Lenient),
            bytesOf({'c', 'a', 'f', 0xE9}));
  // One '?' per code point, whatever its UTF-8 length.
  EXPECT_EQ(encodeChecked("\U0001F600!", Charset::Latin1, TextPolicy::Lenient), bytesOf("?!"));
  EXPECT_EQ(encodeChecked("\u65E5\u672C", Charset::Ascii, TextPolicy::Lenient), bytesOf("??"));
  EXPECT_EQ(encodeChecked("\u20AC5", Charset::Latin1, TextPolicy::Lenient), bytesOf("?5"));
  EXPECT_EQ(encodeChecked("\uFFFD", Charset::Latin1, TextPolicy::Lenient), bytesOf("?"));

  expectMalformed([] { (void)encodedSize("caf\u00E9", Charset::Ascii, TextPolicy::Strict); }, 3,
                  {"cannot encode U+00E9", "at byte 3", "US-ASCII", "U+0000..U+007F",
                   "TextPolicy::Lenient", "'?'"});
  expectMalformed(
      [] {
        std::byte out[16];
        encode("ab\U0001F600", Charset::Latin1, TextPolicy::Strict, out);
      },
      2, {"cannot encode U+1F600", "ISO-8859-1", "U+0000..U+00FF"});
  expectMalformed(
      [] { (void)encodedSize("\u00FF\u0100", Charset::Latin1, TextPolicy::Strict); }, 2,
      {"U+0100"});
  // The first problem in input order wins: an unrepresentable char before ill-formed bytes.
  expectMalformed(
      [] {
        (void)encodedSize("x\u00E9" + stringOf({0xFF}), Charset::Ascii, TextPolicy::Strict);
      },
      1, {"U+00E9"});
  expectMalformed(
      [] {
        (void)encodedSize(stringOf({'x', 0xFF}) + "\u00E9", Charset::Ascii, TextPolicy::Strict);
      },
      1, {"malformed UTF-8 at byte 1", "0xFF"});
}

// ---- sizes and empty inputs ---------------------------------------------------------

TEST(TextCodec, EncodedSizeMatchesBytesWritten) {
  std::vector<std::string> inputs;
  for (const Sample& s : samples()) inputs.push_back(s.text);
  for (const MalformedCase& c : malformedCases()) inputs.push_back(c.input);
  for (const std::string& input : inputs) {
    for (Charset cs : kAllCharsets) {
      SCOPED_TRACE(hex(bytesOf(input)) + " / " + std::string(charsetName(cs)));
      // encodeChecked verifies the guard bytes after encodedSize bytes.
      const std::vector<std::byte> out = encodeChecked(input, cs, TextPolicy::Lenient);
      EXPECT_EQ(out.size(), encodedSize(input, cs, TextPolicy::Lenient));
      // And the output decodes strictly: Lenient encoding only produces well-formed bytes.
      EXPECT_NO_THROW((void)decodeBytes(out, cs, TextPolicy::Strict));
    }
  }
}

TEST(TextCodec, EmptyInputs) {
  for (Charset cs : kAllCharsets) {
    for (TextPolicy policy : kBothPolicies) {
      SCOPED_TRACE(std::string(charsetName(cs)));
      EXPECT_EQ(encodedSize("", cs, policy), 0u);
      EXPECT_EQ(encodedSize(std::string_view(), cs, policy), 0u);
      encode(std::string_view(), cs, policy, nullptr);  // writes nothing
      EXPECT_EQ(decode(std::span<const std::byte>(), cs, policy), "");
    }
  }
  EXPECT_TRUE(isValidUtf8(std::string_view()));
  EXPECT_TRUE(isAscii(std::string_view()));
}

}  // namespace
}  // namespace zonebuf::text
