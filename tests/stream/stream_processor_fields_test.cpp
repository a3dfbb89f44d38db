// StreamProcessor fields across chunk boundaries: every width, at every
// offset, under every two-chunk split and under one-byte chunks, against
// PlatformBuffer's absolute reads over the same bytes.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <functional>

#include "stream/stream_test_support.hpp"

using namespace zonebuf;
using zonebuf::testing::expectStreamErrorUnchanged;
using zonebuf::testing::feed;

namespace {

constexpr std::size_t kLen = 20;

std::vector<std::byte> pattern() {
  std::vector<std::byte> v(kLen);
  for (std::size_t i = 0; i < kLen; ++i) v[i] = static_cast<std::byte>(0x81 + i * 37);
  return v;
}

// One field, read three ways: stream peek, stream read, buffer get.
struct Field {
  const char* name;
  std::size_t width;
  std::function<double(StreamProcessor&, std::size_t, ByteOrder)> peek;
  std::function<double(StreamProcessor&, ByteOrder)> read;
  std::function<double(PlatformBuffer&, std::size_t, ByteOrder)> get;
};

template <class T>
double asNumber(T v) {
  if constexpr (std::is_floating_point_v<T>) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof v);  // compare bit patterns: NaNs included
    return static_cast<double>(bits);
  } else {
    return static_cast<double>(v);
  }
}

std::vector<Field> fields() {
#define ZB_FIELD(Name, W)                                                                                   \
  Field{#Name, W, [](StreamProcessor& s, std::size_t o, ByteOrder b) { return asNumber(s.peek##Name(o, b)); }, \
        [](StreamProcessor& s, ByteOrder b) { return asNumber(s.read##Name(b)); },                         \
        [](PlatformBuffer& p, std::size_t i, ByteOrder b) { return asNumber(p.get##Name(i, b)); }}
  std::vector<Field> f = {
      Field{"Byte", 1, [](StreamProcessor& s, std::size_t o, ByteOrder) { return asNumber(s.peekByte(o)); },
            [](StreamProcessor& s, ByteOrder) { return asNumber(s.readByte()); },
            [](PlatformBuffer& p, std::size_t i, ByteOrder) { return asNumber(p.getByte(i)); }},
      Field{"UnsignedByte", 1,
            [](StreamProcessor& s, std::size_t o, ByteOrder) { return asNumber(s.peekUnsignedByte(o)); },
            [](StreamProcessor& s, ByteOrder) { return asNumber(s.readUnsignedByte()); },
            [](PlatformBuffer& p, std::size_t i, ByteOrder) { return asNumber(p.getUnsignedByte(i)); }},
      ZB_FIELD(Short, 2), ZB_FIELD(UnsignedShort, 2), ZB_FIELD(Int, 4), ZB_FIELD(UnsignedInt, 4),
      ZB_FIELD(Long, 8), ZB_FIELD(UnsignedLong, 8), ZB_FIELD(Float, 4), ZB_FIELD(Double, 8)};
#undef ZB_FIELD
  return f;
}

void checkAll(const std::vector<std::size_t>& sizes, const char* what) {
  BufferPool pool;
  auto bytes = pattern();
  PlatformBuffer flat = PlatformBuffer::wrap(bytes);
  for (const Field& f : fields()) {
    for (ByteOrder order : {ByteOrder::BigEndian, ByteOrder::LittleEndian}) {
      for (std::size_t offset = 0; offset + f.width <= kLen; ++offset) {
        StreamProcessor s(pool);
        feed(s, pool, bytes, sizes);
        ASSERT_EQ(f.peek(s, offset, order), f.get(flat, offset, order)) << what << " peek" << f.name << " @" << offset;
        s.skip(offset);
        ASSERT_EQ(f.peek(s, 0, order), f.get(flat, offset, order)) << what << " peek" << f.name;
        ASSERT_EQ(f.read(s, order), f.get(flat, offset, order)) << what << " read" << f.name << " @" << offset;
        ASSERT_EQ(s.available(), kLen - offset - f.width);
      }
    }
  }
}

TEST(StreamFields, EveryWidthAtEveryOffsetUnderEveryTwoChunkSplit) {
  for (std::size_t split = 1; split < kLen; ++split) {
    checkAll({split}, "two chunks");
  }
}

TEST(StreamFields, OneByteChunksAndThreeWaySplits) {
  checkAll(std::vector<std::size_t>(kLen, 1), "one-byte chunks");
  for (std::size_t a = 1; a < 9; ++a)
    for (std::size_t b = 1; b < 9; ++b) checkAll({a, b}, "three chunks");
}

TEST(StreamFields, DefaultOrderIsTheConfiguredOne) {
  BufferPool pool;
  auto bytes = pattern();
  PlatformBuffer flat = PlatformBuffer::wrap(bytes);
  StreamProcessor be(pool);
  StreamProcessor le(pool, StreamConfig{AllocationZone::Heap, ByteOrder::LittleEndian});
  feed(be, pool, bytes, {3});
  feed(le, pool, bytes, {3});
  EXPECT_EQ(be.peekInt(1), flat.getInt(1));
  EXPECT_EQ(le.peekInt(1), flat.getInt(1, ByteOrder::LittleEndian));
  EXPECT_EQ(be.readLong(), flat.getLong(0));
  EXPECT_EQ(le.readDouble(), flat.getDouble(0, ByteOrder::LittleEndian));
  EXPECT_EQ(be.byteOrder(), ByteOrder::BigEndian);
}

TEST(StreamFields, UnderflowConsumesNothingAtEveryWidth) {
  BufferPool pool;
  auto bytes = pattern();
  for (const Field& f : fields()) {
    StreamProcessor s(pool);
    std::vector<std::byte> few(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(f.width - 1));
    feed(s, pool, few, {1});
    const std::string name = f.name;
    expectStreamErrorUnchanged<BufferUnderflowError>(s, [&] { (void)f.read(s, ByteOrder::BigEndian); },
                                                     {("read" + name).c_str(), "needs", "are available"});
    expectStreamErrorUnchanged<BufferUnderflowError>(s, [&] { (void)f.peek(s, 0, ByteOrder::BigEndian); },
                                                     {("peek" + name).c_str()});
    expectStreamErrorUnchanged<BufferUnderflowError>(s, [&] { (void)f.peek(s, SIZE_MAX, ByteOrder::BigEndian); },
                                                     {("peek" + name).c_str()});
  }
  StreamProcessor empty(pool);
  expectStreamErrorUnchanged<BufferUnderflowError>(empty, [&] { (void)empty.readByte(); },
                                                   {"StreamProcessor::readByte needs 1 bytes but only 0"});
  expectStreamErrorUnchanged<BufferUnderflowError>(empty, [&] { empty.skip(1); }, {"skip needs 1"});
}

}  // namespace
