// GrowableBuffer: growth through the pool's size classes, what happens to
// the old lease, take() and clear().
#include <gtest/gtest.h>

#include <vector>

#include "zonebuf/zonebuf.hpp"

using namespace zonebuf;

namespace {

TEST(GrowableBuffer, GrowsKeepingTheBytesAndGivesTheOldLeaseBack) {
  BufferPool pool;
  GrowableBuffer g(pool, 64);
  std::vector<std::byte> chunk(100);
  for (std::size_t i = 0; i < chunk.size(); ++i) chunk[i] = static_cast<std::byte>(i);
  g.write(std::span(chunk).first(50));
  EXPECT_EQ(g.growCount(), 0u);
  const std::byte* before = g.buffer().data();
  g.write(chunk);  // 150 bytes: moves to a larger class
  EXPECT_EQ(g.growCount(), 1u);
  EXPECT_EQ(g.bytesMoved(), 50u);
  EXPECT_NE(g.buffer().data(), before);  // views of the old buffer are now invalid
  EXPECT_GE(g.capacity(), 150u);
  EXPECT_EQ(g.size(), 150u);
  EXPECT_EQ(g.buffer().limit(), g.buffer().capacity());
  const PoolStats st = pool.stats();
  EXPECT_EQ(st.outstandingLeases, 1u);  // the old one went back at once
  EXPECT_EQ(st.pooledNow, 1u);
  for (std::size_t i = 0; i < 50; ++i) EXPECT_EQ(g.buffer().getUnsignedByte(i), i);
  for (std::size_t i = 0; i < 100; ++i) EXPECT_EQ(g.buffer().getUnsignedByte(50 + i), i);
}

TEST(GrowableBuffer, EnsureWritableWithRoomMovesNothing) {
  BufferPool pool;
  GrowableBuffer g(pool, 256);
  PlatformBuffer& b = g.ensureWritable(10);
  b.writeInt(5).setLimit(6);
  PlatformBuffer& again = g.ensureWritable(100);  // room in the capacity: the limit reopens
  EXPECT_EQ(&again, &b);
  EXPECT_EQ(again.limit(), again.capacity());
  EXPECT_EQ(g.growCount(), 0u);
}

TEST(GrowableBuffer, DoublesSoCopiesStayLinear) {
  BufferPool pool;
  GrowableBuffer g(pool, 64);
  std::vector<std::byte> one(1, std::byte{7});
  for (int i = 0; i < 100000; ++i) g.write(one);
  EXPECT_EQ(g.size(), 100000u);
  EXPECT_LE(g.growCount(), 12u);
  EXPECT_LT(g.bytesMoved(), 2u * 100000u);
}

TEST(GrowableBuffer, TakeHandsOutTheLeaseFlipped) {
  BufferPool pool;
  GrowableBuffer g(pool, 64);
  g.ensureWritable(4).writeInt(42);
  PooledBuffer out = g.take();
  EXPECT_EQ(out->position(), 0u);
  EXPECT_EQ(out->limit(), 4u);
  EXPECT_EQ(out->readInt(), 42);
  EXPECT_EQ(g.size(), 0u);
  EXPECT_EQ(g.capacity(), 0u);
  g.ensureWritable(1).writeByte(1);  // a new lease
  EXPECT_EQ(pool.stats().outstandingLeases, 2u);
  g.clear();
  EXPECT_EQ(g.size(), 0u);
}

TEST(GrowableBuffer, FailedGrowthChangesNothing) {
  BufferPool pool;
  GrowableBuffer g(pool, 64);
  g.ensureWritable(8).writeLong(1);
  const std::byte* where = g.buffer().data();
  EXPECT_THROW(g.ensureWritable(PlatformBuffer::kMaxSize), InvalidArgumentError);
  EXPECT_EQ(g.buffer().data(), where);
  EXPECT_EQ(g.size(), 8u);
  EXPECT_EQ(g.growCount(), 0u);
}

}  // namespace
