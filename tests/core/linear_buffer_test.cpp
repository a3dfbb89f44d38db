#include "zonebuf/core/linear_buffer.hpp"

#include <gtest/gtest.h>

#include <cstdint>

#include "support/buffer_snapshot.hpp"

namespace zonebuf {
namespace {

TEST(LinearBuffer, DirectAndSharedMemoryBuffersAreLinearBuffers) {
  for (AllocationZone zone : {AllocationZone::Direct, AllocationZone::SharedMemory}) {
    LinearBuffer b = LinearBuffer::allocate(64, zone);
    EXPECT_EQ(b.zone(), zone);
    EXPECT_TRUE(b.ownsMemory());
    EXPECT_EQ(b.baseOffset(), reinterpret_cast<std::uintptr_t>(b.data()));
    EXPECT_EQ(b.baseOffset() % 64, 0u);
    b.writeInt(7);
    EXPECT_EQ(b.linearMemoryOffset(), b.baseOffset() + 4);
  }
}

TEST(LinearBuffer, FromTakesOverAnOwningBuffer) {
  PlatformBuffer p = PlatformBuffer::allocate(32, AllocationZone::Direct);
  p.writeShort(5);
  std::byte* data = p.data();
  LinearBuffer l = LinearBuffer::from(std::move(p));
  EXPECT_EQ(l.data(), data);
  EXPECT_EQ(l.position(), 2u);
  EXPECT_TRUE(l.ownsMemory());
  EXPECT_FALSE(p.ownsMemory());
  PlatformBuffer back = std::move(l);  // and converts back without slicing state
  EXPECT_EQ(back.data(), data);
  EXPECT_TRUE(back.ownsMemory());
}

TEST(LinearBuffer, ViewOfKeepsPositionLimitAndOrder) {
  PlatformBuffer p = PlatformBuffer::allocate(32, AllocationZone::SharedMemory, ByteOrder::LittleEndian);
  p.writeInt(0x01020304).setLimit(20);
  LinearBuffer v = LinearBuffer::viewOf(p);
  EXPECT_FALSE(v.ownsMemory());
  EXPECT_EQ(v.position(), 4u);
  EXPECT_EQ(v.limit(), 20u);
  EXPECT_EQ(v.byteOrder(), ByteOrder::LittleEndian);
  EXPECT_EQ(v.zone(), AllocationZone::SharedMemory);
  EXPECT_EQ(v.linearMemoryOffset(), reinterpret_cast<std::uintptr_t>(p.data()) + 4);
  EXPECT_EQ(v.getInt(0), 0x01020304);
}

TEST(LinearBuffer, AHeapBufferIsRejectedWithNothingChanged) {
  const char* expected =
      ": a Heap buffer is not a LinearBuffer; allocate it with AllocationZone::Direct or "
      "AllocationZone::SharedMemory, or use toNativeData() for a zero-copy view of any buffer";
  PlatformBuffer heap = PlatformBuffer::allocate(16, AllocationZone::Heap);
  heap.writeInt(9);
  testing::expectErrorUnchanged<InvalidArgumentError>(
      heap, [&] { (void)LinearBuffer::from(std::move(heap)); }, {"LinearBuffer::from", expected});
  EXPECT_TRUE(heap.ownsMemory());
  testing::expectErrorUnchanged<InvalidArgumentError>(
      heap, [&] { (void)LinearBuffer::viewOf(heap); }, {"LinearBuffer::viewOf", expected});
  try {
    (void)LinearBuffer::allocate(16, AllocationZone::Heap);
    ADD_FAILURE() << "expected InvalidArgumentError";
  } catch (const InvalidArgumentError& e) {
    EXPECT_EQ(std::string(e.what()), std::string("LinearBuffer::allocate") + expected);
  }
}

}  // namespace
}  // namespace zonebuf
