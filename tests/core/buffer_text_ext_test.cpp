// PlatformBuffer readLine, u16 length-prefixed strings and hexDump.
#include <gtest/gtest.h>

#include <string>

#include "support/buffer_snapshot.hpp"
#include "zonebuf/zonebuf.hpp"

using namespace zonebuf;
using zonebuf::testing::expectErrorUnchanged;

namespace {

PlatformBuffer holding(std::string& s) {
  return PlatformBuffer::wrap(std::as_writable_bytes(std::span<char>(s.data(), s.size())));
}

TEST(BufferTextExt, ReadLineHandlesLfAndCrlf) {
  std::string s = "GET / HTTP/1.1\r\nHost: a\n\r\nlast";
  PlatformBuffer b = holding(s);
  std::string line;
  ASSERT_TRUE(b.readLine(line));
  EXPECT_EQ(line, "GET / HTTP/1.1");
  ASSERT_TRUE(b.readLine(line));
  EXPECT_EQ(line, "Host: a");
  ASSERT_TRUE(b.readLine(line));
  EXPECT_EQ(line, "");
  const std::size_t before = b.position();
  line = "untouched";
  EXPECT_FALSE(b.readLine(line));
  EXPECT_EQ(b.position(), before);
  EXPECT_EQ(line, "untouched");
  EXPECT_EQ(b.readString(b.remaining()), "last");
}

TEST(BufferTextExt, ReadLineStrictRejectsIllFormedText) {
  std::string s = "ok\xFFno\n";
  PlatformBuffer b = holding(s);
  std::string line;
  expectErrorUnchanged<MalformedTextError>(b, [&] { (void)b.readLine(line, TextPolicy::Strict); }, {"0xFF"});
  ASSERT_TRUE(b.readLine(line));
  EXPECT_EQ(line, "ok\xEF\xBF\xBDno");
}

TEST(BufferTextExt, LengthPrefixedStrings) {
  PlatformBuffer b = PlatformBuffer::allocate(64, AllocationZone::Heap, ByteOrder::LittleEndian);
  EXPECT_EQ(b.writeLengthPrefixedString("h\xC3\xA9llo"), 8u);
  EXPECT_EQ(b.getUnsignedByte(0), 0);  // big-endian prefix in a little-endian buffer
  EXPECT_EQ(b.getUnsignedByte(1), 6);
  EXPECT_EQ(b.writeLengthPrefixedString(""), 2u);
  b.resetForRead();
  EXPECT_EQ(b.readLengthPrefixedString(), "h\xC3\xA9llo");
  EXPECT_EQ(b.readLengthPrefixedString(), "");
  EXPECT_EQ(b.remaining(), 0u);
}

TEST(BufferTextExt, LengthPrefixedStringErrorsChangeNothing) {
  PlatformBuffer b = PlatformBuffer::allocate(8);
  expectErrorUnchanged<BufferOverflowError>(b, [&] { b.writeLengthPrefixedString("1234567"); },
                                            {"writeLengthPrefixedString needs 9"});
  std::string big(65536, 'x');
  PlatformBuffer large = PlatformBuffer::allocate(70000);
  expectErrorUnchanged<InvalidArgumentError>(large, [&] { large.writeLengthPrefixedString(big); }, {"65536", "65535"});
  expectErrorUnchanged<MalformedTextError>(b, [&] { b.writeLengthPrefixedString("\xFF", TextPolicy::Strict); }, {});
  b.writeUnsignedShort(7).writeByte('a').resetForRead();
  expectErrorUnchanged<BufferUnderflowError>(b, [&] { (void)b.readLengthPrefixedString(); },
                                             {"readLengthPrefixedString needs 9"});
  b.setLimit(1);
  expectErrorUnchanged<BufferUnderflowError>(b, [&] { (void)b.readLengthPrefixedString(); }, {"needs 2"});
  std::string bad = std::string("\x00\x01\xFF", 3);
  PlatformBuffer m = holding(bad);
  expectErrorUnchanged<MalformedTextError>(m, [&] { (void)m.readLengthPrefixedString(TextPolicy::Strict); }, {});
}

TEST(BufferTextExt, HexDump) {
  std::string s = "Hello, zonebuf!\x01\x02";
  PlatformBuffer b = holding(s);
  b.position(1);
  EXPECT_EQ(b.hexDump(),
            "00000001  65 6c 6c 6f 2c 20 7a 6f  6e 65 62 75 66 21 01 02  |ello, zonebuf!..|\n");
  EXPECT_EQ(b.hexDump(2), "00000001  65 6c                                             |el|\n... 14 more bytes\n");
  EXPECT_EQ(b.position(), 1u);
  PlatformBuffer empty;
  EXPECT_EQ(empty.hexDump(), "");
}

}  // namespace
