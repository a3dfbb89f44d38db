#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

#include "support/buffer_snapshot.hpp"
#include "zonebuf/zonebuf.hpp"

using namespace zonebuf;
using zonebuf::testing::expectErrorUnchanged;

namespace {

std::vector<std::uint8_t> bytesOf(const PlatformBuffer& b, std::size_t n) {
  std::vector<std::uint8_t> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = std::to_integer<std::uint8_t>(b.data()[i]);
  return out;
}

using Bytes = std::vector<std::uint8_t>;

struct Op {
  const char* name;
  std::size_t width;
  std::function<void(PlatformBuffer&)> relative;          // write or read at position
  std::function<void(PlatformBuffer&, std::size_t)> absolute;  // set or get at index
  bool isWrite;
};

std::vector<Op> allOps() {
  return {
      {"writeByte", 1, [](auto& b) { b.writeByte(1); }, [](auto& b, auto i) { b.setByte(i, 1); }, true},
      {"writeUnsignedByte", 1, [](auto& b) { b.writeUnsignedByte(1); }, [](auto& b, auto i) { b.setUnsignedByte(i, 1); }, true},
      {"writeShort", 2, [](auto& b) { b.writeShort(1); }, [](auto& b, auto i) { b.setShort(i, 1); }, true},
      {"writeUnsignedShort", 2, [](auto& b) { b.writeUnsignedShort(1); }, [](auto& b, auto i) { b.setUnsignedShort(i, 1); }, true},
      {"writeInt", 4, [](auto& b) { b.writeInt(1); }, [](auto& b, auto i) { b.setInt(i, 1); }, true},
      {"writeUnsignedInt", 4, [](auto& b) { b.writeUnsignedInt(1); }, [](auto& b, auto i) { b.setUnsignedInt(i, 1); }, true},
      {"writeLong", 8, [](auto& b) { b.writeLong(1); }, [](auto& b, auto i) { b.setLong(i, 1); }, true},
      {"writeUnsignedLong", 8, [](auto& b) { b.writeUnsignedLong(1); }, [](auto& b, auto i) { b.setUnsignedLong(i, 1); }, true},
      {"writeFloat", 4, [](auto& b) { b.writeFloat(1); }, [](auto& b, auto i) { b.setFloat(i, 1); }, true},
      {"writeDouble", 8, [](auto& b) { b.writeDouble(1); }, [](auto& b, auto i) { b.setDouble(i, 1); }, true},
      {"readByte", 1, [](auto& b) { (void)b.readByte(); }, [](auto& b, auto i) { (void)b.getByte(i); }, false},
      {"readUnsignedByte", 1, [](auto& b) { (void)b.readUnsignedByte(); }, [](auto& b, auto i) { (void)b.getUnsignedByte(i); }, false},
      {"readShort", 2, [](auto& b) { (void)b.readShort(); }, [](auto& b, auto i) { (void)b.getShort(i); }, false},
      {"readUnsignedShort", 2, [](auto& b) { (void)b.readUnsignedShort(); }, [](auto& b, auto i) { (void)b.getUnsignedShort(i); }, false},
      {"readInt", 4, [](auto& b) { (void)b.readInt(); }, [](auto& b, auto i) { (void)b.getInt(i); }, false},
      {"readUnsignedInt", 4, [](auto& b) { (void)b.readUnsignedInt(); }, [](auto& b, auto i) { (void)b.getUnsignedInt(i); }, false},
      {"readLong", 8, [](auto& b) { (void)b.readLong(); }, [](auto& b, auto i) { (void)b.getLong(i); }, false},
      {"readUnsignedLong", 8, [](auto& b) { (void)b.readUnsignedLong(); }, [](auto& b, auto i) { (void)b.getUnsignedLong(i); }, false},
      {"readFloat", 4, [](auto& b) { (void)b.readFloat(); }, [](auto& b, auto i) { (void)b.getFloat(i); }, false},
      {"readDouble", 8, [](auto& b) { (void)b.readDouble(); }, [](auto& b, auto i) { (void)b.getDouble(i); }, false},
  };
}

}  // namespace

