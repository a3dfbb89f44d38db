// W1 primitive: 256 Int values written with relative writes into a 1 KiB
// buffer, resetForRead(), read back. One op = one write or one read, so each
// iteration is 512 ops (reported as items_per_second). Variants: per_op
// (writeInt/readInt), per_op_view (the same through a checked view of the
// buffer), abs_op (setInt/getInt), cursor (writer(n)/reader(n)), bulk
// (writeInts/readInts).
// Every API kernel is the user's harness: a noinline function that reaches
// the buffer through a PlatformBuffer& it was given.
//
// Baselines in the same binary: the physical limits of the same work on a raw
// pointer — one bswap + store per element kept scalar (the per-op API's
// yardstick) and the same loop vectorised (the bulk API's yardstick).
//
// Harness rule: the kernels are noinline and escape memory with
// ClobberMemory() and results with DoNotOptimize(value). Never
// DoNotOptimize(pointer) inside a hot loop — clang then pins the pointer on
// the stack and reloads it on every store (a WASM W1 loop ran 6x slow).
#include <benchmark/benchmark.h>

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>

#include "support/codegen.hpp"
#include "support/registry.hpp"
#include "zonebuf/zonebuf.hpp"

namespace zonebuf::bench {
namespace {

constexpr std::size_t kInts = 256;
constexpr std::size_t kBytes = kInts * sizeof(std::int32_t);
constexpr std::int64_t kOpsPerIteration = 2 * kInts;

using Ints = std::array<std::int32_t, kInts>;

// ---- kernels (one write phase + one read phase each) -----------------------

[[gnu::noinline]] std::int32_t apiPerOp(PlatformBuffer& buf, std::int32_t seed) {
  buf.resetForWrite();
  for (std::size_t i = 0; i < kInts; ++i) buf.writeInt(seed + static_cast<std::int32_t>(i));
  buf.resetForRead();
  benchmark::ClobberMemory();  // the reads must load what the writes stored
  std::int32_t sum = 0;
  for (std::size_t i = 0; i < kInts; ++i) sum += buf.readInt();
  return sum;
}

// The checked-once cursor: one check per phase, then the same loops as
// apiPerOp through unchecked writeInt / readInt. Whether they vectorise is up
// to the optimiser, as in user code; the yardstick is rawVectorOps.
[[gnu::noinline]] std::int32_t apiCursor(PlatformBuffer& buf, std::int32_t seed) {
  buf.resetForWrite();
  {
    BufferWriter w = buf.writer(kBytes);
    auto v = static_cast<std::uint32_t>(seed);  // a 32-bit counter: 4 lanes, not 2 x 64-bit
    for (std::size_t i = 0; i < kInts; ++i) w.writeInt(static_cast<std::int32_t>(v++));
  }
  buf.resetForRead();
  benchmark::ClobberMemory();
  BufferReader r = buf.reader(kBytes);
  std::int32_t sum = 0;
  for (std::size_t i = 0; i < kInts; ++i) sum += r.readInt();
  return sum;
}

// Absolute access: setInt(i * 4) then getInt(i * 4); position untouched.
[[gnu::noinline]] std::int32_t apiAbsolute(PlatformBuffer& buf, std::int32_t seed) {
  for (std::size_t i = 0; i < kInts; ++i) buf.setInt(i * 4, seed + static_cast<std::int32_t>(i));
  benchmark::ClobberMemory();
  std::int32_t sum = 0;
  for (std::size_t i = 0; i < kInts; ++i) sum += buf.getInt(i * 4);
  return sum;
}

[[gnu::noinline]] void apiBulk(PlatformBuffer& buf, const Ints& in, Ints& out) {
  buf.resetForWrite();
  buf.writeInts(in);
  buf.resetForRead();
  benchmark::ClobberMemory();
  buf.readInts(out);
  benchmark::ClobberMemory();
}

inline std::uint32_t toOrder(std::uint32_t v, bool swap) { return swap ? __builtin_bswap32(v) : v; }

template <bool Swap>
[[gnu::noinline]] ZB_SCALAR_FUNCTION std::int32_t rawScalar(std::byte* p, std::int32_t seed) {
  ZB_SCALAR_LOOP
  for (std::size_t i = 0; i < kInts; ++i) {
    const std::uint32_t v = toOrder(static_cast<std::uint32_t>(seed) + static_cast<std::uint32_t>(i), Swap);
    std::memcpy(p + i * 4, &v, 4);
  }
  benchmark::ClobberMemory();
  std::uint32_t sum = 0;
  ZB_SCALAR_LOOP
  for (std::size_t i = 0; i < kInts; ++i) {
    std::uint32_t v;
    std::memcpy(&v, p + i * 4, 4);
    sum += toOrder(v, Swap);
  }
  return static_cast<std::int32_t>(sum);
}

// Written with vector extensions rather than left to the auto-vectoriser:
// g++ 12 keeps a __builtin_bswap32 loop scalar on baseline x86-64 (it only
// vectorises byte swaps with SSSE3's pshufb), so "the same loop vectorised"
// must be spelled out to be a real physical limit. SSE2 does the swap with
// shifts and masks; clang turns the same expression into one i8x16.shuffle
// in WASM (see docs/benchmarks.md).
using U32x4 = std::uint32_t __attribute__((vector_size(16)));

inline U32x4 toOrder(U32x4 v, bool swap) {
  if (!swap) return v;
  return (v << 24) | ((v & 0xff00u) << 8) | ((v >> 8) & 0xff00u) | (v >> 24);
}

template <bool Swap>
[[gnu::noinline]] void rawVector(std::byte* __restrict p, const Ints& in, Ints& out) {
  const std::int32_t* __restrict src = in.data();
  std::int32_t* __restrict dst = out.data();
  constexpr std::size_t kLanes = sizeof(U32x4) / sizeof(std::int32_t);
  for (std::size_t i = 0; i < kInts; i += kLanes) {
    U32x4 v;
    std::memcpy(&v, src + i, sizeof v);
    v = toOrder(v, Swap);
    std::memcpy(p + i * 4, &v, sizeof v);
  }
  benchmark::ClobberMemory();
  for (std::size_t i = 0; i < kInts; i += kLanes) {
    U32x4 v;
    std::memcpy(&v, p + i * 4, sizeof v);
    v = toOrder(v, Swap);
    std::memcpy(dst + i, &v, sizeof v);
  }
  benchmark::ClobberMemory();
}

// rawScalar's work (write seed + i, read and sum) as a 4-lane loop: the
// yardstick of the cursor, whose per-field loops the optimiser may vectorise.
template <bool Swap>
[[gnu::noinline]] std::int32_t rawVectorOps(std::byte* __restrict p, std::int32_t seed) {
  const auto s = static_cast<std::uint32_t>(seed);
  U32x4 v = {s, s + 1, s + 2, s + 3};
  const U32x4 step = {4, 4, 4, 4};
  constexpr std::size_t kLanes = sizeof(U32x4) / sizeof(std::int32_t);
  for (std::size_t i = 0; i < kInts; i += kLanes) {
    const U32x4 o = toOrder(v, Swap);
    std::memcpy(p + i * 4, &o, sizeof o);
    v += step;
  }
  benchmark::ClobberMemory();
  U32x4 acc = {0, 0, 0, 0};
  for (std::size_t i = 0; i < kInts; i += kLanes) {
    U32x4 x;
    std::memcpy(&x, p + i * 4, sizeof x);
    acc += toOrder(x, Swap);
  }
  return static_cast<std::int32_t>(acc[0] + acc[1] + acc[2] + acc[3]);
}

// ---- benchmarks --------------------------------------------------------------

void perOp(benchmark::State& state, AllocationZone zone, ByteOrder order) {
  PlatformBuffer buf = PlatformBuffer::allocate(kBytes, zone, order);
  std::int32_t seed = 1;
  for (auto _ : state) benchmark::DoNotOptimize(apiPerOp(buf, seed++));
  state.SetItemsProcessed(state.iterations() * kOpsPerIteration);
}

// apiPerOp through a checked view (slice() of the whole owned buffer, which
// stays alive): each op also compares the view's generation with its slot's
// (detail/view_guard.hpp). Its baseline is perOp on the owner, same run.
void perOpView(benchmark::State& state, AllocationZone zone, ByteOrder order) {
  PlatformBuffer owner = PlatformBuffer::allocate(kBytes, zone, order);
  PlatformBuffer view = owner.slice();
  std::int32_t seed = 1;
  for (auto _ : state) benchmark::DoNotOptimize(apiPerOp(view, seed++));
  state.SetItemsProcessed(state.iterations() * kOpsPerIteration);
}

void cursor(benchmark::State& state, AllocationZone zone, ByteOrder order) {
  PlatformBuffer buf = PlatformBuffer::allocate(kBytes, zone, order);
  std::int32_t seed = 1;
  for (auto _ : state) benchmark::DoNotOptimize(apiCursor(buf, seed++));
  state.SetItemsProcessed(state.iterations() * kOpsPerIteration);
}

void absolute(benchmark::State& state, AllocationZone zone, ByteOrder order) {
  PlatformBuffer buf = PlatformBuffer::allocate(kBytes, zone, order);
  std::int32_t seed = 1;
  for (auto _ : state) benchmark::DoNotOptimize(apiAbsolute(buf, seed++));
  state.SetItemsProcessed(state.iterations() * kOpsPerIteration);
}

void bulk(benchmark::State& state, AllocationZone zone, ByteOrder order) {
  PlatformBuffer buf = PlatformBuffer::allocate(kBytes, zone, order);
  Ints in{}, out{};
  for (std::size_t i = 0; i < kInts; ++i) in[i] = static_cast<std::int32_t>(i * 2654435761u);
  for (auto _ : state) apiBulk(buf, in, out);
  benchmark::DoNotOptimize(out);
  state.SetItemsProcessed(state.iterations() * kOpsPerIteration);
}

// The raw loops run over a Heap buffer's memory, so placement matches the API.
void scalarBaseline(benchmark::State& state, ByteOrder order) {
  PlatformBuffer buf = PlatformBuffer::allocate(kBytes, AllocationZone::Heap);
  const bool swap = order != kNativeByteOrder;
  std::int32_t seed = 1;
  for (auto _ : state) {
    benchmark::DoNotOptimize(swap ? rawScalar<true>(buf.data(), seed) : rawScalar<false>(buf.data(), seed));
    ++seed;
  }
  state.SetItemsProcessed(state.iterations() * kOpsPerIteration);
}

void vectorOpsBaseline(benchmark::State& state, ByteOrder order) {
  PlatformBuffer buf = PlatformBuffer::allocate(kBytes, AllocationZone::Heap);
  const bool swap = order != kNativeByteOrder;
  std::int32_t seed = 1;
  for (auto _ : state) {
    benchmark::DoNotOptimize(swap ? rawVectorOps<true>(buf.data(), seed) : rawVectorOps<false>(buf.data(), seed));
    ++seed;
  }
  state.SetItemsProcessed(state.iterations() * kOpsPerIteration);
}

void vectorBaseline(benchmark::State& state, ByteOrder order) {
  PlatformBuffer buf = PlatformBuffer::allocate(kBytes, AllocationZone::Heap);
  const bool swap = order != kNativeByteOrder;
  Ints in{}, out{};
  for (std::size_t i = 0; i < kInts; ++i) in[i] = static_cast<std::int32_t>(i * 2654435761u);
  for (auto _ : state) {
    if (swap) rawVector<true>(buf.data(), in, out);
    else rawVector<false>(buf.data(), in, out);
  }
  benchmark::DoNotOptimize(out);
  state.SetItemsProcessed(state.iterations() * kOpsPerIteration);
}

ZB_BENCH_REGISTRATION {
  for (ByteOrder order : kBothOrders) {
    const std::string o(orderName(order));
    add("primitive/raw_scalar/" + o, &scalarBaseline, order);
    add("primitive/raw_vector/" + o, &vectorBaseline, order);
    add("primitive/raw_vector_op/" + o, &vectorOpsBaseline, order);
    for (AllocationZone zone : kAllZones) {
      const std::string z(zoneName(zone));
      add("primitive/per_op/" + z + "/" + o, &perOp, zone, order);
      add("primitive/per_op_view/" + z + "/" + o, &perOpView, zone, order);
      add("primitive/abs_op/" + z + "/" + o, &absolute, zone, order);
      add("primitive/cursor/" + z + "/" + o, &cursor, zone, order);
      add("primitive/bulk/" + z + "/" + o, &bulk, zone, order);
    }
  }
}

}  // namespace
}  // namespace zonebuf::bench
