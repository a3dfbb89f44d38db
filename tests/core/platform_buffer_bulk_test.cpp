#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "support/buffer_snapshot.hpp"
#include "zonebuf/zonebuf.hpp"

using namespace zonebuf;
using zonebuf::testing::expectErrorUnchanged;

TEST(PlatformBufferBulk, TypedArraysMatchPerElementWritesInBothOrders) {
  for (auto order : {ByteOrder::BigEndian, ByteOrder::LittleEndian}) {
    std::vector<std::int32_t> ints(37);
    std::iota(ints.begin(), ints.end(), -5);
    auto bulk = PlatformBuffer::allocate(4 * 37, AllocationZone::Heap, order);
    auto single = PlatformBuffer::allocate(4 * 37, AllocationZone::Heap, order);
    bulk.writeInts(ints);
    for (auto v : ints) single.writeInt(v);
    EXPECT_EQ(bulk.position(), single.position());
    EXPECT_EQ(0, std::memcmp(bulk.data(), single.data(), 4 * 37));
    bulk.resetForRead();
    std::vector<std::int32_t> back(37);
    bulk.readInts(back);
    EXPECT_EQ(back, ints);
  }
}

TEST(PlatformBufferBulk, EveryTypedArrayRoundTrips) {
  for (auto order : {ByteOrder::BigEndian, ByteOrder::LittleEndian}) {
    auto b = PlatformBuffer::allocate(1024, AllocationZone::Direct, order);
    const std::array<std::int16_t, 3> s{1, -2, 300};
    const std::array<std::int64_t, 2> l{std::numeric_limits<std::int64_t>::max(), -7};
    const std::array<float, 2> f{1.5f, -0.0f};
    const std::array<double, 2> d{1e-300, 42.0};
    b.writeShorts(s).writeLongs(l).writeFloats(f).writeDoubles(d);
    EXPECT_EQ(b.position(), 6u + 16u + 8u + 16u);
    b.resetForRead();
    std::array<std::int16_t, 3> s2{};
    std::array<std::int64_t, 2> l2{};
    std::array<float, 2> f2{};
    std::array<double, 2> d2{};
    b.readShorts(s2).readLongs(l2).readFloats(f2).readDoubles(d2);
    EXPECT_EQ(s, s2);
    EXPECT_EQ(l, l2);
    EXPECT_EQ(std::memcmp(f.data(), f2.data(), sizeof f), 0);
    EXPECT_EQ(d, d2);
    EXPECT_EQ(b.getShort(0), 1);
    EXPECT_EQ(b.getLong(6), std::numeric_limits<std::int64_t>::max());
  }
}

TEST(PlatformBufferBulk, ArraysThatDoNotFitChangeNothing) {
  auto b = PlatformBuffer::allocate(16);
  b.position(4);
  std::vector<std::int32_t> five(5, 1);
  expectErrorUnchanged<BufferOverflowError>(b, [&] { b.writeInts(five); }, {"writeInts", "5 x 4 bytes", "12 bytes remain"});
  std::vector<std::int64_t> two(2);
  b.setLimit(12);
  expectErrorUnchanged<BufferUnderflowError>(b, [&] { b.readLongs(two); }, {"readLongs", "2 x 8 bytes"});
  std::vector<std::int32_t> three(3, 9);
  b.setLimit(16);
  b.writeInts(three);  // exact fit
  EXPECT_EQ(b.position(), 16u);
}

TEST(PlatformBufferBulk, HugeElementCountsDoNotWrap) {
  auto b = PlatformBuffer::allocate(16);
  // A span whose byte size overflows size_t must be rejected, not wrapped.
  const std::size_t count = std::numeric_limits<std::size_t>::max() / 4 + 2;
  std::span<const std::int32_t> fake(static_cast<const std::int32_t*>(nullptr), count);
  expectErrorUnchanged<BufferOverflowError>(b, [&] { b.writeInts(fake); }, {"writeInts"});
  std::span<std::int64_t> fakeOut(static_cast<std::int64_t*>(nullptr), count);
  expectErrorUnchanged<BufferUnderflowError>(b, [&] { b.readLongs(fakeOut); }, {"readLongs"});
}