TEST(PlatformBufferAccess, BigEndianBytePatterns) {
  auto b = PlatformBuffer::allocate(64);
  b.writeByte(-2).writeShort(0x0102).writeInt(0x01020304).writeLong(0x0102030405060708LL);
  EXPECT_EQ(bytesOf(b, 15), (Bytes{0xFE, 1, 2, 1, 2, 3, 4, 1, 2, 3, 4, 5, 6, 7, 8}));
  b.resetForWrite().writeFloat(1.0f).writeDouble(-2.0);
  EXPECT_EQ(bytesOf(b, 12), (Bytes{0x3F, 0x80, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0}));
  b.resetForWrite().writeUnsignedByte(0xFF).writeUnsignedShort(0xFFFE).writeUnsignedInt(0xFFFFFFFDu)
      .writeUnsignedLong(0xFFFFFFFFFFFFFFFCull);
  EXPECT_EQ(bytesOf(b, 15), (Bytes{0xFF, 0xFF, 0xFE, 0xFF, 0xFF, 0xFF, 0xFD, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                   0xFF, 0xFC}));
}

TEST(PlatformBufferAccess, LittleEndianBytePatterns) {
  auto b = PlatformBuffer::allocate(64, AllocationZone::Heap, ByteOrder::LittleEndian);
  b.writeShort(0x0102).writeInt(0x01020304).writeLong(0x0102030405060708LL);
  EXPECT_EQ(bytesOf(b, 14), (Bytes{2, 1, 4, 3, 2, 1, 8, 7, 6, 5, 4, 3, 2, 1}));
  b.resetForWrite().writeFloat(1.0f).writeDouble(-2.0);
  EXPECT_EQ(bytesOf(b, 12), (Bytes{0, 0, 0x80, 0x3F, 0, 0, 0, 0, 0, 0, 0, 0xC0}));
}

TEST(PlatformBufferAccess, RelativeRoundTripEveryTypeBothOrders) {
  for (auto order : {ByteOrder::BigEndian, ByteOrder::LittleEndian}) {
    for (auto zone : {AllocationZone::Heap, AllocationZone::Direct, AllocationZone::SharedMemory}) {
      auto b = PlatformBuffer::allocate(128, zone, order);
      b.writeByte(-128).writeUnsignedByte(255).writeShort(-32768).writeUnsignedShort(65535)
          .writeInt(std::numeric_limits<std::int32_t>::min()).writeUnsignedInt(4294967295u)
          .writeLong(std::numeric_limits<std::int64_t>::min()).writeUnsignedLong(18446744073709551615ull)
          .writeFloat(3.5f).writeDouble(-1e300);
      b.resetForRead();
      EXPECT_EQ(b.readByte(), -128);
      EXPECT_EQ(b.readUnsignedByte(), 255);
      EXPECT_EQ(b.readShort(), -32768);
      EXPECT_EQ(b.readUnsignedShort(), 65535);
      EXPECT_EQ(b.readInt(), std::numeric_limits<std::int32_t>::min());
      EXPECT_EQ(b.readUnsignedInt(), 4294967295u);
      EXPECT_EQ(b.readLong(), std::numeric_limits<std::int64_t>::min());
      EXPECT_EQ(b.readUnsignedLong(), 18446744073709551615ull);
      EXPECT_EQ(b.readFloat(), 3.5f);
      EXPECT_EQ(b.readDouble(), -1e300);
      EXPECT_FALSE(b.hasRemaining());
    }
  }
}

TEST(PlatformBufferAccess, AbsoluteAccessLeavesPositionAlone) {
  auto b = PlatformBuffer::allocate(32);
  b.position(3);
  b.setInt(8, 0x01020304).setLong(16, -5).setShort(0, 0x0A0B).setDouble(24, 0.25);
  EXPECT_EQ(b.position(), 3u);
  EXPECT_EQ(b.getInt(8), 0x01020304);
  EXPECT_EQ(b.getUnsignedByte(8), 1u);
  EXPECT_EQ(b.getLong(16), -5);
  EXPECT_EQ(b.getShort(0), 0x0A0B);
  EXPECT_EQ(b.getDouble(24), 0.25);
  EXPECT_EQ(b.position(), 3u);
}

