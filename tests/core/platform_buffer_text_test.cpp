#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "support/buffer_snapshot.hpp"
#include "zonebuf/zonebuf.hpp"

using namespace zonebuf;
using zonebuf::testing::expectErrorUnchanged;

namespace {
const std::string kSamples[] = {"Hello from WASM", "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E",  // 日本語
                                "\xF0\x9F\x98\x80 emoji \xF0\x9F\x8E\x89", ""};
}

TEST(PlatformBufferText, Utf8AndUtf16RoundTrips) {
  for (auto charset : {Charset::Utf8, Charset::Utf16BigEndian, Charset::Utf16LittleEndian}) {
    for (const auto& s : kSamples) {
      auto b = PlatformBuffer::allocate(128, AllocationZone::Direct);
      const std::size_t n = b.writeString(s, charset);
      EXPECT_EQ(n, b.position());
      b.resetForRead();
      EXPECT_EQ(b.readString(n, charset), s);
      EXPECT_FALSE(b.hasRemaining());
    }
  }
}

TEST(PlatformBufferText, Utf16ByteLayout) {
  auto b = PlatformBuffer::allocate(16);
  EXPECT_EQ(b.writeString("\xF0\x9F\x98\x80", Charset::Utf16BigEndian), 4u);  // U+1F600
  EXPECT_EQ(b.getUnsignedShort(0), 0xD83D);
  EXPECT_EQ(b.getUnsignedShort(2), 0xDE00);
}

TEST(PlatformBufferText, StringThatDoesNotFitIsRejectedBeforeWriting) {
  auto b = PlatformBuffer::allocate(8);
  b.position(2);
  expectErrorUnchanged<BufferOverflowError>(b, [&] { b.writeString("1234567"); }, {"writeString", "7 bytes", "6 remain"});
  expectErrorUnchanged<BufferOverflowError>(b, [&] { b.writeString("abcd", Charset::Utf16BigEndian); },
                                            {"writeString", "8 bytes"});
}

TEST(PlatformBufferText, MalformedInputLenientAndStrict) {
  auto b = PlatformBuffer::allocate(16);
  const std::uint8_t bad[] = {'a', 0xC0, 0xAF, 'b'};  // overlong '/'
  b.writeBytes(std::span<const std::uint8_t>(bad));
  b.resetForRead();
  expectErrorUnchanged<MalformedTextError>(b, [&] { (void)b.readString(4, Charset::Utf8, TextPolicy::Strict); },
                                           {"byte 1"});
  EXPECT_EQ(b.readString(4), "a\xEF\xBF\xBD\xEF\xBF\xBD" "b");
}

TEST(PlatformBufferText, ReadStringPastLimitChangesNothing) {
  auto b = PlatformBuffer::allocate(8);
  b.writeString("abc");
  b.resetForRead();
  expectErrorUnchanged<BufferUnderflowError>(b, [&] { (void)b.readString(4); }, {"readString", "3 remain"});
}

TEST(PlatformBufferText, AsciiAndLatin1) {
  auto b = PlatformBuffer::allocate(16);
  EXPECT_EQ(b.writeString("caf\xC3\xA9", Charset::Latin1), 4u);
  EXPECT_EQ(b.getUnsignedByte(3), 0xE9);
  b.resetForRead();
  EXPECT_EQ(b.readString(4, Charset::Latin1), "caf\xC3\xA9");
  auto a = PlatformBuffer::allocate(16);
  expectErrorUnchanged<MalformedTextError>(a, [&] { a.writeString("caf\xC3\xA9", Charset::Ascii, TextPolicy::Strict); },
                                           {});
  EXPECT_EQ(a.writeString("caf\xC3\xA9", Charset::Ascii), 4u);
  EXPECT_EQ(a.getUnsignedByte(3), '?');
}

// writeString sizes and writes in one pass: text that would fit as given but
// not once Lenient repaired it (each maximal ill-formed subpart grows to the
// 3 bytes of U+FFFD) is still rejected before any byte is written.
TEST(PlatformBufferText, RepairThatDoesNotFitIsRejectedBeforeWriting) {
  auto b = PlatformBuffer::allocate(8);
  b.position(2);
  const std::string bad = "ab\xFF\xFF";  // 4 bytes in, 8 once repaired
  expectErrorUnchanged<BufferOverflowError>(b, [&] { b.writeString(bad); }, {"writeString", "8 bytes", "6 remain"});
  // UTF-16: 2 + 2 + 2 + 2 bytes fit exactly; a 4-byte sequence cut short is one U+FFFD.
  b.position(0);
  EXPECT_EQ(b.writeString("ab\xF0\x9F\x98" "c", Charset::Utf16LittleEndian), 8u);
  EXPECT_EQ(b.getUnsignedByte(4), 0xFD);  // U+FFFD after "ab", little-endian
  EXPECT_EQ(b.getUnsignedByte(5), 0xFF);
}

