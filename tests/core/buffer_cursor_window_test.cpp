// BufferWriter / BufferReader: the checked-once windows of writer(n) and
// reader(n).
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include "support/buffer_snapshot.hpp"
#include "zonebuf/zonebuf.hpp"

using namespace zonebuf;
using zonebuf::testing::expectErrorUnchanged;

namespace {

constexpr ByteOrder kOrders[] = {ByteOrder::BigEndian, ByteOrder::LittleEndian};
constexpr std::size_t kFields = 1 + 1 + 2 + 2 + 4 + 4 + 8 + 8 + 4 + 8;  // one of each scalar

void writeEveryScalar(BufferWriter& w) {
  w.writeByte(-2).writeUnsignedByte(200).writeShort(-3).writeUnsignedShort(60000).writeInt(-4);
  w.writeUnsignedInt(4000000000u).writeLong(-5).writeUnsignedLong(18000000000000000000ull);
  w.writeFloat(1.5f).writeDouble(-2.25);
}

void expectEveryScalar(BufferReader& r) {
  EXPECT_EQ(r.readByte(), -2);
  EXPECT_EQ(r.readUnsignedByte(), 200);
  EXPECT_EQ(r.readShort(), -3);
  EXPECT_EQ(r.readUnsignedShort(), 60000);
  EXPECT_EQ(r.readInt(), -4);
  EXPECT_EQ(r.readUnsignedInt(), 4000000000u);
  EXPECT_EQ(r.readLong(), -5);
  EXPECT_EQ(r.readUnsignedLong(), 18000000000000000000ull);
  EXPECT_EQ(r.readFloat(), 1.5f);
  EXPECT_EQ(r.readDouble(), -2.25);
}

}  // namespace

TEST(BufferWriter, EveryScalarMatchesThePerOpApiInBothOrders) {
  for (ByteOrder order : kOrders) {
    auto viaCursor = PlatformBuffer::allocate(kFields + 3, AllocationZone::Heap, order);
    auto viaOps = PlatformBuffer::allocate(kFields + 3, AllocationZone::Heap, order);
    viaCursor.position(3);
    viaOps.position(3);
    {
      BufferWriter w = viaCursor.writer(kFields);
      EXPECT_EQ(w.remaining(), kFields);
      writeEveryScalar(w);
      EXPECT_EQ(w.written(), kFields);
      EXPECT_EQ(w.remaining(), 0u);
      EXPECT_EQ(viaCursor.position(), 3u) << "the position moves at commit, not per write";
    }
    viaOps.writeByte(-2).writeUnsignedByte(200).writeShort(-3).writeUnsignedShort(60000).writeInt(-4);
    viaOps.writeUnsignedInt(4000000000u).writeLong(-5).writeUnsignedLong(18000000000000000000ull);
    viaOps.writeFloat(1.5f).writeDouble(-2.25);
    EXPECT_EQ(viaCursor.position(), 3 + kFields);
    EXPECT_EQ(std::vector<std::byte>(viaCursor.data() + 3, viaCursor.data() + 3 + kFields),
              std::vector<std::byte>(viaOps.data() + 3, viaOps.data() + 3 + kFields));
  }
}

TEST(BufferReader, EveryScalarReadsWhatTheWriterWrote) {
  for (ByteOrder order : kOrders) {
    auto b = PlatformBuffer::allocate(kFields, AllocationZone::Direct, order);
    {
      BufferWriter w = b.writer(kFields);
      writeEveryScalar(w);
    }
    b.resetForRead();
    {
      BufferReader r = b.reader(kFields);
      EXPECT_EQ(r.remaining(), kFields);
      expectEveryScalar(r);
      EXPECT_EQ(r.consumed(), kFields);
      EXPECT_EQ(b.position(), 0u);
    }
    EXPECT_EQ(b.position(), kFields);
    EXPECT_FALSE(b.hasRemaining());
  }
}

