#include "zonebuf/core/native_data.hpp"

#include <gtest/gtest.h>

namespace zonebuf {
namespace {

class NativeDataTest : public ::testing::TestWithParam<AllocationZone> {};

TEST_P(NativeDataTest, ViewsTheRemainingBytesWithoutCopyingOrMoving) {
  PlatformBuffer b = PlatformBuffer::allocate(64, GetParam());
  b.writeInt(1).writeInt(2).writeInt(3);
  b.resetForRead();
  (void)b.readInt();  // remaining: [4, 12)
  const NativeData n = b.toNativeData();
  EXPECT_FALSE(n.isMutable);
  EXPECT_EQ(b.position(), 4u);
  EXPECT_EQ(b.limit(), 12u);
  EXPECT_EQ(n.linearBuffer.data(), b.data() + 4);  // same address: zero copy
  EXPECT_EQ(n.linearBuffer.capacity(), 8u);
  EXPECT_EQ(n.linearBuffer.position(), 0u);
  EXPECT_EQ(n.linearBuffer.zone(), GetParam());
  EXPECT_FALSE(n.linearBuffer.ownsMemory());
  EXPECT_EQ(n.bytes().size(), 8u);
  EXPECT_EQ(n.linearBuffer.baseOffset(), reinterpret_cast<std::uintptr_t>(b.data()) + 4);
}

TEST_P(NativeDataTest, WritesThroughEitherSideAreSeenByTheOther) {
  PlatformBuffer b = PlatformBuffer::allocate(32, GetParam());
  b.position(8);
  NativeData n = b.toMutableNativeData();
  EXPECT_TRUE(n.isMutable);
  n.linearBuffer.writeLong(0x1122334455667788);  // native side writes...
  EXPECT_EQ(b.getLong(8), 0x1122334455667788);   // ...the buffer reads it
  b.setInt(16, 0x0a0b0c0d);                      // buffer writes...
  EXPECT_EQ(n.linearBuffer.getInt(8), 0x0a0b0c0d);  // ...the native side reads it
  EXPECT_EQ(b.position(), 8u);
  EXPECT_EQ(b.limit(), 32u);
}

TEST_P(NativeDataTest, ToByteArrayStillCopies) {
  PlatformBuffer b = PlatformBuffer::allocate(4, GetParam());
  b.setInt(0, 0x01020304);
  auto copy = b.toByteArray();
  b.setInt(0, 0);
  EXPECT_EQ(copy[0], std::byte{1});
  EXPECT_EQ(copy[3], std::byte{4});
}

INSTANTIATE_TEST_SUITE_P(AllZones, NativeDataTest,
                         ::testing::Values(AllocationZone::Heap, AllocationZone::Direct, AllocationZone::SharedMemory),
                         [](const auto& param) { return std::string(zoneName(param.param)); });

}  // namespace
}  // namespace zonebuf
