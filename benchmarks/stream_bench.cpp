// Stream and search benchmarks (rows in tools/bench-report, "Stream" block):
//   stream/records/{fragmented,contiguous}: length-prefixed records (u16
//     length, u32 id, payload) landing in the receiver — as leases at random
//     chunk boundaries appended to a StreamProcessor, or as one copy into one
//     buffer — then parsed. Both sides pay the landing copy.
//   search/{indexOfByte,memchr}, search/{indexOfPattern,memmem}: 64 KiB, the
//     match at the end.
//   xor/{xorMask,raw_vector}: masking 64 KiB in place.
//   growable/Direct/{inPlace,moved}/64KiB: a Direct GrowableBuffer of 256 B
//     written to 64 KiB in 1 KiB pieces, its lease then released. inPlace:
//     the lease's block is the arena's last, so every growth extends it;
//     moved: a 64-byte Direct block is allocated before each growth, right
//     after it, so every growth moves. Both make the same 64-byte allocations
//     (inPlace makes them before the first lease), and both hand the finished
//     buffer out of the pool and free it: one new buffer per message each.
// Buffers are reached through references from non-inlined functions.
#include <benchmark/benchmark.h>

#include <cstring>
#include <random>
#include <vector>

#include "support/keep.hpp"
#include "support/registry.hpp"
#include "zonebuf/zonebuf.hpp"

using namespace zonebuf;

namespace {

constexpr std::size_t kInput = 64 * 1024;

struct Records {
  std::vector<std::byte> bytes;
  std::vector<std::size_t> chunks;  // random boundaries, 1..1460 bytes (an MTU's payload)
  std::size_t count = 0;
};

const Records& records() {
  static const Records r = [] {
    Records out;
    std::mt19937 rng(7);
    while (out.bytes.size() < kInput - 80) {
      const std::size_t payload = 4 + rng() % 60;
      const std::size_t at = out.bytes.size();
      out.bytes.resize(at + 6 + payload);
      const auto len = static_cast<std::uint16_t>(4 + payload);
      out.bytes[at] = static_cast<std::byte>(len >> 8);
      out.bytes[at + 1] = static_cast<std::byte>(len);
      for (std::size_t i = 2; i < 6 + payload; ++i) out.bytes[at + i] = static_cast<std::byte>(rng());
      ++out.count;
    }
    for (std::size_t at = 0; at < out.bytes.size();) {
      const std::size_t n = std::min<std::size_t>(1 + rng() % 1460, out.bytes.size() - at);
      out.chunks.push_back(n);
      at += n;
    }
    return out;
  }();
  return r;
}

// Parses every complete record; returns the sum of the ids.
ZONEBUF_NOINLINE std::uint64_t parseStream(StreamProcessor& s) {
  std::uint64_t sum = 0;
  while (s.available() >= 2) {
    const std::size_t len = s.peekUnsignedShort(0);
    if (s.available() < 2 + len) break;
    s.skip(2);
    sum += s.readUnsignedInt();
    s.skip(len - 4);
  }
  return sum;
}

ZONEBUF_NOINLINE std::uint64_t parseFlat(PlatformBuffer& b) {
  std::uint64_t sum = 0;
  while (b.remaining() >= 2) {
    const std::size_t len = b.getUnsignedShort(b.position());
    if (b.remaining() < 2 + len) break;
    b.skip(2);
    sum += b.readUnsignedInt();
    b.skip(len - 4);
  }
  return sum;
}

void recordsFragmented(benchmark::State& state) {
  const Records& r = records();
  BufferPool pool;
  StreamProcessor s(pool);
  auto pass = [&] {
    std::uint64_t sum = 0;
    std::size_t at = 0;
    for (std::size_t n : r.chunks) {
      PooledBuffer lease = pool.acquire(2048);
      std::memcpy(lease->data(), r.bytes.data() + at, n);  // the socket read
      lease->setLimit(n);
      s.append(std::move(lease));
      sum += parseStream(s);
      at += n;
    }
    bench::keep(sum);
  };
  // Untimed: the pool's first buffers (in WASM, the allocator's first
  // memory growth) would otherwise be the whole of a one-iteration run.
  pass();
  for (auto _ : state) pass();
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * r.bytes.size()));
}

void recordsContiguous(benchmark::State& state) {
  const Records& r = records();
  BufferPool pool;
  auto pass = [&] {
    PooledBuffer lease = pool.acquire(kInput);
    std::memcpy(lease->data(), r.bytes.data(), r.bytes.size());  // the socket read
    lease->setLimit(r.bytes.size());
    bench::keep(parseFlat(*lease));
  };
  pass();  // untimed, as above
  for (auto _ : state) pass();
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * r.bytes.size()));
}

std::vector<std::byte> haystack(std::string_view tail) {
  std::vector<std::byte> v(kInput);
  std::mt19937 rng(3);
  for (auto& b : v) b = static_cast<std::byte>('a' + rng() % 26);
  std::memcpy(v.data() + v.size() - tail.size(), tail.data(), tail.size());
  return v;
}

ZONEBUF_NOINLINE std::size_t findByte(const PlatformBuffer& b) { return b.indexOf(std::uint8_t{'\n'}); }
ZONEBUF_NOINLINE std::size_t findPattern(const PlatformBuffer& b) { return b.indexOf(std::string_view("\r\n\r\n")); }