TEST(BufferWriter, BigEndianBytesAreNetworkOrder) {
  auto b = PlatformBuffer::allocate(6);
  {
    BufferWriter w = b.writer(6);
    w.writeShort(0x0102).writeInt(0x03040506);
  }
  const std::array<std::byte, 6> want{std::byte{1}, std::byte{2}, std::byte{3},
                                      std::byte{4}, std::byte{5}, std::byte{6}};
  EXPECT_EQ(std::vector<std::byte>(b.data(), b.data() + 6), std::vector<std::byte>(want.begin(), want.end()));
}

TEST(BufferCursor, TypedArraysAndBytesRoundTripInBothOrders) {
  const std::array<std::int16_t, 3> shorts{-1, 2, 0x1234};
  const std::array<std::int32_t, 5> ints{-1, 2, 0x12345678, 4, 5};  // a vector step and a scalar tail
  const std::array<std::int64_t, 3> longs{-1, 2, 0x123456789abcdef0};
  const std::array<float, 2> floats{1.5f, -0.0f};
  const std::array<double, 2> doubles{2.5, -1e300};
  const std::array<std::byte, 3> bytes{std::byte{9}, std::byte{8}, std::byte{7}};
  const std::array<std::uint8_t, 2> octets{6, 5};
  const std::size_t total = sizeof shorts + sizeof ints + sizeof longs + sizeof floats + sizeof doubles + 5;
  for (ByteOrder order : kOrders) {
    auto b = PlatformBuffer::allocate(total, AllocationZone::SharedMemory, order);
    {
      BufferWriter w = b.writer(total);
      w.writeShorts(shorts).writeInts(ints).writeLongs(longs).writeFloats(floats).writeDoubles(doubles);
      w.writeBytes(std::span<const std::byte>(bytes)).writeBytes(std::span<const std::uint8_t>(octets));
      EXPECT_EQ(w.remaining(), 0u);
    }
    // The per-op API reads the same values: the arrays went in this order.
    b.resetForRead();
    EXPECT_EQ(b.readShort(), -1);
    EXPECT_EQ(b.getInt(sizeof shorts + 8), 0x12345678);
    b.position(0);
    std::array<std::int16_t, 3> s{};
    std::array<std::int32_t, 5> i{};
    std::array<std::int64_t, 3> l{};
    std::array<float, 2> f{};
    std::array<double, 2> d{};
    {
      BufferReader r = b.reader(total);
      r.readShorts(s).readInts(i).readLongs(l).readFloats(f).readDoubles(d);
      const auto tail = r.readBytes(5);
      EXPECT_EQ(tail.data(), b.data() + total - 5) << "readBytes is a view, not a copy";
      EXPECT_EQ(tail[0], std::byte{9});
      EXPECT_EQ(tail[4], std::byte{5});
    }
    EXPECT_EQ(s, shorts);
    EXPECT_EQ(i, ints);
    EXPECT_EQ(l, longs);
    EXPECT_EQ(f, floats);
    EXPECT_EQ(d, doubles);
    EXPECT_EQ(b.position(), total);
  }
}

TEST(BufferCursor, EmptyArraysAndAnEmptyWindowAreFine) {
  PlatformBuffer empty;  // null data, zero capacity
  {
    BufferWriter w = empty.writer(0);
    w.writeInts({}).writeBytes(std::span<const std::byte>{});
    EXPECT_EQ(w.written(), 0u);
  }
  {
    BufferReader r = empty.reader(0);
    r.readInts({});
    EXPECT_EQ(r.readBytes(0).size(), 0u);
  }
  EXPECT_EQ(empty.position(), 0u);
}

TEST(BufferCursor, AWindowLargerThanRemainingIsATypedErrorThatChangesNothing) {
  auto b = PlatformBuffer::allocate(16);
  b.setLimit(12).position(4);
  expectErrorUnchanged<BufferOverflowError>(b, [&] { (void)b.writer(9); },
                                            {"writer needs 9 bytes but only 8 remain", "(position 4, limit 12)"});
  expectErrorUnchanged<BufferUnderflowError>(b, [&] { (void)b.reader(9); },
                                             {"reader needs 9 bytes but only 8 remain", "(position 4, limit 12)"});
  // Sizes that would wrap a pointer or a size_t are rejected the same way.
  for (std::size_t huge : {std::numeric_limits<std::size_t>::max(), PlatformBuffer::kMaxSize}) {
    expectErrorUnchanged<BufferOverflowError>(b, [&] { (void)b.writer(huge); }, {"writer needs"});
    expectErrorUnchanged<BufferUnderflowError>(b, [&] { (void)b.reader(huge); }, {"reader needs"});
  }
  // The exact fit works.
  { BufferWriter w = b.writer(8); }
  EXPECT_EQ(b.position(), 4u) << "nothing written, nothing committed";
}

