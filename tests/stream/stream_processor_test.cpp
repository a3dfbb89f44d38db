// StreamProcessor: appends, consumption and the pool, search across
// boundaries, readBuffer's three kinds, readInto, readString, stats.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "stream/stream_test_support.hpp"
#include "support/linear_arena_fixture.hpp"
#include "zonebuf/core/text_codec.hpp"

using namespace zonebuf;
using zonebuf::testing::expectStreamErrorUnchanged;
using zonebuf::testing::feed;
using zonebuf::testing::randomChunking;

namespace {

std::vector<std::byte> bytesOf(std::string_view s) {
  std::vector<std::byte> v(s.size());
  std::memcpy(v.data(), s.data(), s.size());
  return v;
}

std::vector<std::byte> randomBytes(std::mt19937& rng, std::size_t n, unsigned alphabet) {
  std::vector<std::byte> v(n);
  for (auto& b : v) b = static_cast<std::byte>(rng() % alphabet);
  return v;
}

TEST(StreamProcessor, AppendLeaseTakesItWithoutCopying) {
  BufferPool pool;
  StreamProcessor s(pool);
  PooledBuffer lease = pool.acquire(64);
  lease->writeInt(7).writeInt(8).resetForRead();
  const std::byte* where = lease->data();
  s.append(std::move(lease));
  EXPECT_FALSE(lease.active());
  EXPECT_EQ(s.available(), 8u);
  EXPECT_EQ(s.front().data(), where);
  EXPECT_EQ(s.stats().bytesCopiedIn, 0u);
  EXPECT_EQ(s.readInt(), 7);
  EXPECT_EQ(pool.stats().outstandingLeases, 1u);
  EXPECT_EQ(s.readInt(), 8);
  EXPECT_EQ(pool.stats().outstandingLeases, 0u);  // consumed: back to the pool at once
  EXPECT_EQ(s.stats().chunksReleased, 1u);
  EXPECT_TRUE(s.front().empty());
}

TEST(StreamProcessor, AppendRejectsAnEmptyLeaseAndReleasesAnEmptyRange) {
  BufferPool pool;
  StreamProcessor s(pool);
  PooledBuffer gone;
  expectStreamErrorUnchanged<InvalidArgumentError>(s, [&] { s.append(std::move(gone)); }, {"empty lease"});
  PooledBuffer nothing = pool.acquire(16);
  nothing->setLimit(0);
  s.append(std::move(nothing));
  EXPECT_EQ(s.available(), 0u);
  EXPECT_EQ(s.stats().chunks, 0u);
  EXPECT_EQ(pool.stats().outstandingLeases, 0u);
  EXPECT_THROW(StreamProcessor(pool, StreamConfig{AllocationZone::Heap, ByteOrder::BigEndian, 0}), InvalidArgumentError);
}

TEST(StreamProcessor, AppendSpanCopiesIntoPooledLeasesFillingTheLastOne) {
  BufferPool pool;
  StreamProcessor s(pool, StreamConfig{AllocationZone::Heap, ByteOrder::BigEndian, 64});
  std::mt19937 rng(1);
  auto data = randomBytes(rng, 300, 256);
  s.append(std::span(data).first(10));
  s.append(std::span(data).subspan(10, 50));  // fits in the first lease's room
  EXPECT_EQ(s.stats().chunks, 1u);
  s.append(std::span(data).subspan(60));
  EXPECT_EQ(s.available(), 300u);
  EXPECT_EQ(s.stats().bytesCopiedIn, 300u);
  EXPECT_EQ(s.stats().chunks, 5u);  // 64-byte leases
  auto all = s.readBuffer(300);
  EXPECT_TRUE(std::equal(data.begin(), data.end(), all->data()));
}

TEST(StreamProcessor, SkipReleasesWholeChunks) {
  BufferPool pool;
  StreamProcessor s(pool);
  std::mt19937 rng(2);
  auto data = randomBytes(rng, 100, 256);
  feed(s, pool, data, {10, 10, 10, 70});
  EXPECT_EQ(pool.stats().outstandingLeases, 4u);
  s.skip(25);
  EXPECT_EQ(pool.stats().outstandingLeases, 2u);
  EXPECT_EQ(s.readUnsignedByte(), std::to_integer<std::uint8_t>(data[25]));
  expectStreamErrorUnchanged<BufferUnderflowError>(s, [&] { s.skip(75); }, {"skip needs 75", "only 74"});
  s.clear();
  EXPECT_EQ(pool.stats().outstandingLeases, 0u);
  EXPECT_EQ(s.available(), 0u);
}

TEST(StreamProcessor, IndexOfAcrossBoundariesMatchesFlatSearch) {
  BufferPool pool;
  std::mt19937 rng(3);
  for (int round = 0; round < 400; ++round) {
    auto data = randomBytes(rng, 1 + rng() % 200, 3);
    StreamProcessor s(pool);
    feed(s, pool, data, randomChunking(rng, data.size(), 1 + rng() % 20));
    PlatformBuffer flat = PlatformBuffer::wrap(data);
    const std::size_t from = rng() % (data.size() + 2);
    const auto v = static_cast<std::uint8_t>(rng() % 3);
    flat.position(std::min(from, data.size()));
    const std::size_t wantByte = from > data.size() ? PlatformBuffer::npos : flat.indexOf(v);
    ASSERT_EQ(s.indexOf(v, from), wantByte) << round;
    auto pat = randomBytes(rng, rng() % 7, 3);
    const std::size_t wantPat = from > data.size() ? PlatformBuffer::npos : flat.indexOf(std::span<const std::byte>(pat));
    ASSERT_EQ(s.indexOf(std::span<const std::byte>(pat), from), wantPat) << round << " m=" << pat.size();
  }
}

TEST(StreamProcessor, IndexOfFindsAHeaderEndSplitAtEveryPoint) {
  BufferPool pool;
  const std::string req = "GET /chat HTTP/1.1\r\nHost: x\r\n\r\n";
  auto data = bytesOf(req);
  for (std::size_t a = 1; a < data.size(); ++a) {
    for (std::size_t b = 1; a + b < data.size(); b += 3) {
      StreamProcessor s(pool);
      feed(s, pool, data, {a, b});
      ASSERT_EQ(s.indexOf(std::string_view("\r\n\r\n")), req.size() - 4);
      ASSERT_EQ(s.indexOf(std::byte{'H'}), 10u);
      ASSERT_EQ(s.indexOf(std::string_view("\r\n\r\n\r")), StreamProcessor::npos);
    }
  }
}

TEST(StreamProcessor, ReadBufferIsAViewAChunkOrAnAssembledLease) {
  BufferPool pool;
  StreamProcessor s(pool);
  std::mt19937 rng(4);
  auto data = randomBytes(rng, 40, 256);
  feed(s, pool, data, {16, 8, 16});
  StreamBuffer view = s.readBuffer(10);
  EXPECT_EQ(view.kind(), StreamBuffer::Kind::View);
  EXPECT_EQ(view->data(), s.front().data() - 10);
  StreamBuffer chunk = s.readBuffer(6);  // ends the first chunk: its lease moves along
  EXPECT_EQ(chunk.kind(), StreamBuffer::Kind::Chunk);
  EXPECT_EQ(pool.stats().outstandingLeases, 3u);
  StreamBuffer joined = s.readBuffer(20);  // 8 + 12 of the next
  EXPECT_EQ(joined.kind(), StreamBuffer::Kind::Assembled);
  EXPECT_TRUE(joined.copied());
  EXPECT_EQ(s.stats().bytesAssembled, 20u);
  EXPECT_EQ(s.stats().assembledLeases, 1u);
  EXPECT_TRUE(std::equal(data.begin(), data.begin() + 10, view->data()));
  EXPECT_TRUE(std::equal(data.begin() + 10, data.begin() + 16, chunk->data()));
  EXPECT_TRUE(std::equal(data.begin() + 16, data.begin() + 36, joined->data()));
  EXPECT_EQ(joined->remaining(), 20u);
  EXPECT_EQ(joined.size(), 20u);
  chunk = StreamBuffer();
  EXPECT_EQ(pool.stats().outstandingLeases, 2u);  // the last chunk + the assembled lease
  StreamBuffer none = s.readBuffer(0);
  EXPECT_EQ(none.size(), 0u);
  expectStreamErrorUnchanged<BufferUnderflowError>(s, [&] { (void)s.readBuffer(5); }, {"readBuffer needs 5", "only 4"});
}

TEST(StreamProcessor, ReadIntoCopiesAcrossChunks) {
  BufferPool pool;
  StreamProcessor s(pool);
  std::mt19937 rng(5);
  auto data = randomBytes(rng, 50, 256);
  feed(s, pool, data, {7, 7, 7});
  PlatformBuffer dst = PlatformBuffer::allocate(60);
  dst.position(2);
  s.readInto(dst, 30);
  EXPECT_EQ(dst.position(), 32u);
  EXPECT_TRUE(std::equal(data.begin(), data.begin() + 30, dst.data() + 2));
  PlatformBuffer small = PlatformBuffer::allocate(4);
  expectStreamErrorUnchanged<BufferOverflowError>(s, [&] { s.readInto(small, 5); }, {"readInto needs 5"});
  EXPECT_EQ(small.position(), 0u);
  expectStreamErrorUnchanged<BufferUnderflowError>(s, [&] { s.readInto(dst, 21); }, {"readInto needs 21"});
}

TEST(StreamProcessor, ReadStringAcrossChunksEqualsTheWholeBufferDecode) {
  BufferPool pool;
  const std::string text = "h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80 end";
  auto data = bytesOf(text);
  for (Charset cs : {Charset::Utf8, Charset::Latin1, Charset::Utf16LittleEndian}) {
    const std::string whole = text::decode(data, cs, TextPolicy::Lenient);
    for (std::size_t split = 1; split < data.size(); ++split) {
      StreamProcessor s(pool);
      feed(s, pool, data, {split});
      ASSERT_EQ(s.readString(data.size(), cs), whole) << split;
      EXPECT_EQ(s.available(), 0u);
    }
  }
}

TEST(StreamProcessor, ReadStringStrictErrorConsumesNothing) {
  BufferPool pool;
  StreamProcessor s(pool);
  auto data = bytesOf("ok\xE2\x82");
  feed(s, pool, data, {3});
  expectStreamErrorUnchanged<MalformedTextError>(s, [&] { (void)s.readString(4, Charset::Utf8, TextPolicy::Strict); }, {});
  expectStreamErrorUnchanged<BufferUnderflowError>(s, [&] { (void)s.readString(5); }, {"readString needs 5"});
  EXPECT_EQ(s.readString(4), "ok\xEF\xBF\xBD");
  EXPECT_EQ(pool.stats().outstandingLeases, 0u);
}

TEST(StreamProcessor, StatsToJsonAndRingGrowth) {
  BufferPool pool;
  StreamProcessor s(pool);
  std::vector<std::byte> data(100, std::byte{1});
  feed(s, pool, data, std::vector<std::size_t>(100, 1));  // 100 chunks: the ring grows past 8
  EXPECT_EQ(s.stats().chunks, 100u);
  EXPECT_EQ(s.stats().bytesHeld, 100u);
  s.skip(99);
  EXPECT_EQ(s.stats().toJson(),
            "{\"chunks\":1,\"bytesHeld\":1,\"chunksAppended\":100,\"chunksReleased\":99,\"bytesCopiedIn\":0,"
            "\"bytesAssembled\":0,\"assembledLeases\":0}");
  feed(s, pool, data, std::vector<std::size_t>(100, 1));  // wraps around the ring
  EXPECT_EQ(s.available(), 101u);
  s.skip(101);
  EXPECT_EQ(pool.stats().outstandingLeases, 0u);
}

}  // namespace