void indexOfByte(benchmark::State& state) {
  auto v = haystack("\n");
  PlatformBuffer b = PlatformBuffer::wrap(v);
  for (auto _ : state) bench::keep(findByte(b));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kInput));
}

void memchrBaseline(benchmark::State& state) {
  auto v = haystack("\n");
  for (auto _ : state) {
    bench::keep(v.data());
    bench::keep(std::memchr(v.data(), '\n', v.size()));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kInput));
}

void indexOfPattern(benchmark::State& state) {
  auto v = haystack("\r\n\r\n");
  PlatformBuffer b = PlatformBuffer::wrap(v);
  for (auto _ : state) bench::keep(findPattern(b));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kInput));
}

void memmemBaseline(benchmark::State& state) {
  auto v = haystack("\r\n\r\n");
  for (auto _ : state) {
    bench::keep(v.data());
    bench::keep(::memmem(v.data(), v.size(), "\r\n\r\n", 4));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kInput));
}

ZONEBUF_NOINLINE void maskBuffer(PlatformBuffer& b, std::uint32_t key) { b.xorMask(key); }

void xorMask(benchmark::State& state) {
  std::vector<std::byte> v(kInput);
  PlatformBuffer b = PlatformBuffer::wrap(v);
  for (auto _ : state) {
    maskBuffer(b, 0x37FA213D);
    bench::keep(v.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kInput));
}

// The raw loop a user would write: 16-byte vectors of the repeated key.
ZONEBUF_NOINLINE void rawMask(std::byte* p, std::size_t n, std::uint32_t key) {
  using V [[gnu::vector_size(16)]] = std::uint32_t;
  const std::uint32_t wire = __builtin_bswap32(key);  // key bytes in wire order, as a little-endian word
  const V k = {wire, wire, wire, wire};
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    V x;
    std::memcpy(&x, p + i, 16);
    x ^= k;
    std::memcpy(p + i, &x, 16);
  }
  for (; i < n; ++i) p[i] ^= static_cast<std::byte>(key >> (24 - 8 * (i & 3)));
}

void xorRaw(benchmark::State& state) {
  std::vector<std::byte> v(kInput);
  for (auto _ : state) {
    rawMask(v.data(), v.size(), 0x37FA213D);
    bench::keep(v.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kInput));
}

// One message: 64 KiB in 1 KiB pieces; `blockEachGrowth` allocates a block
// after the lease before each growth (else all of them before the first
// lease). Returns the growths that moved.
ZONEBUF_NOINLINE std::uint64_t buildMessage(BufferPool& pool, const std::vector<std::byte>& piece,
                                            std::vector<PlatformBuffer>& blockers, bool blockEachGrowth) {
  if (!blockEachGrowth)
    for (int i = 0; i < 8; ++i) blockers.push_back(PlatformBuffer::allocate(64, AllocationZone::Direct));
  GrowableBuffer g(pool, 256, AllocationZone::Direct);
  g.buffer();
  while (g.size() < kInput) {
    if (blockEachGrowth && g.capacity() - g.size() < piece.size())
      blockers.push_back(PlatformBuffer::allocate(64, AllocationZone::Direct));
    g.write(piece);
  }
  const std::uint64_t moves = g.growCount();
  {
    // The message leaves the pool (handed off): one buffer made and freed
    // per message on both sides, so the pool's lists stay as they are.
    PooledBuffer lease = g.take();
    PlatformBuffer message = std::move(*lease);
  }
  while (!blockers.empty()) blockers.pop_back();  // newest first
  return moves;
}

void growable(benchmark::State& state, bool moved) {
  // Each run starts from the same arena: what an earlier run freed would
  // otherwise serve the first lease from a free list, below the bump top.
  LinearMemoryAllocator::Scope scope(AllocationZone::Direct);
  BufferPool pool;
  const std::vector<std::byte> piece(1024, std::byte{0x42});
  std::vector<PlatformBuffer> blockers;
  blockers.reserve(16);
  buildMessage(pool, piece, blockers, moved);  // untimed, as above
  std::uint64_t moves = 0;
  for (auto _ : state) moves += buildMessage(pool, piece, blockers, moved);
  bench::keep(moves);
  // 7 growths per message (256 B -> 1, 2, ..., 64 KiB): all of them moves, or none.
  state.counters["moves"] = benchmark::Counter(static_cast<double>(moves), benchmark::Counter::kAvgIterations);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kInput));
}

}  // namespace

ZB_BENCH_REGISTRATION {
  bench::add("stream/records/fragmented", &recordsFragmented);
  bench::add("stream/records/contiguous", &recordsContiguous);
  bench::add("search/indexOfByte/64KiB", &indexOfByte);
  bench::add("search/memchr/64KiB", &memchrBaseline);
  bench::add("search/indexOfPattern/64KiB", &indexOfPattern);
  bench::add("search/memmem/64KiB", &memmemBaseline);
  bench::add("xor/xorMask/64KiB", &xorMask);
  bench::add("xor/raw_vector/64KiB", &xorRaw);
  bench::add("growable/Direct/inPlace/64KiB", &growable, false);
  bench::add("growable/Direct/moved/64KiB", &growable, true);
}
