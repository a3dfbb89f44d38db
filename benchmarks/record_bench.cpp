// W5 record: 64 records of (u8, u16, i32, i64, f64, i32) = 27 bytes each
// written, then read back and folded into a checksum. One op = one field
// written or read: 64 * 12 = 768 ops per iteration (items_per_second).
//
// record/raw/<order>: the same records on a raw pointer (memcpy + byte swap
// per field, left to the optimiser) — the yardstick.
// record/per_op/<zone>/<order>: writeUnsignedByte ... readInt on the buffer.
// record/cursor/<zone>/<order>: the same through buffer.writer(n) / reader(n).
// API kernels are the user's harness: noinline, buffer reached through a
// PlatformBuffer&.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "support/registry.hpp"
#include "zonebuf/zonebuf.hpp"

namespace zonebuf::bench {
namespace {

constexpr std::size_t kRecords = 64;
constexpr std::size_t kRecordBytes = 1 + 2 + 4 + 8 + 8 + 4;
constexpr std::size_t kBytes = kRecords * kRecordBytes;
constexpr std::int64_t kOpsPerIteration = kRecords * 12;

// Field values of record i: cheap to compute, different per field.
struct Fields {
  std::uint8_t u8;
  std::uint16_t u16;
  std::int32_t a;
  std::int64_t l;
  double d;
  std::int32_t b;
};
[[gnu::always_inline]] inline Fields fieldsOf(std::int32_t seed, std::size_t i) {
  const auto k = static_cast<std::int32_t>(i);
  return {static_cast<std::uint8_t>(i), static_cast<std::uint16_t>(i * 3), seed + k,
          static_cast<std::int64_t>(seed) * (k + 1), static_cast<double>(k) * 0.5, seed ^ k};
}
[[gnu::always_inline]] inline std::uint64_t fold(std::uint64_t acc, const Fields& f) {
  acc += f.u8 + f.u16 + static_cast<std::uint32_t>(f.a);
  acc ^= static_cast<std::uint64_t>(f.l);
  acc += detail::bitCast<std::uint64_t>(f.d);
  return acc + static_cast<std::uint32_t>(f.b);
}

// ---- raw pointer yardstick ----------------------------------------------------

template <class T, bool Swap>
[[gnu::always_inline]] inline std::byte* put(std::byte* p, T v) {
  auto bits = detail::bitCast<detail::UnsignedOfSize<T>>(v);
  if constexpr (Swap) bits = detail::byteSwap(bits);
  std::memcpy(p, &bits, sizeof bits);
  return p + sizeof bits;
}
template <class T, bool Swap>
[[gnu::always_inline]] inline T take(const std::byte*& p) {
  detail::UnsignedOfSize<T> bits;
  std::memcpy(&bits, p, sizeof bits);
  p += sizeof bits;
  if constexpr (Swap) bits = detail::byteSwap(bits);
  return detail::bitCast<T>(bits);
}

template <bool Swap>
[[gnu::noinline]] std::uint64_t rawRecords(std::byte* base, std::int32_t seed) {
  std::byte* p = base;
  for (std::size_t i = 0; i < kRecords; ++i) {
    const Fields f = fieldsOf(seed, i);
    p = put<std::uint8_t, Swap>(p, f.u8);
    p = put<std::uint16_t, Swap>(p, f.u16);
    p = put<std::int32_t, Swap>(p, f.a);
    p = put<std::int64_t, Swap>(p, f.l);
    p = put<double, Swap>(p, f.d);
    p = put<std::int32_t, Swap>(p, f.b);
  }
  benchmark::ClobberMemory();
  const std::byte* q = base;
  std::uint64_t acc = 0;
  for (std::size_t i = 0; i < kRecords; ++i) {
    Fields f;
    f.u8 = take<std::uint8_t, Swap>(q);
    f.u16 = take<std::uint16_t, Swap>(q);
    f.a = take<std::int32_t, Swap>(q);
    f.l = take<std::int64_t, Swap>(q);
    f.d = take<double, Swap>(q);
    f.b = take<std::int32_t, Swap>(q);
    acc = fold(acc, f);
  }
  return acc;
}

// ---- the API -------------------------------------------------------------------

[[gnu::noinline]] std::uint64_t apiPerOp(PlatformBuffer& buf, std::int32_t seed) {
  buf.resetForWrite();
  for (std::size_t i = 0; i < kRecords; ++i) {
    const Fields f = fieldsOf(seed, i);
    buf.writeUnsignedByte(f.u8).writeUnsignedShort(f.u16).writeInt(f.a).writeLong(f.l).writeDouble(f.d).writeInt(f.b);
  }
  buf.resetForRead();
  benchmark::ClobberMemory();
  std::uint64_t acc = 0;
  for (std::size_t i = 0; i < kRecords; ++i) {
    Fields f;
    f.u8 = buf.readUnsignedByte();
    f.u16 = buf.readUnsignedShort();
    f.a = buf.readInt();
    f.l = buf.readLong();
    f.d = buf.readDouble();
    f.b = buf.readInt();
    acc = fold(acc, f);
  }
  return acc;
}

[[gnu::noinline]] std::uint64_t apiCursor(PlatformBuffer& buf, std::int32_t seed) {
  buf.resetForWrite();
  {
    BufferWriter w = buf.writer(kBytes);
    for (std::size_t i = 0; i < kRecords; ++i) {
      const Fields f = fieldsOf(seed, i);
      w.writeUnsignedByte(f.u8).writeUnsignedShort(f.u16).writeInt(f.a).writeLong(f.l).writeDouble(f.d).writeInt(f.b);
    }
  }
  buf.resetForRead();
  benchmark::ClobberMemory();
  std::uint64_t acc = 0;
  BufferReader r = buf.reader(kBytes);
  for (std::size_t i = 0; i < kRecords; ++i) {
    Fields f;
    f.u8 = r.readUnsignedByte();
    f.u16 = r.readUnsignedShort();
    f.a = r.readInt();
    f.l = r.readLong();
    f.d = r.readDouble();
    f.b = r.readInt();
    acc = fold(acc, f);
  }
  return acc;
}

// ---- benchmarks ------------------------------------------------------------------

template <std::uint64_t (*Kernel)(PlatformBuffer&, std::int32_t)>
void api(benchmark::State& state, AllocationZone zone, ByteOrder order) {
  PlatformBuffer buf = PlatformBuffer::allocate(kBytes, zone, order);
  std::int32_t seed = 1;
  for (auto _ : state) benchmark::DoNotOptimize(Kernel(buf, seed++));
  state.SetItemsProcessed(state.iterations() * kOpsPerIteration);
}

// Over a Heap buffer's memory, so placement matches the API rows.
void raw(benchmark::State& state, ByteOrder order) {
  PlatformBuffer buf = PlatformBuffer::allocate(kBytes, AllocationZone::Heap);
  const bool swap = order != kNativeByteOrder;
  std::int32_t seed = 1;
  for (auto _ : state) {
    benchmark::DoNotOptimize(swap ? rawRecords<true>(buf.data(), seed) : rawRecords<false>(buf.data(), seed));
    ++seed;
  }
  state.SetItemsProcessed(state.iterations() * kOpsPerIteration);
}

ZB_BENCH_REGISTRATION {
  for (ByteOrder order : kBothOrders) {
    const std::string o(orderName(order));
    add("record/raw/" + o, &raw, order);
    for (AllocationZone zone : kAllZones) {
      const std::string z(zoneName(zone));
      add("record/per_op/" + z + "/" + o, &api<apiPerOp>, zone, order);
      add("record/cursor/" + z + "/" + o, &api<apiCursor>, zone, order);
    }
  }
}

}  // namespace
}  // namespace zonebuf::bench