namespace {

// A zero-byte read of an empty stream once looped forever (gather had no
// chunk to start in); ws_echo met it with an empty ping.
TEST(StreamProcessor, ZeroByteOperationsOnAnEmptyStream) {
  BufferPool pool;
  StreamProcessor s(pool);
  PlatformBuffer dst = PlatformBuffer::allocate(4);
  s.readInto(dst, 0);
  EXPECT_EQ(dst.position(), 0u);
  EXPECT_EQ(s.readBuffer(0).size(), 0u);
  EXPECT_EQ(s.readString(0), "");
  s.skip(0);
  EXPECT_EQ(s.indexOf(std::string_view("")), 0u);
  EXPECT_EQ(s.indexOf(std::uint8_t{0}), StreamProcessor::npos);
  std::vector<std::byte> one{std::byte{1}};
  feed(s, pool, one, {1});
  s.skip(1);
  s.readInto(dst, 0);  // every chunk consumed and released
  EXPECT_EQ(s.available(), 0u);
}

}  // namespace

namespace {

TEST(StreamProcessor, MoveLeavesAnEmptyUsableStream) {
  BufferPool pool;
  StreamProcessor a(pool);
  std::vector<std::byte> data(10, std::byte{3});
  feed(a, pool, data, {4});
  StreamProcessor b(std::move(a));
  EXPECT_EQ(b.available(), 10u);
  EXPECT_EQ(a.available(), 0u);  // NOLINT(bugprone-use-after-move): documented state
  feed(a, pool, data, {5});
  EXPECT_EQ(a.readUnsignedByte(), 3);
  EXPECT_EQ(b.readUnsignedInt(), 0x03030303u);
}

}  // namespace