TEST(PlatformBufferBulk, WriteBytesReadBytesAndCopies) {
  auto b = PlatformBuffer::allocate(8);
  const std::uint8_t raw[] = {1, 2, 3, 4, 5};
  b.writeBytes(std::span<const std::uint8_t>(raw));
  b.resetForRead();
  auto view = b.readBytes(2);
  EXPECT_FALSE(view.ownsMemory());
  EXPECT_EQ(view.data(), b.data());
  EXPECT_EQ(view.capacity(), 2u);
  EXPECT_EQ(b.position(), 2u);
  auto copy = b.readByteArray(2);
  EXPECT_EQ(copy, (std::vector<std::byte>{std::byte{3}, std::byte{4}}));
  EXPECT_NE(static_cast<const void*>(copy.data()), static_cast<const void*>(b.data() + 2));
  expectErrorUnchanged<BufferUnderflowError>(b, [&] { (void)b.readBytes(2); }, {"readBytes", "1 remain"});
  expectErrorUnchanged<BufferUnderflowError>(b, [&] { (void)b.readByteArray(2); }, {"readByteArray"});
  EXPECT_EQ(b.toByteArray(), (std::vector<std::byte>{std::byte{5}}));
  EXPECT_EQ(b.position(), 4u);
  const std::uint8_t big[9] = {};
  b.resetForWrite();
  expectErrorUnchanged<BufferOverflowError>(b, [&] { b.writeBytes(std::span<const std::uint8_t>(big)); }, {"writeBytes"});
}

TEST(PlatformBufferBulk, SlicesAreViewsOfTheirParent) {
  auto parent = PlatformBuffer::allocate(16, AllocationZone::Heap, ByteOrder::LittleEndian);
  parent.position(4).setLimit(12);
  auto s = parent.slice();
  EXPECT_EQ(s.capacity(), 8u);
  EXPECT_EQ(s.position(), 0u);
  EXPECT_EQ(s.limit(), 8u);
  EXPECT_EQ(s.byteOrder(), ByteOrder::LittleEndian);
  EXPECT_EQ(s.zone(), AllocationZone::Heap);
  EXPECT_FALSE(s.ownsMemory());
  s.writeInt(0x11223344);
  EXPECT_EQ(parent.getInt(4), 0x11223344);
  s.position(2);
  auto ss = s.slice();  // slice of a slice
  EXPECT_EQ(ss.capacity(), 6u);
  ss.writeShort(0x5566);
  EXPECT_EQ(parent.getShort(6), 0x5566);
  EXPECT_EQ(s.getShort(2), 0x5566);
  expectErrorUnchanged<BufferOverflowError>(ss, [&] { ss.writeLong(1); }, {"writeLong", "4 remain"});
}

TEST(PlatformBufferBulk, WriteBufferPartialExactAndOverflow) {
  auto src = PlatformBuffer::allocate(8);
  for (int i = 0; i < 8; ++i) src.writeByte(static_cast<std::int8_t>(i));
  src.resetForRead();
  src.position(2);
  auto dst = PlatformBuffer::allocate(10);
  dst.write(src);  // partial: 6 of 10
  EXPECT_EQ(dst.position(), 6u);
  EXPECT_EQ(src.position(), 8u);
  EXPECT_EQ(dst.getByte(0), 2);
  src.position(4);
  dst.write(src);  // exact: 4 more
  EXPECT_EQ(dst.remaining(), 0u);
  src.position(7);
  const auto srcBefore = zonebuf::testing::BufferSnapshot::of(src);
  expectErrorUnchanged<BufferOverflowError>(dst, [&] { dst.write(src); }, {"write(PlatformBuffer&)"});
  EXPECT_TRUE(zonebuf::testing::BufferSnapshot::of(src) == srcBefore);
}

// One buffer is both source and destination: its single position cannot
// advance as both (it would pass the limit). A view of its own bytes can.
TEST(PlatformBufferBulk, WriteFromItselfIsRejectedAndAViewOfItselfIsNot) {
  auto b = PlatformBuffer::allocate(16);
  for (int i = 0; i < 8; ++i) b.writeByte(static_cast<std::int8_t>(i + 1));
  b.resetForRead();
  expectErrorUnchanged<InvalidArgumentError>(b, [&] { b.write(b); },
                                             {"write(PlatformBuffer&)", "the source is this buffer itself", "slice(i, n)"});
  PlatformBuffer firstTwo = b.slice(0, 2);
  b.setLimit(16);
  b.position(8);
  b.write(firstTwo);  // a view of its own bytes: fine
  EXPECT_EQ(b.position(), 10u);
  EXPECT_EQ(b.getByte(8), 1);
  EXPECT_EQ(b.getByte(9), 2);
  EXPECT_EQ(firstTwo.remaining(), 0u);
}

