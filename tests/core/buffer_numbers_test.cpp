// PlatformBuffer n-byte integers, 24-bit mediums, LEB128/zigzag varints and
// the MQTT Variable Byte Integer, with every error path.
#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <vector>

#include "support/buffer_snapshot.hpp"
#include "zonebuf/zonebuf.hpp"

using namespace zonebuf;
using zonebuf::testing::expectErrorUnchanged;

namespace {

std::vector<std::uint8_t> written(PlatformBuffer& b) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i < b.position(); ++i) out.push_back(b.getUnsignedByte(i));
  return out;
}

TEST(BufferNumbers, EveryByteCountBothOrdersRoundTrips) {
  std::mt19937_64 rng(1);
  for (std::size_t n = 1; n <= 8; ++n) {
    for (ByteOrder order : {ByteOrder::BigEndian, ByteOrder::LittleEndian}) {
      for (int round = 0; round < 100; ++round) {
        const std::uint64_t u = n == 8 ? rng() : rng() & ((std::uint64_t{1} << (8 * n)) - 1);
        PlatformBuffer b = PlatformBuffer::allocate(16);
        b.writeUnsignedNumber(u, n, order);
        EXPECT_EQ(b.position(), n);
        b.resetForRead();
        EXPECT_EQ(b.readUnsignedNumber(n, order), u);
        b.position(0);
        const unsigned shift = static_cast<unsigned>(64 - 8 * n);
        const auto s = static_cast<std::int64_t>(u << shift) >> shift;
        EXPECT_EQ(b.readSignedNumber(n, order), s);
        b.resetForWrite().writeSignedNumber(s, n, order).resetForRead();
        EXPECT_EQ(b.readUnsignedNumber(n, order), u);
      }
    }
  }
}

TEST(BufferNumbers, ByteLayoutFollowsTheOrder) {
  PlatformBuffer b = PlatformBuffer::allocate(8);
  b.writeUnsignedNumber(0x010203, 3, ByteOrder::BigEndian);
  EXPECT_EQ(written(b), (std::vector<std::uint8_t>{1, 2, 3}));
  b.resetForWrite().writeUnsignedNumber(0x010203, 3, ByteOrder::LittleEndian);
  EXPECT_EQ(written(b), (std::vector<std::uint8_t>{3, 2, 1}));
  PlatformBuffer le = PlatformBuffer::allocate(8, AllocationZone::Heap, ByteOrder::LittleEndian);
  le.writeUnsignedNumber(0x0102, 2);  // the buffer's own order
  EXPECT_EQ(written(le), (std::vector<std::uint8_t>{2, 1}));
}

TEST(BufferNumbers, Mediums) {
  PlatformBuffer b = PlatformBuffer::allocate(12);
  b.writeMedium(-1).writeMedium(-8388608).writeUnsignedMedium(0xFFFFFF).writeMedium(8388607);
  b.resetForRead();
  EXPECT_EQ(b.readMedium(), -1);
  EXPECT_EQ(b.readMedium(), -8388608);
  EXPECT_EQ(b.readUnsignedMedium(), 0xFFFFFFu);
  EXPECT_EQ(b.readMedium(), 8388607);
  b.resetForWrite();
  expectErrorUnchanged<InvalidArgumentError>(b, [&] { b.writeMedium(8388608); }, {"8388608 does not fit in 3 bytes"});
  expectErrorUnchanged<InvalidArgumentError>(b, [&] { b.writeUnsignedMedium(0x1000000); }, {"does not fit in 3 bytes"});
}

