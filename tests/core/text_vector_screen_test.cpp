// Differential tests of the vector UTF-8 screen (Keiser & Lemire) against the
// exact scalar decoder: for generated inputs with every class of error at
// every offset of windows longer than 64 bytes (so an error sits in a vector
// block, across two blocks, in the scalar tail and in the padded last block),
// the first ill-formed subpart, the Lenient repair and the Strict error
// (offset and message) must be those of the scalar path alone. A kernel given
// somewhere to copy to copies the whole input when it passes it and writes
// nothing otherwise.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "../../core/src/detail/text_errors.hpp"
#include "../../core/src/detail/text_scan.hpp"
#if defined(__x86_64__)
#include "../../core/src/detail/text_utf8_x86.hpp"
#endif
#include "zonebuf/core/text_codec.hpp"
#include "zonebuf/zonebuf.hpp"

namespace zonebuf::text {
namespace {

using detail::u8;
using ScreenFn = const u8* (*)(const u8*, const u8*, u8*) noexcept;

const u8* screenBytesOf(std::string_view s) { return reinterpret_cast<const u8*>(s.data()); }

// Every kernel this CPU can run, by name; the dispatched one first.
std::vector<std::pair<std::string, ScreenFn>> kernels() {
  std::vector<std::pair<std::string, ScreenFn>> out = {{"dispatched", &detail::screenUtf8}};
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("ssse3")) out.emplace_back("ssse3", &detail::screenUtf8Ssse3);
  if (__builtin_cpu_supports("avx2")) out.emplace_back("avx2", &detail::screenUtf8Avx2);
  if (__builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx2")) {
    out.emplace_back("avx512", &detail::screenUtf8Avx512);
  }
#endif
  return out;
}

// Screens [b, e) with `screen`, once without and once with a destination: the
// two answers agree, and the destination holds the input (answer e) or is
// untouched (any other answer), with nothing written around it.
const u8* firstInvalidWith(ScreenFn screen, const u8* b, const u8* e) {
  const u8* hit = screen(b, e, nullptr);
  const auto n = static_cast<std::size_t>(e - b);
  constexpr std::size_t kGuard = 64;
  std::vector<u8> out(n + 2 * kGuard, 0xA5);
  EXPECT_EQ(screen(b, e, out.data() + kGuard), hit);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const bool copied = hit == e && i >= kGuard && i < kGuard + n;
    if (out[i] != (copied ? b[i - kGuard] : 0xA5)) {
      ADD_FAILURE() << "destination byte " << i - kGuard << " of " << n << (copied ? " not copied" : " written");
      break;
    }
  }
  if (hit == e) return e;
  EXPECT_TRUE(hit >= b && hit < e);
  return detail::scalarFirstInvalidUtf8(detail::restartPoint(b, hit), e);
}

// Lenient repair by the scalar decoder alone.
std::string scalarRepair(std::string_view s) {
  const u8* p = screenBytesOf(s);
  const u8* e = p + s.size();
  std::string out;
  while (p != e) {
    const u8* bad = detail::scalarFirstInvalidUtf8(p, e);
    out.append(reinterpret_cast<const char*>(p), static_cast<std::size_t>(bad - p));
    if (bad == e) break;
    out += "\xEF\xBF\xBD";
    p = bad + detail::decodeUtf8Sequence(bad, e).length;
  }
  return out;
}

// The message the scalar path gives for the error at `bad`.
std::string scalarMessage(std::string_view s, const u8* bad, const Charset* target) {
  try {
    detail::throwMalformedUtf8(screenBytesOf(s), screenBytesOf(s) + s.size(), bad, target, "U+FFFD");
  } catch (const MalformedTextError& e) {
    return e.what();
  }
  return {};
}

template <class Fn>
void expectMalformedAt(Fn&& fn, std::size_t offset, const std::string& message, const std::string& context) {
  try {
    fn();
    ADD_FAILURE() << "expected MalformedTextError at " << offset << " for " << context;
  } catch (const MalformedTextError& e) {
    EXPECT_EQ(e.byteOffset(), offset) << context;
    EXPECT_EQ(std::string(e.what()), message) << context;
  }
}

std::string hexOf(std::string_view s) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
    out += ' ';
  }
  return out;
}

