// PlatformBuffer skip, mark/reset, compact, duplicate, slice(index, length)
// and the per-call byte order accessors.
#include <gtest/gtest.h>

#include <vector>

#include "support/buffer_snapshot.hpp"
#include "zonebuf/zonebuf.hpp"

using namespace zonebuf;
using zonebuf::testing::expectErrorUnchanged;

namespace {

TEST(BufferCursorExt, SkipAdvancesAndRejectsPastTheLimit) {
  PlatformBuffer b = PlatformBuffer::allocate(16);
  b.setLimit(10);
  b.skip(4).skip(0);
  EXPECT_EQ(b.position(), 4u);
  expectErrorUnchanged<BufferUnderflowError>(b, [&] { b.skip(7); }, {"skip needs 7 bytes", "only 6 remain"});
  b.skip(6);
  EXPECT_EQ(b.position(), 10u);
}

TEST(BufferCursorExt, MarkAndReset) {
  PlatformBuffer b = PlatformBuffer::allocate(16);
  b.writeInt(1);
  const auto m = b.mark();
  b.writeInt(2).writeInt(3);
  b.reset(m);
  EXPECT_EQ(b.position(), 4u);
  PlatformBuffer moved = std::move(b);  // a mark is a token: it survives moves
  moved.position(12).reset(m);
  EXPECT_EQ(moved.position(), 4u);
  moved.setLimit(2);
  expectErrorUnchanged<InvalidArgumentError>(moved, [&] { moved.reset(m); }, {"reset(mark at 4)", "limit 2"});
}

TEST(BufferCursorExt, CompactMovesTheRemainingBytesDown) {
  PlatformBuffer b = PlatformBuffer::allocate(8);
  for (int i = 0; i < 8; ++i) b.writeByte(static_cast<std::int8_t>(i));
  b.resetForRead().position(5);
  b.compact();
  EXPECT_EQ(b.position(), 3u);
  EXPECT_EQ(b.limit(), 8u);
  EXPECT_EQ(b.getByte(0), 5);
  EXPECT_EQ(b.getByte(2), 7);
  b.resetForRead().position(3);  // nothing remaining
  b.compact();
  EXPECT_EQ(b.position(), 0u);
  EXPECT_EQ(b.limit(), 8u);
}

TEST(BufferCursorExt, DuplicateIsAnIndependentCursorOverTheSameBytes) {
  PlatformBuffer b = PlatformBuffer::allocate(16, AllocationZone::Heap, ByteOrder::LittleEndian);
  b.writeInt(7).setLimit(12);
  PlatformBuffer d = b.duplicate();
  EXPECT_FALSE(d.ownsMemory());
  EXPECT_EQ(d.data(), b.data());
  EXPECT_EQ(d.position(), 4u);
  EXPECT_EQ(d.limit(), 12u);
  EXPECT_EQ(d.capacity(), 16u);
  EXPECT_EQ(d.byteOrder(), ByteOrder::LittleEndian);
  EXPECT_EQ(d.zone(), b.zone());
  d.writeInt(9);
  EXPECT_EQ(b.position(), 4u);
  EXPECT_EQ(b.getInt(4), 9);
}

TEST(BufferCursorExt, SliceByIndexAndLength) {
  PlatformBuffer b = PlatformBuffer::allocate(16);
  b.setInt(4, 0x01020304).setLimit(10);
  PlatformBuffer s = b.slice(4, 6);
  EXPECT_EQ(s.capacity(), 6u);
  EXPECT_EQ(s.position(), 0u);
  EXPECT_EQ(s.readInt(), 0x01020304);
  EXPECT_EQ(b.slice(10, 0).capacity(), 0u);
  expectErrorUnchanged<InvalidArgumentError>(b, [&] { (void)b.slice(5, 6); }, {"slice(index 5, length 6)", "limit 10"});
  expectErrorUnchanged<InvalidArgumentError>(b, [&] { (void)b.slice(11, 0); }, {"slice(index 11"});
  expectErrorUnchanged<InvalidArgumentError>(b, [&] { (void)b.slice(2, SIZE_MAX); }, {"slice(index 2"});
}

TEST(BufferCursorExt, PerCallByteOrder) {
  PlatformBuffer b = PlatformBuffer::allocate(64);  // big-endian buffer
  b.writeInt(0x01020304, ByteOrder::LittleEndian).writeShort(0x0102, ByteOrder::BigEndian);
  b.writeLong(0x0102030405060708, ByteOrder::LittleEndian).writeDouble(1.5, ByteOrder::LittleEndian);
  b.writeUnsignedShort(0xFFFE, ByteOrder::LittleEndian).writeFloat(2.5f, ByteOrder::LittleEndian);
  b.writeUnsignedInt(0xDEADBEEF, ByteOrder::LittleEndian).writeUnsignedLong(7, ByteOrder::LittleEndian);
  EXPECT_EQ(b.getUnsignedByte(0), 0x04);
  EXPECT_EQ(b.getInt(0), 0x04030201);
  EXPECT_EQ(b.getInt(0, ByteOrder::LittleEndian), 0x01020304);
  EXPECT_EQ(b.byteOrder(), ByteOrder::BigEndian);
  b.resetForRead();
  EXPECT_EQ(b.readInt(ByteOrder::LittleEndian), 0x01020304);
  EXPECT_EQ(b.readShort(ByteOrder::BigEndian), 0x0102);
  EXPECT_EQ(b.readLong(ByteOrder::LittleEndian), 0x0102030405060708);
  EXPECT_EQ(b.readDouble(ByteOrder::LittleEndian), 1.5);
  EXPECT_EQ(b.readUnsignedShort(ByteOrder::LittleEndian), 0xFFFE);
  EXPECT_EQ(b.readFloat(ByteOrder::LittleEndian), 2.5f);
  EXPECT_EQ(b.readUnsignedInt(ByteOrder::LittleEndian), 0xDEADBEEFu);
  EXPECT_EQ(b.readUnsignedLong(ByteOrder::LittleEndian), 7u);
  b.setShort(0, 0x0A0B, ByteOrder::LittleEndian);
  EXPECT_EQ(b.getUnsignedByte(0), 0x0B);
  EXPECT_EQ(b.getShort(0, ByteOrder::LittleEndian), 0x0A0B);
  EXPECT_EQ(b.getUnsignedLong(0, ByteOrder::BigEndian), b.getUnsignedLong(0));
  EXPECT_EQ(b.getFloat(0, ByteOrder::BigEndian), b.getFloat(0));
  EXPECT_EQ(b.getDouble(0, ByteOrder::BigEndian), b.getDouble(0));
  EXPECT_EQ(b.getUnsignedShort(0, ByteOrder::BigEndian), b.getUnsignedShort(0));
  EXPECT_EQ(b.getUnsignedInt(0, ByteOrder::BigEndian), b.getUnsignedInt(0));
  EXPECT_EQ(b.getLong(0, ByteOrder::BigEndian), b.getLong(0));
}

TEST(BufferCursorExt, PerCallByteOrderErrorsChangeNothing) {
  PlatformBuffer b = PlatformBuffer::allocate(8);
  b.position(5);
  expectErrorUnchanged<BufferUnderflowError>(b, [&] { (void)b.readInt(ByteOrder::LittleEndian); }, {"readInt needs 4"});
  expectErrorUnchanged<BufferOverflowError>(b, [&] { b.writeLong(1, ByteOrder::LittleEndian); }, {"writeLong needs 8"});
  expectErrorUnchanged<InvalidArgumentError>(b, [&] { (void)b.getInt(5, ByteOrder::LittleEndian); }, {"getInt(index 5)"});
  expectErrorUnchanged<InvalidArgumentError>(b, [&] { b.setShort(SIZE_MAX, 1, ByteOrder::LittleEndian); }, {"setShort"});
  expectErrorUnchanged<BufferUnderflowError>(b, [&] { (void)b.readDouble(ByteOrder::BigEndian); }, {"readDouble"});
  expectErrorUnchanged<BufferOverflowError>(b, [&] { b.writeFloat(1, ByteOrder::BigEndian); }, {"writeFloat"});
}

}  // namespace