TEST(BufferNumbers, ErrorsChangeNothing) {
  PlatformBuffer b = PlatformBuffer::allocate(8);
  b.position(6);
  for (std::size_t bad : {std::size_t{0}, std::size_t{9}, SIZE_MAX}) {
    expectErrorUnchanged<InvalidArgumentError>(b, [&] { (void)b.readUnsignedNumber(bad); }, {"byteCount", "1..8"});
    expectErrorUnchanged<InvalidArgumentError>(b, [&] { (void)b.readSignedNumber(bad); }, {"1..8"});
    expectErrorUnchanged<InvalidArgumentError>(b, [&] { b.writeUnsignedNumber(0, bad); }, {"1..8"});
    expectErrorUnchanged<InvalidArgumentError>(b, [&] { b.writeSignedNumber(0, bad); }, {"1..8"});
  }
  expectErrorUnchanged<BufferUnderflowError>(b, [&] { (void)b.readUnsignedNumber(3); }, {"readUnsignedNumber needs 3"});
  expectErrorUnchanged<BufferUnderflowError>(b, [&] { (void)b.readSignedNumber(3); }, {"readSignedNumber needs 3"});
  expectErrorUnchanged<BufferOverflowError>(b, [&] { b.writeUnsignedNumber(1, 3); }, {"writeUnsignedNumber needs 3"});
  expectErrorUnchanged<BufferOverflowError>(b, [&] { b.writeSignedNumber(1, 3); }, {"writeSignedNumber needs 3"});
  expectErrorUnchanged<InvalidArgumentError>(b, [&] { b.writeUnsignedNumber(256, 1); }, {"256 does not fit in 1 bytes"});
  expectErrorUnchanged<InvalidArgumentError>(b, [&] { b.writeSignedNumber(-129, 1); }, {"-129 does not fit"});
  expectErrorUnchanged<InvalidArgumentError>(b, [&] { b.writeSignedNumber(128, 1); }, {"128 does not fit"});
  b.writeSignedNumber(-128, 1).writeSignedNumber(127, 1);
}