// Checks one input through every kernel and every public entry point.
void checkAgainstScalar(std::string_view s) {
  const u8* b = screenBytesOf(s);
  const u8* e = b + s.size();
  const u8* want = detail::scalarFirstInvalidUtf8(b, e);
  const std::string context = "input " + hexOf(s);
  for (const auto& [name, screen] : kernels()) {
    ASSERT_EQ(firstInvalidWith(screen, b, e) - b, want - b) << name << ", " << context;
  }
  EXPECT_EQ(isValidUtf8(s), want == e) << context;

  const std::string repaired = scalarRepair(s);
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(s.data()), s.size());
  EXPECT_EQ(decode(bytes, Charset::Utf8, TextPolicy::Lenient), repaired) << context;
  ASSERT_EQ(encodedSize(s, Charset::Utf8, TextPolicy::Lenient), repaired.size()) << context;
  std::string encoded(repaired.size(), '\0');
  encode(s, Charset::Utf8, TextPolicy::Lenient, reinterpret_cast<std::byte*>(encoded.data()));
  EXPECT_EQ(encoded, repaired) << context;

  // UTF-16: Lenient encodes each maximal subpart as U+FFFD, as the repaired text has it.
  const std::size_t utf16Size = encodedSize(repaired, Charset::Utf16LittleEndian, TextPolicy::Strict);
  ASSERT_EQ(encodedSize(s, Charset::Utf16LittleEndian, TextPolicy::Lenient), utf16Size) << context;
  std::vector<std::byte> want16(utf16Size), got16(utf16Size);
  encode(repaired, Charset::Utf16LittleEndian, TextPolicy::Strict, want16.data());
  encode(s, Charset::Utf16LittleEndian, TextPolicy::Lenient, got16.data());
  EXPECT_EQ(got16, want16) << context;

  if (want == e) {
    EXPECT_EQ(decode(bytes, Charset::Utf8, TextPolicy::Strict), std::string(s)) << context;
    return;
  }
  const auto offset = static_cast<std::size_t>(want - b);
  expectMalformedAt([&] { (void)decode(bytes, Charset::Utf8, TextPolicy::Strict); }, offset,
                    scalarMessage(s, want, nullptr), context);
  const Charset utf8 = Charset::Utf8;
  expectMalformedAt([&] { (void)encodedSize(s, Charset::Utf8, TextPolicy::Strict); }, offset,
                    scalarMessage(s, want, &utf8), context);
  const Charset utf16 = Charset::Utf16BigEndian;
  expectMalformedAt([&] { (void)encodedSize(s, Charset::Utf16BigEndian, TextPolicy::Strict); }, offset,
                    scalarMessage(s, want, &utf16), context);
}

// Valid fillers of each sequence length, so an inserted error meets every
// neighbour (and the blocks cut sequences at every phase).
const std::string_view kFillers[] = {
    "plain ascii text, ",
    "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 ",          // Привет + space
    "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E",                        // 日本語
    "\xF0\x9F\x98\x80\xF0\x9F\x8E\x89",                            // emoji
    "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80z",                      // 1-, 2-, 3-, 4-byte mix
};

struct ErrorCase {
  const char* name;
  std::string_view bytes;
};
const ErrorCase kErrors[] = {
    {"overlong 2-byte C0", "\xC0\x80"},
    {"overlong 2-byte C1", "\xC1\xBF"},
    {"overlong 3-byte", "\xE0\x80\x80"},
    {"overlong 3-byte max", "\xE0\x9F\xBF"},
    {"overlong 4-byte", "\xF0\x80\x80\x80"},
    {"overlong 4-byte max", "\xF0\x8F\xBF\xBF"},
    {"surrogate low end", "\xED\xA0\x80"},
    {"surrogate high end", "\xED\xBF\xBF"},
    {"too large F4 90", "\xF4\x90\x80\x80"},
    {"too large F5", "\xF5\x80\x80\x80"},
    {"invalid FF", "\xFF"},
    {"invalid F8", "\xF8\x88\x80\x80\x80"},
    {"truncated 2 of 3", "\xE2\x82"},
    {"truncated 3 of 4", "\xF0\x9F\x98"},
    {"truncated 1 of 2", "\xC3"},
    {"stray continuation", "\x80"},
    {"stray continuations", "\xBF\x80"},
    {"missing continuation", "\xC3\x41"},
};

std::string window(std::string_view filler, std::size_t length) {
  std::string s;
  while (s.size() < length) s += filler;
  // Cut at a boundary so the window itself is well-formed.
  while (s.size() > length) s.pop_back();
  while (!isValidUtf8(s)) s.pop_back();
  while (s.size() < length) s += 'x';
  return s;
}

TEST(TextVectorScreen, KernelIsVectorWhereTheBuildHasOne) {
  const std::string name = detail::vectorScreenName();
#if defined(__wasm_simd128__)
  EXPECT_EQ(name, "simd128");
#elif defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx2")) {
    EXPECT_EQ(name, "avx512");
  } else if (__builtin_cpu_supports("avx2")) {
    EXPECT_EQ(name, "avx2");
  } else if (__builtin_cpu_supports("ssse3")) {
    EXPECT_EQ(name, "ssse3");
  }
#endif
  std::printf("UTF-8 screen: %s\n", name.c_str());
}

TEST(TextVectorScreen, ValidWindowsPassEveryKernel) {
  for (std::string_view filler : kFillers) {
    for (std::size_t length = 0; length <= 200; ++length) {
      const std::string s = window(filler, length);
      for (const auto& [name, screen] : kernels()) {
        EXPECT_EQ(firstInvalidWith(screen, screenBytesOf(s), screenBytesOf(s) + s.size()),
                  screenBytesOf(s) + s.size())
            << name << " " << hexOf(s);
      }
    }
  }
}