TEST(PlatformBufferAccess, FloatBitPatternsRoundTripIncludingNaNPayloads) {
  const std::uint32_t floatPatterns[] = {0x7FC00001u, 0x7F800001u, 0xFFBFFFFFu, 0x80000000u, 0x00000001u,
                                         0x7F800000u};
  const std::uint64_t doublePatterns[] = {0x7FF8000000000001ull, 0x7FF0000000000001ull, 0xFFF7FFFFFFFFFFFFull,
                                          0x8000000000000000ull, 0x0000000000000001ull};
  for (auto order : {ByteOrder::BigEndian, ByteOrder::LittleEndian}) {
    auto b = PlatformBuffer::allocate(256, AllocationZone::Heap, order);
    for (auto bits : floatPatterns) b.writeFloat(zonebuf::detail::bitCast<float>(bits));
    for (auto bits : doublePatterns) b.writeDouble(zonebuf::detail::bitCast<double>(bits));
    b.resetForRead();
    for (auto bits : floatPatterns) EXPECT_EQ(zonebuf::detail::bitCast<std::uint32_t>(b.readFloat()), bits);
    for (auto bits : doublePatterns) EXPECT_EQ(zonebuf::detail::bitCast<std::uint64_t>(b.readDouble()), bits);
    for (std::size_t i = 0; i < std::size(floatPatterns); ++i)
      EXPECT_EQ(zonebuf::detail::bitCast<std::uint32_t>(b.getFloat(i * 4)), floatPatterns[i]);
  }
}

TEST(PlatformBufferAccess, EveryRelativeOpFitsExactlyAndFailsOnePast) {
  for (const Op& op : allOps()) {
    SCOPED_TRACE(op.name);
    for (std::size_t extra : {std::size_t{0}, std::size_t{3}}) {
      auto b = PlatformBuffer::allocate(op.width + extra);
      b.position(extra);
      if (!op.isWrite) b.setLimit(extra + op.width);
      op.relative(b);  // exact fit
      EXPECT_EQ(b.position(), extra + op.width);
      // One byte short: the op must fail and change nothing.
      b.position(extra + 1);
      if (op.isWrite) {
        expectErrorUnchanged<BufferOverflowError>(b, [&] { op.relative(b); }, {op.name, "remain"});
      } else {
        expectErrorUnchanged<BufferUnderflowError>(b, [&] { op.relative(b); }, {op.name, "remain"});
      }
    }
  }
}

TEST(PlatformBufferAccess, EveryAbsoluteOpFitsExactlyAndFailsOnePast) {
  for (const Op& op : allOps()) {
    SCOPED_TRACE(op.name);
    auto b = PlatformBuffer::allocate(16);
    b.setLimit(10).position(2);
    op.absolute(b, 10 - op.width);  // last index that fits
    EXPECT_EQ(b.position(), 2u);
    for (std::size_t bad : {10 - op.width + 1, std::size_t{10}, std::size_t{11},
                            std::numeric_limits<std::size_t>::max(),
                            std::numeric_limits<std::size_t>::max() - op.width + 1,
                            PlatformBuffer::kMaxSize, PlatformBuffer::kMaxSize + 1}) {
      expectErrorUnchanged<InvalidArgumentError>(b, [&] { op.absolute(b, bad); }, {"(index ", "limit 10"});
    }
  }
}

// A limit below the value's width: no index fits, index 0 included.
TEST(PlatformBufferAccess, EveryAbsoluteOpWiderThanTheLimitFailsAtEveryIndex) {
  for (const Op& op : allOps()) {
    if (op.width == 1) continue;
    SCOPED_TRACE(op.name);
    auto b = PlatformBuffer::allocate(16);
    b.setLimit(op.width - 1);
    for (std::size_t bad : {std::size_t{0}, op.width - 1, std::numeric_limits<std::size_t>::max()}) {
      expectErrorUnchanged<InvalidArgumentError>(b, [&] { op.absolute(b, bad); }, {"(index ", "limit "});
    }
  }
}

// The per-op calls store through types the optimiser may not alias with the
// buffer's fields (byte_order.hpp); accesses of different widths over the
// same bytes must still see each other, in program order, whatever the
// compiler does with them once inlined into one function.
namespace {
[[gnu::noinline]] std::uint32_t mixedWidths(PlatformBuffer& b, std::size_t at) {
  b.setInt(at, 0x01020304);
  b.setShort(at + 1, static_cast<std::int16_t>(0xAABB));  // overwrites the middle two bytes
  b.setByte(at + 3, 0x55);
  const std::uint32_t whole = b.getUnsignedInt(at);
  b.setLong(at, 0x1122334455667788);
  return whole ^ static_cast<std::uint32_t>(b.getUnsignedShort(at + 6)) ^ b.getUnsignedByte(at + 7);
}
}  // namespace