TEST(PlatformBufferBulk, WriteBetweenOverlappingViews) {
  auto b = PlatformBuffer::allocate(8);
  for (int i = 0; i < 8; ++i) b.writeByte(static_cast<std::int8_t>(i));
  b.position(0).setLimit(6);
  auto src = b.slice();
  b.position(2).setLimit(8);
  auto dst = b.slice();
  dst.write(src);  // overlapping forward copy
  EXPECT_EQ(b.getByte(2), 0);
  EXPECT_EQ(b.getByte(7), 5);
}

TEST(PlatformBufferBulk, WriteBetweenEveryZonePair) {
  for (auto a : {AllocationZone::Heap, AllocationZone::Direct, AllocationZone::SharedMemory}) {
    for (auto z : {AllocationZone::Heap, AllocationZone::Direct, AllocationZone::SharedMemory}) {
      auto src = PlatformBuffer::allocate(4096, a);
      for (int i = 0; i < 1024; ++i) src.writeInt(i * 7);
      src.resetForRead();
      auto dst = PlatformBuffer::allocate(4096, z);
      dst.write(src);
      dst.resetForRead();
      for (int i = 0; i < 1024; ++i) ASSERT_EQ(dst.readInt(), i * 7);
    }
  }
}

TEST(PlatformBufferBulk, WriteBetweenEmptyBuffersIsANoOp) {
  PlatformBuffer dst;  // default-constructed: no memory at all
  PlatformBuffer src;
  dst.write(src);
  EXPECT_EQ(dst.position(), 0u);
  EXPECT_EQ(src.position(), 0u);
  auto real = PlatformBuffer::allocate(4);
  real.write(src);
  EXPECT_EQ(real.position(), 0u);
  EXPECT_EQ(dst.writeString(""), 0u);
  EXPECT_EQ(dst.readString(0), "");
  dst.writeBytes(std::span<const std::uint8_t>());
  dst.writeInts(std::span<const std::int32_t>());
  EXPECT_TRUE(dst.readByteArray(0).empty());
  EXPECT_TRUE(dst.toByteArray().empty());
}

// Typed arrays that lie in the bytes they are copied to (spans over the same
// buffer, as when compacting it) move as if they had been copied out first,
// both ways of overlap, in the native order and swapped.
TEST(PlatformBufferBulk, ArraysThatOverlapTheirDestinationMoveAsCopies) {
  constexpr std::size_t kCount = 40;  // longer than the swap loop's 16-byte steps
  for (ByteOrder order : {ByteOrder::BigEndian, ByteOrder::LittleEndian}) {
    for (std::ptrdiff_t shift : {-12, -4, -1, 0, 1, 4, 12}) {
      SCOPED_TRACE(std::string(order == ByteOrder::BigEndian ? "BE" : "LE") + " shift " + std::to_string(shift));
      constexpr std::size_t kAt = 64;
      auto b = PlatformBuffer::allocate(256, AllocationZone::Heap, order);
      std::vector<std::uint8_t> bytes(kCount * 4);
      std::iota(bytes.begin(), bytes.end(), std::uint8_t{1});
      std::memcpy(b.data() + kAt, bytes.data(), bytes.size());
      // writeBytes: the source span is the buffer's own bytes at kAt.
      b.position(kAt + static_cast<std::size_t>(shift));
      b.writeBytes(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(b.data() + kAt), bytes.size()));
      EXPECT_EQ(b.position(), kAt + shift + bytes.size());
      EXPECT_EQ(std::memcmp(b.data() + kAt + shift, bytes.data(), bytes.size()), 0);

      // writeInts (aligned 4-byte source inside the buffer, swapped when order is not native).
      std::vector<std::int32_t> ints(kCount);
      std::iota(ints.begin(), ints.end(), 0x01020304);
      auto expected = PlatformBuffer::allocate(256, AllocationZone::Heap, order);
      expected.writeInts(ints);
      auto c = PlatformBuffer::allocate(512, AllocationZone::Heap, order);
      auto* source = reinterpret_cast<std::int32_t*>(c.data() + 128);  // mimalloc blocks are 16-aligned
      std::memcpy(source, ints.data(), ints.size() * 4);
      c.position(static_cast<std::size_t>(128 + shift * 4));
      c.writeInts(std::span<const std::int32_t>(source, kCount));
      EXPECT_EQ(std::memcmp(c.data() + 128 + shift * 4, expected.data(), kCount * 4), 0);

      // readInts into the buffer's own bytes it reads.
      c.position(static_cast<std::size_t>(128 + shift * 4));
      auto* into = reinterpret_cast<std::int32_t*>(c.data() + 128);
      c.readInts(std::span<std::int32_t>(into, kCount));
      for (std::size_t i = 0; i < kCount; ++i) EXPECT_EQ(into[i], ints[i]) << i;
    }
  }
}