// ASCII around the sizes where the kernels change how they hold, screen and
// copy the text (the AVX-512 one holds up to 1 KiB in registers, in vectors
// from both ends, and copies up to 4 KiB itself), with one byte changed at
// the places where each of those vectors begins or ends.
TEST(TextVectorScreen, AsciiAroundEverySizeClassIsCopiedWholeOrNotAtAll) {
  const std::size_t kLengths[] = {31,  32,  33,  63,  64,  65,  127, 128,  129,  191,  255,  256,  257,
                                  383, 511, 512, 513, 767, 960, 1023, 1024, 1025, 1300, 4095, 4096, 4097};
  for (std::size_t length : kLengths) {
    const std::string base = window(kFillers[0], length);
    checkAgainstScalar(base);
    std::vector<std::size_t> offsets = {0, 1, 31, 32, 63, 64, 65, length / 2};
    for (std::size_t back : {1u, 32u, 33u, 63u, 64u, 65u, 256u, 512u}) {
      if (back <= length) offsets.push_back(length - back);
    }
    for (std::size_t at : offsets) {
      if (at >= length) continue;
      for (std::string_view change : {std::string_view("ÿ"), std::string_view(""), std::string_view("Ã")}) {
        std::string s = base;
        s.replace(at, 1, change);
        checkAgainstScalar(s);
        if (::testing::Test::HasFatalFailure()) return;
      }
      if (at + 2 <= length) {
        std::string s = base;
        s.replace(at, 2, "\xC3\xA9");  // well-formed: the non-ASCII path copies it
        checkAgainstScalar(s);
      }
    }
  }
}

TEST(TextVectorScreen, EveryErrorClassAtEveryOffset) {
  for (std::string_view filler : kFillers) {
    for (std::size_t length : {64u, 100u, 129u}) {
      const std::string base = window(filler, length);
      for (const ErrorCase& error : kErrors) {
        SCOPED_TRACE(error.name);
        for (std::size_t at = 0; at <= base.size(); ++at) {
          std::string s = base;
          s.insert(at, error.bytes);  // inside a filler sequence too: more errors, same answer
          checkAgainstScalar(s);
          if (::testing::Test::HasFatalFailure()) return;
        }
      }
    }
  }
}

TEST(TextVectorScreen, ErrorReplacingBytesAtEveryOffset) {
  // The error overwrites bytes instead of shifting them, so the window length
  // (and with it the block phase of the tail) stays put.
  for (std::string_view filler : kFillers) {
    const std::string base = window(filler, 130);
    for (const ErrorCase& error : kErrors) {
      SCOPED_TRACE(error.name);
      for (std::size_t at = 0; at + error.bytes.size() <= base.size(); ++at) {
        std::string s = base;
        s.replace(at, error.bytes.size(), error.bytes);
        checkAgainstScalar(s);
        if (::testing::Test::HasFatalFailure()) return;
      }
    }
  }
}

TEST(TextVectorScreen, TruncatedAtEveryLength) {
  // Cutting a window anywhere leaves an unfinished sequence at the end, at
  // every position relative to the vector blocks.
  for (std::string_view filler : kFillers) {
    const std::string base = window(filler, 200);
    for (std::size_t length = 0; length <= base.size(); ++length) checkAgainstScalar(base.substr(0, length));
  }
}

TEST(TextVectorScreen, RandomBytesMatchTheScalarPath) {
  std::mt19937 rng(20211);
  // Bytes drawn mostly from the edges of UTF-8's ranges, where the tables change.
  const unsigned char kEdges[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2,
                                  0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
  for (int round = 0; round < 4000; ++round) {
    const std::size_t length = std::uniform_int_distribution<std::size_t>(0, 300)(rng);
    std::string s = window(kFillers[round % std::size(kFillers)], length);
    const int edits = std::uniform_int_distribution<int>(0, 3)(rng);
    for (int k = 0; k < edits && !s.empty(); ++k) {
      s[std::uniform_int_distribution<std::size_t>(0, s.size() - 1)(rng)] =
          static_cast<char>(kEdges[std::uniform_int_distribution<std::size_t>(0, std::size(kEdges) - 1)(rng)]);
    }
    checkAgainstScalar(s);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

TEST(TextVectorScreen, StrictWriteStringRejectsBeforeWritingAtEveryOffset) {
  const std::string base = window(kFillers[2], 100);
  for (std::size_t at = 0; at < base.size(); ++at) {
    std::string s = base;
    s.insert(at, "\xED\xA0\x80");
    PlatformBuffer buf = PlatformBuffer::allocate(256);
    buf.position(3);
    const std::vector<std::byte> before = buf.toByteArray();
    EXPECT_THROW(buf.writeString(s, Charset::Utf8, TextPolicy::Strict), MalformedTextError);
    EXPECT_EQ(buf.position(), 3u);
    EXPECT_EQ(buf.toByteArray(), before);
  }
}

}  // namespace
}  // namespace zonebuf::text