TEST(BufferVarint, Leb128KnownEncodings) {
  PlatformBuffer b = PlatformBuffer::allocate(32);
  b.writeVarUInt(0).writeVarUInt(1).writeVarUInt(127).writeVarUInt(128).writeVarUInt(300);
  EXPECT_EQ(written(b), (std::vector<std::uint8_t>{0, 1, 0x7F, 0x80, 0x01, 0xAC, 0x02}));
  b.resetForWrite().writeVarUInt(std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(written(b), (std::vector<std::uint8_t>{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}));
  b.resetForWrite().writeVarInt(0).writeVarInt(-1).writeVarInt(1).writeVarInt(-2).writeVarInt(2147483647)
      .writeVarInt(-2147483648LL);
  b.resetForRead();
  EXPECT_EQ(b.readUnsignedByte(), 0);
  EXPECT_EQ(b.readUnsignedByte(), 1);
  EXPECT_EQ(b.readUnsignedByte(), 2);
  EXPECT_EQ(b.readUnsignedByte(), 3);
  EXPECT_EQ(b.readVarUInt(), 4294967294u);  // zigzag(INT32_MAX)
  EXPECT_EQ(b.readVarInt(), -2147483648LL);
}

TEST(BufferVarint, RoundTripsAndSizes) {
  std::mt19937_64 rng(2);
  PlatformBuffer b = PlatformBuffer::allocate(16);
  for (int round = 0; round < 2000; ++round) {
    const std::uint64_t u = rng() >> (rng() % 64);
    b.resetForWrite().writeVarUInt(u);
    EXPECT_EQ(b.position(), PlatformBuffer::varUIntSize(u));
    b.resetForRead();
    EXPECT_EQ(b.readVarUInt(), u);
    const auto s = static_cast<std::int64_t>(u);
    b.resetForWrite().writeVarInt(s).resetForRead();
    EXPECT_EQ(b.readVarInt(), s);
    EXPECT_EQ(b.remaining(), 0u);
  }
}

TEST(BufferVarint, TruncatedAndOverlongChangeNothing) {
  std::vector<std::byte> v{std::byte{0x80}, std::byte{0x80}};
  PlatformBuffer t = PlatformBuffer::wrap(v);
  expectErrorUnchanged<BufferUnderflowError>(t, [&] { (void)t.readVarUInt(); }, {"readVarUInt needs 3 bytes"});
  expectErrorUnchanged<BufferUnderflowError>(t, [&] { (void)t.readVarInt(); }, {"readVarUInt"});
  std::vector<std::byte> longer(11, std::byte{0x80});
  PlatformBuffer l = PlatformBuffer::wrap(longer);
  expectErrorUnchanged<InvalidArgumentError>(l, [&] { (void)l.readVarUInt(); }, {"longer than 10 bytes"});
  std::vector<std::byte> big(10, std::byte{0xFF});
  big[9] = std::byte{0x02};  // bit 64
  PlatformBuffer g = PlatformBuffer::wrap(big);
  expectErrorUnchanged<InvalidArgumentError>(g, [&] { (void)g.readVarUInt(); }, {"exceeds 64 bits"});
  PlatformBuffer small = PlatformBuffer::allocate(1);
  expectErrorUnchanged<BufferOverflowError>(small, [&] { small.writeVarUInt(128); }, {"writeVarUInt needs 2"});
  expectErrorUnchanged<BufferOverflowError>(small, [&] { small.writeVarInt(-65); }, {"writeVarUInt needs 2"});
}

TEST(BufferVbi, MqttExamplesAndBounds) {
  const std::vector<std::pair<std::uint32_t, std::vector<std::uint8_t>>> cases = {
      {0, {0x00}}, {127, {0x7F}}, {128, {0x80, 0x01}}, {16383, {0xFF, 0x7F}}, {16384, {0x80, 0x80, 0x01}},
      {2097151, {0xFF, 0xFF, 0x7F}}, {2097152, {0x80, 0x80, 0x80, 0x01}}, {268435455, {0xFF, 0xFF, 0xFF, 0x7F}}};
  for (const auto& [value, bytes] : cases) {
    PlatformBuffer b = PlatformBuffer::allocate(8);
    b.writeVariableByteInteger(value);
    EXPECT_EQ(written(b), bytes) << value;
    EXPECT_EQ(PlatformBuffer::variableByteIntegerSize(value), bytes.size());
    b.resetForRead();
    EXPECT_EQ(b.readVariableByteInteger(), value);
    EXPECT_EQ(b.remaining(), 0u);
  }
}

TEST(BufferVbi, ErrorsChangeNothing) {
  PlatformBuffer b = PlatformBuffer::allocate(8);
  expectErrorUnchanged<InvalidArgumentError>(b, [&] { b.writeVariableByteInteger(268435456); }, {"268435456", "maximum of 268435455"});
  EXPECT_THROW((void)PlatformBuffer::variableByteIntegerSize(268435456), InvalidArgumentError);
  std::vector<std::byte> five{std::byte{0x80}, std::byte{0x80}, std::byte{0x80}, std::byte{0x80}, std::byte{0x01}};
  PlatformBuffer f = PlatformBuffer::wrap(five);
  expectErrorUnchanged<InvalidArgumentError>(f, [&] { (void)f.readVariableByteInteger(); }, {"a fifth byte"});
  expectErrorUnchanged<InvalidArgumentError>(f, [&] { (void)f.readVariableByteInteger(TextPolicy::Lenient); }, {"fifth"});
  std::vector<std::byte> nonMinimal{std::byte{0x80}, std::byte{0x00}};
  PlatformBuffer n = PlatformBuffer::wrap(nonMinimal);
  expectErrorUnchanged<InvalidArgumentError>(n, [&] { (void)n.readVariableByteInteger(); }, {"non-minimal"});
  EXPECT_EQ(n.readVariableByteInteger(TextPolicy::Lenient), 0u);
  EXPECT_EQ(n.position(), 2u);
  std::vector<std::byte> cut{std::byte{0xFF}, std::byte{0xFF}};
  PlatformBuffer c = PlatformBuffer::wrap(cut);
  expectErrorUnchanged<BufferUnderflowError>(c, [&] { (void)c.readVariableByteInteger(); }, {"needs 3 bytes"});
  PlatformBuffer one = PlatformBuffer::allocate(1);
  expectErrorUnchanged<BufferOverflowError>(one, [&] { one.writeVariableByteInteger(128); }, {"needs 2"});
}

}  // namespace