TEST(PlatformBufferText, StrictLongTextRejectedBeforeWritingWhereverTheErrorIs) {
  // Long enough for the vector screen: the error sits in a vector block, at a
  // block boundary or in the tail, and nothing of the valid prefix is written.
  const std::string prefix(200, 'x');
  for (std::size_t at : {0u, 15u, 16u, 63u, 64u, 65u, 127u, 199u}) {
    std::string text = prefix;
    text.insert(at, "\xE0\x80\x80");  // overlong
    auto b = PlatformBuffer::allocate(256);
    expectErrorUnchanged<MalformedTextError>(
        b, [&] { b.writeString(text, Charset::Utf8, TextPolicy::Strict); },
        {("byte " + std::to_string(at)).c_str(), "0xE0 0x80 is an overlong encoding"});
    expectErrorUnchanged<MalformedTextError>(
        b, [&] { b.writeString(text, Charset::Utf16BigEndian, TextPolicy::Strict); },
        {("byte " + std::to_string(at)).c_str(), "UTF-16BE"});
  }
}

TEST(PlatformBufferText, AsciiOfEverySizeClassIsWrittenWholeOrNotAtAll) {
  // The vector kernels hold ASCII text up to 1 KiB in registers and copy it
  // only once all of it is checked: a bad byte anywhere, Strict, leaves the
  // window as it was; Lenient, the repair no longer fits the exact room.
  for (std::size_t length : {32u, 63u, 64u, 65u, 129u, 256u, 257u, 512u, 513u, 1000u, 1024u, 1025u, 4097u}) {
    std::string text(length, 'q');
    for (std::size_t i = 0; i < length; ++i) text[i] = static_cast<char>('a' + i % 26);
    auto b = PlatformBuffer::allocate(length);
    ASSERT_EQ(b.writeString(text, Charset::Utf8, TextPolicy::Strict), length);
    b.resetForRead();
    EXPECT_EQ(b.readString(length), text);
    // Bytes the text does not have, so that a partial write would show.
    std::memset(b.data(), '#', b.capacity());
    b.resetForWrite();
    b.setLimit(length);
    for (std::size_t at : {std::size_t{0}, length / 2, length - 32, length - 1}) {
      std::string bad = text;
      bad[at] = '\xFF';
      expectErrorUnchanged<MalformedTextError>(
          b, [&] { b.writeString(bad, Charset::Utf8, TextPolicy::Strict); }, {("byte " + std::to_string(at)).c_str()});
      expectErrorUnchanged<BufferOverflowError>(b, [&] { b.writeString(bad); },
                                                {"writeString", (std::to_string(length + 2) + " bytes").c_str()});
    }
  }
}

// Text that lies in the window it is written to (bytes of the same buffer,
// read back as a string_view) is written as if it had been copied first,
// in every charset, whichever way the two ranges overlap.
TEST(PlatformBufferText, TextThatOverlapsTheWindowIsWrittenAsItWas) {
  std::string text;
  for (int i = 0; text.size() < 96; ++i) text += i % 3 == 0 ? "\xD0\x96" : std::string(1, static_cast<char>('a' + i % 26));
  for (Charset charset : {Charset::Utf8, Charset::Utf16BigEndian, Charset::Utf16LittleEndian, Charset::Latin1}) {
    for (std::size_t textAt : {0u, 8u, 40u}) {
      for (std::size_t writeAt : {0u, 7u, 16u, 48u}) {
        SCOPED_TRACE(std::string(charsetName(charset)) + " text at " + std::to_string(textAt) + ", written at " +
                     std::to_string(writeAt));
        auto b = PlatformBuffer::allocate(512);
        b.position(textAt);
        b.writeString(text);
        const std::string_view inBuffer(reinterpret_cast<const char*>(b.data()) + textAt, text.size());
        auto expected = PlatformBuffer::allocate(512);
        const std::size_t n = expected.writeString(text, charset);
        b.position(writeAt);
        EXPECT_EQ(b.writeString(inBuffer, charset), n);
        EXPECT_EQ(b.position(), writeAt + n);
        EXPECT_EQ(std::memcmp(b.data() + writeAt, expected.data(), n), 0);
      }
    }
  }
}