TEST(PlatformBufferAccess, MixedWidthsOverTheSameBytesStayOrdered) {
  for (ByteOrder order : {ByteOrder::BigEndian, ByteOrder::LittleEndian}) {
    auto b = PlatformBuffer::allocate(16, AllocationZone::Heap, order);
    const std::uint32_t got = mixedWidths(b, 4);
    const std::uint32_t whole = order == ByteOrder::BigEndian ? 0x01AABB55u : 0x55AABB04u;
    const std::uint32_t tail = order == ByteOrder::BigEndian ? 0x7788u ^ 0x88u : 0x1122u ^ 0x11u;
    EXPECT_EQ(got, whole ^ tail);
    if (order == ByteOrder::BigEndian) {
      const Bytes all = bytesOf(b, 12);
      EXPECT_EQ(Bytes(all.begin() + 4, all.end()), (Bytes{0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88}));
    }
  }
}

namespace {
// A caller's loop on a PlatformBuffer&: the optimiser may keep position_ in
// a register across the calls (docs/benchmarks.md); the throwing call must
// still leave the position after the last write that fitted.
[[gnu::noinline]] void writeInts(PlatformBuffer& b, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) b.writeInt(static_cast<std::int32_t>(i + 1));
}
[[gnu::noinline]] std::int64_t readInts(PlatformBuffer& b, std::size_t n) {
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < n; ++i) sum += b.readInt();
  return sum;
}
}  // namespace

TEST(PlatformBufferAccess, ALoopThatOverflowsKeepsEveryWriteThatFitted) {
  auto b = PlatformBuffer::allocate(18);
  try {
    writeInts(b, 100);
    FAIL() << "expected BufferOverflowError";
  } catch (const BufferOverflowError& e) {
    EXPECT_NE(std::string(e.what()).find("writeInt needs 4 bytes but only 2 remain (position 16, limit 18)"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(b.position(), 16u);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(b.getInt(i * 4), static_cast<std::int32_t>(i + 1));
  b.resetForRead();
  try {
    (void)readInts(b, 100);
    FAIL() << "expected BufferUnderflowError";
  } catch (const BufferUnderflowError& e) {
    EXPECT_NE(std::string(e.what()).find("readInt needs 4 bytes but only 0 remain (position 16, limit 16)"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(b.position(), 16u);
  b.position(0);
  EXPECT_EQ(readInts(b, 4), 1 + 2 + 3 + 4);
}

// The read loop's position_ store leaves the loop (docs/benchmarks.md), and
// the loop is unrolled: a read that fails at any place inside an unrolled
// group still leaves the position after the last read that fitted.
TEST(PlatformBufferAccess, AReadLoopThatUnderflowsMidGroupStopsAfterTheLastReadThatFitted) {
  for (ByteOrder order : {ByteOrder::BigEndian, ByteOrder::LittleEndian}) {
    for (std::size_t limit : {std::size_t{4}, std::size_t{8}, std::size_t{10}, std::size_t{12}, std::size_t{14}}) {
      SCOPED_TRACE(::testing::Message() << "limit " << limit << (order == ByteOrder::BigEndian ? " BE" : " LE"));
      auto b = PlatformBuffer::allocate(16, AllocationZone::Heap, order);
      writeInts(b, 4);
      b.position(0);
      b.setLimit(limit);
      const std::size_t fitted = limit / 4 * 4;
      try {
        (void)readInts(b, 100);
        FAIL() << "expected BufferUnderflowError";
      } catch (const BufferUnderflowError& e) {
        const std::string expected = "readInt needs 4 bytes but only " + std::to_string(limit - fitted) +
                                     " remain (position " + std::to_string(fitted) + ", limit " +
                                     std::to_string(limit) + ")";
        EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
      }
      EXPECT_EQ(b.position(), fitted);
      EXPECT_EQ(b.limit(), limit);
      b.position(0);
      EXPECT_EQ(readInts(b, fitted / 4), static_cast<std::int64_t>(fitted / 4 * (fitted / 4 + 1) / 2));
    }
  }
}