// append(span) that runs the zone dry half-way: the leases it took go back,
// the last chunk's size is restored, and the stream reads what it held before.
class StreamProcessorOutOfMemory : public zonebuf::testing::LinearArenaTest {};

TEST_F(StreamProcessorOutOfMemory, AppendSpanRollsBackEveryLeaseItTook) {
  LinearMemoryAllocator::configure(1, 2);  // a 2 MiB ceiling
  BufferPool pool;
  StreamProcessor s(pool, StreamConfig{AllocationZone::Direct, ByteOrder::BigEndian, 64 * 1024});
  std::mt19937 rng(3);
  const auto head = randomBytes(rng, 1000, 256);
  s.append(head);  // one 64 KiB lease, 1000 bytes used: the next append fills its room first
  const StreamStats before = s.stats();
  const PoolStats poolBefore = pool.stats();
  const std::size_t usedBefore = LinearMemoryAllocator::stats().used;

  const auto tooMuch = randomBytes(rng, 4u << 20, 256);
  try {
    s.append(tooMuch);
    FAIL() << "4 MiB fit in a 2 MiB arena";
  } catch (const OutOfMemoryError& e) {
    EXPECT_NE(std::string(e.what()).find("Direct"), std::string::npos) << e.what();
  }
  const StreamStats after = s.stats();
  EXPECT_EQ(s.available(), head.size());
  EXPECT_EQ(after.chunks, before.chunks);
  EXPECT_EQ(after.bytesHeld, before.bytesHeld);
  EXPECT_EQ(after.chunksAppended, before.chunksAppended);
  EXPECT_EQ(after.bytesCopiedIn, before.bytesCopiedIn);
  EXPECT_EQ(pool.stats().outstandingLeases, poolBefore.outstandingLeases);
  // The leases it took are idle in the pool or back in the arena, not leaked.
  EXPECT_LE(LinearMemoryAllocator::stats().used - usedBefore, pool.stats().retainedBytes);

  // The stream still works: its bytes are intact and a later append fills the same lease.
  const auto tail = randomBytes(rng, 100, 256);
  s.append(tail);
  EXPECT_EQ(s.stats().chunks, 1u);
  auto all = s.readBuffer(head.size() + tail.size());
  EXPECT_TRUE(std::equal(head.begin(), head.end(), all->data()));
  EXPECT_TRUE(std::equal(tail.begin(), tail.end(), all->data() + head.size()));
}