TEST(BufferCursor, CommitPublishesWhatWasWrittenSoFarAndWritingGoesOn) {
  auto b = PlatformBuffer::allocate(16);
  b.position(2);
  {
    BufferWriter w = b.writer(12);
    w.writeInt(1);
    EXPECT_EQ(b.position(), 2u);
    w.commit();
    EXPECT_EQ(b.position(), 6u);
    w.commit();  // idempotent
    EXPECT_EQ(b.position(), 6u);
    w.writeShort(2);
    EXPECT_EQ(w.written(), 6u);
    EXPECT_EQ(w.remaining(), 6u);
  }
  EXPECT_EQ(b.position(), 8u) << "the destructor commits the rest";
  b.resetForRead();
  {
    BufferReader r = b.reader(8);
    (void)r.readShort();
    r.commit();
    EXPECT_EQ(b.position(), 2u);
    EXPECT_EQ(r.readInt(), 1);
  }
  EXPECT_EQ(b.position(), 6u);
  EXPECT_EQ(b.readShort(), 2);
}

// Documented choice (buffer_writer.hpp): an exception thrown by user code
// between two writes leaves what was written committed, as the same writes
// through the buffer's own API would have.
TEST(BufferCursor, AnExceptionBetweenWritesLeavesWhatWasWrittenCommitted) {
  auto b = PlatformBuffer::allocate(16);
  try {
    BufferWriter w = b.writer(16);
    w.writeInt(0x01020304).writeShort(0x0506);
    throw std::runtime_error("user code failed mid-record");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(b.position(), 6u);
  EXPECT_EQ(b.getInt(0), 0x01020304);
  EXPECT_EQ(b.getShort(4), 0x0506);

  b.resetForRead();
  try {
    BufferReader r = b.reader(6);
    (void)r.readInt();
    throw std::runtime_error("user code failed mid-record");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(b.position(), 4u);
  EXPECT_EQ(b.readShort(), 0x0506);
}

TEST(BufferCursor, AMovedFromCursorCommitsNothing) {
  auto b = PlatformBuffer::allocate(16);
  {
    BufferWriter first = b.writer(8);
    first.writeInt(7);
    BufferWriter second = std::move(first);
    EXPECT_EQ(first.remaining(), 0u);  // NOLINT(bugprone-use-after-move): the documented moved-from state
    second.writeInt(8);
    EXPECT_EQ(second.written(), 8u);
  }
  EXPECT_EQ(b.position(), 8u);
  EXPECT_EQ(b.getInt(4), 8);

  b.resetForRead();
  {
    BufferReader first = b.reader(8);
    EXPECT_EQ(first.readInt(), 7);
    BufferReader second(std::move(first));
    EXPECT_EQ(second.readInt(), 8);
  }
  EXPECT_EQ(b.position(), 8u);
}

TEST(BufferCursor, MoveAssignmentCommitsTheWindowItReplaces) {
  auto a = PlatformBuffer::allocate(8);
  auto c = PlatformBuffer::allocate(8);
  {
    BufferWriter w = a.writer(8);
    w.writeInt(1);
    BufferWriter other = c.writer(8);
    other.writeShort(2);
    w = std::move(other);  // commits a's 4 bytes, takes over c's window
    EXPECT_EQ(a.position(), 4u);
    w.writeShort(3);
  }
  EXPECT_EQ(a.position(), 4u);
  EXPECT_EQ(c.position(), 4u);
  EXPECT_EQ(c.getShort(2), 3);

  a.resetForRead();
  c.resetForRead();
  {
    BufferReader r = a.reader(4);
    (void)r.readShort();
    BufferReader other = c.reader(4);
    r = std::move(other);
    EXPECT_EQ(a.position(), 2u);
    EXPECT_EQ(r.readShort(), 2);
  }
  EXPECT_EQ(c.position(), 2u);
}

namespace {
// The user's harness: the buffer and the cursor both reached by reference.
[[gnu::noinline]] void writeRecord(BufferWriter& w, std::int32_t id) { w.writeUnsignedByte(1).writeInt(id).writeDouble(0.5); }
[[gnu::noinline]] std::int64_t recordsThrough(PlatformBuffer& b, int n) {
  b.resetForWrite();
  {
    BufferWriter w = b.writer(static_cast<std::size_t>(n) * 13);
    for (int i = 0; i < n; ++i) writeRecord(w, i);
  }
  b.resetForRead();
  BufferReader r = b.reader(b.remaining());
  std::int64_t sum = 0;
  for (int i = 0; i < n; ++i) {
    sum += r.readUnsignedByte();
    sum += r.readInt();
    sum += static_cast<std::int64_t>(r.readDouble() * 2);
  }
  return sum;
}
}  // namespace

TEST(BufferCursor, WorksThroughReferencesAndHelpers) {
  for (ByteOrder order : kOrders) {
    auto b = PlatformBuffer::allocate(13 * 10, AllocationZone::Heap, order);
    EXPECT_EQ(recordsThrough(b, 10), 10 + 45 + 10);
    EXPECT_EQ(b.position(), 130u);
  }
}

// Window exhaustion is the caller's bug: unchecked in release builds, a
// ZONEBUF_ASSERT abort in debug and sanitizer builds.
class BufferCursorDeathTest : public ::testing::Test {
 protected:
  void SetUp() override {
#if ZONEBUF_ASSERT_LEVEL == 0
    GTEST_SKIP() << "release build (ZONEBUF_ASSERT_LEVEL 0): the window is not checked per call";
#elif defined(__EMSCRIPTEN__)
    GTEST_SKIP() << "death tests are unavailable under node";
#else
    GTEST_FLAG_SET(death_test_style, "threadsafe");
#endif
  }
};

TEST_F(BufferCursorDeathTest, WritingPastTheWindowAsserts) {
#if GTEST_HAS_DEATH_TEST  // not under node: the statements below do not compile there
  auto b = PlatformBuffer::allocate(16);
  EXPECT_DEATH(
      {
        BufferWriter w = b.writer(6);
        w.writeInt(1).writeInt(2);
      },
      "BufferWriter: write past the window");
  const std::array<std::int16_t, 4> four{};
  EXPECT_DEATH(
      {
        BufferWriter w = b.writer(6);
        w.writeShorts(four);
      },
      "BufferWriter: array past the window");
#endif
}

TEST_F(BufferCursorDeathTest, ReadingPastTheWindowAsserts) {
#if GTEST_HAS_DEATH_TEST  // not under node: the statements below do not compile there
  auto b = PlatformBuffer::allocate(16);
  EXPECT_DEATH(
      {
        BufferReader r = b.reader(3);
        (void)r.readInt();
      },
      "BufferReader: read past the window");
  EXPECT_DEATH(
      {
        BufferReader r = b.reader(3);
        (void)r.readBytes(4);
      },
      "BufferReader: readBytes past the window");
  std::array<std::int16_t, 2> two{};
  EXPECT_DEATH(
      {
        BufferReader r = b.reader(3);
        r.readShorts(two);
      },
      "BufferReader: array past the window");
#endif
}

TEST_F(BufferCursorDeathTest, MovingTheBufferWhileACursorIsOpenAsserts) {
#if GTEST_HAS_DEATH_TEST  // not under node: the statements below do not compile there
  auto b = PlatformBuffer::allocate(16);
  EXPECT_DEATH(
      {
        BufferWriter w = b.writer(8);
        w.writeInt(1);
        b.writeInt(2);  // the buffer's own API while the window is open
      },
      "the buffer's position moved while a cursor");
#endif
}
