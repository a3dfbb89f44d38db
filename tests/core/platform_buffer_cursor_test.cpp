#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "support/buffer_snapshot.hpp"
#include "zonebuf/zonebuf.hpp"

using namespace zonebuf;
using zonebuf::testing::expectErrorUnchanged;

TEST(PlatformBufferCursor, FreshBufferIsInWriteState) {
  auto b = PlatformBuffer::allocate(64);
  EXPECT_EQ(b.capacity(), 64u);
  EXPECT_EQ(b.position(), 0u);
  EXPECT_EQ(b.limit(), 64u);
  EXPECT_EQ(b.remaining(), 64u);
  EXPECT_TRUE(b.hasRemaining());
  EXPECT_EQ(b.zone(), AllocationZone::Heap);
  EXPECT_EQ(b.byteOrder(), ByteOrder::BigEndian);
  EXPECT_TRUE(b.ownsMemory());
}

TEST(PlatformBufferCursor, ZoneAndOrderAreRecorded) {
  for (auto zone : {AllocationZone::Heap, AllocationZone::Direct, AllocationZone::SharedMemory}) {
    for (auto order : {ByteOrder::BigEndian, ByteOrder::LittleEndian}) {
      auto b = PlatformBuffer::allocate(16, zone, order);
      EXPECT_EQ(b.zone(), zone);
      EXPECT_EQ(b.byteOrder(), order);
    }
  }
}

TEST(PlatformBufferCursor, FlipAndClearFollowJavaNio) {
  auto b = PlatformBuffer::allocate(16);
  b.writeInt(7).writeShort(3);
  EXPECT_EQ(b.position(), 6u);
  b.resetForRead();
  EXPECT_EQ(b.position(), 0u);
  EXPECT_EQ(b.limit(), 6u);
  EXPECT_EQ(b.readInt(), 7);
  EXPECT_EQ(b.remaining(), 2u);
  b.resetForWrite();
  EXPECT_EQ(b.position(), 0u);
  EXPECT_EQ(b.limit(), 16u);
}

TEST(PlatformBufferCursor, PositionAcceptsUpToLimit) {
  auto b = PlatformBuffer::allocate(8);
  b.setLimit(5);
  b.position(5);
  EXPECT_EQ(b.position(), 5u);
  EXPECT_FALSE(b.hasRemaining());
  b.position(0);
  EXPECT_EQ(b.position(), 0u);
}

TEST(PlatformBufferCursor, PositionBeyondLimitIsRejectedUnchanged) {
  auto b = PlatformBuffer::allocate(8);
  b.setLimit(5).position(2);
  expectErrorUnchanged<InvalidArgumentError>(b, [&] { b.position(6); }, {"position(6)", "limit 5"});
  expectErrorUnchanged<InvalidArgumentError>(b, [&] { b.position(std::numeric_limits<std::size_t>::max()); },
                                             {"beyond the limit"});
}

TEST(PlatformBufferCursor, LimitBelowPositionMovesPosition) {
  auto b = PlatformBuffer::allocate(8);
  b.position(6);
  b.setLimit(4);
  EXPECT_EQ(b.limit(), 4u);
  EXPECT_EQ(b.position(), 4u);
  b.setLimit(8);
  EXPECT_EQ(b.position(), 4u);
}

TEST(PlatformBufferCursor, LimitBeyondCapacityIsRejectedUnchanged) {
  auto b = PlatformBuffer::allocate(8);
  b.position(3);
  expectErrorUnchanged<InvalidArgumentError>(b, [&] { b.setLimit(9); }, {"setLimit(9)", "capacity 8"});
}

TEST(PlatformBufferCursor, ZeroCapacityBuffer) {
  auto b = PlatformBuffer::allocate(0);
  EXPECT_EQ(b.capacity(), 0u);
  EXPECT_FALSE(b.hasRemaining());
  b.resetForRead().resetForWrite();
  EXPECT_NE(b.data(), nullptr);
  expectErrorUnchanged<BufferOverflowError>(b, [&] { b.writeByte(1); }, {"writeByte", "needs 1 bytes"});
  expectErrorUnchanged<BufferUnderflowError>(b, [&] { b.readByte(); }, {"readByte"});
  expectErrorUnchanged<InvalidArgumentError>(b, [&] { b.getByte(0); }, {"getByte(index 0)"});
  EXPECT_EQ(b.slice().capacity(), 0u);
  EXPECT_TRUE(b.toByteArray().empty());
  EXPECT_EQ(b.writeString(""), 0u);
  EXPECT_EQ(b.readString(0), "");
}

TEST(PlatformBufferCursor, MoveTransfersOwnership) {
  auto a = PlatformBuffer::allocate(32);
  a.writeInt(99);
  const std::byte* data = a.data();
  PlatformBuffer b = std::move(a);
  EXPECT_EQ(b.data(), data);
  EXPECT_EQ(b.position(), 4u);
  EXPECT_TRUE(b.ownsMemory());
  EXPECT_EQ(a.capacity(), 0u);  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
  EXPECT_FALSE(a.ownsMemory());
  PlatformBuffer c = PlatformBuffer::allocate(8);
  c = std::move(b);
  EXPECT_EQ(c.data(), data);
  EXPECT_EQ(c.getInt(0), 99);
}

TEST(PlatformBufferCursor, WrapIsZeroCopyAndNonOwning) {
  std::byte storage[8] = {};
  auto b = PlatformBuffer::wrap(storage);
  EXPECT_FALSE(b.ownsMemory());
  EXPECT_EQ(b.data(), storage);
  b.writeInt(0x01020304);
  EXPECT_EQ(storage[0], std::byte{1});
  EXPECT_EQ(storage[3], std::byte{4});
}

TEST(PlatformBufferCursor, HugeSizesAreTypedErrors) {
  const std::size_t huge[] = {std::numeric_limits<std::size_t>::max(),
                              std::numeric_limits<std::size_t>::max() - 15,
                              static_cast<std::size_t>(-1) / 2 + 1};
  for (std::size_t size : huge) {
    for (auto zone : {AllocationZone::Heap, AllocationZone::Direct, AllocationZone::SharedMemory}) {
      try {
        (void)PlatformBuffer::allocate(size, zone);
        ADD_FAILURE() << "allocate(" << size << ") succeeded";
      } catch (const InvalidArgumentError& e) {
        EXPECT_NE(std::string(e.what()).find("exceeds the maximum buffer size"), std::string::npos) << e.what();
      }
    }
  }
}

TEST(PlatformBufferCursor, SizesAround32BitsAreTypedErrorsOrSucceed) {
  // 2^31 and 2^32-1: on wasm32 both exceed kMaxSize or linear memory; natively
  // they may succeed (mimalloc reserves lazily). Never a crash or a wrap.
  for (std::uint64_t size : {std::uint64_t{1} << 31, (std::uint64_t{1} << 32) - 1}) {
    if (size > std::numeric_limits<std::size_t>::max()) continue;
    try {
      auto b = PlatformBuffer::allocate(static_cast<std::size_t>(size));
      EXPECT_EQ(b.capacity(), size);
      b.setByte(static_cast<std::size_t>(size - 1), 5);
      EXPECT_EQ(b.getByte(static_cast<std::size_t>(size - 1)), 5);
    } catch (const InvalidArgumentError& e) {
      EXPECT_NE(std::string(e.what()).find("maximum buffer size"), std::string::npos);
    } catch (const OutOfMemoryError& e) {
      EXPECT_NE(std::string(e.what()).find(std::to_string(size)), std::string::npos) << e.what();
    }
  }
}
