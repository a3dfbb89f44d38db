// W2 copy: dst.write(src) of 1 KiB and 64 KiB for every (src zone, dst zone)
// pair; one op = one buffer-to-buffer copy (items_per_second), bytes/s too.
//
// Baseline: memcpy between two independent PageBlocks whose page offsets are
// fixed so that (dst - src) mod 4096 = 2048, far from the 4K-aliasing window.
// The extra "memcpy_skew16" row puts dst - src = 16 mod 4096 to show what an
// unlucky placement costs (~20x on the machines this was written on); the
// zone pairs use whatever placement their allocators give.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstring>
#include <string>

#include "support/page_block.hpp"
#include "support/registry.hpp"
#include "zonebuf/zonebuf.hpp"

namespace zonebuf::bench {
namespace {

constexpr std::size_t kSizes[] = {1024, 64 * 1024};

[[gnu::noinline]] void apiCopy(PlatformBuffer& dst, PlatformBuffer& src) {
  dst.resetForWrite();
  src.resetForRead();  // after a full copy: position = limit = size -> [0, size)
  dst.write(src);
  benchmark::ClobberMemory();
}

[[gnu::noinline]] void rawCopy(std::byte* dst, const std::byte* src, std::size_t n) {
  std::memcpy(dst, src, n);
  benchmark::ClobberMemory();
}

void zoneCopy(benchmark::State& state, AllocationZone from, AllocationZone to, std::size_t size) {
  PlatformBuffer src = PlatformBuffer::allocate(size, from);
  PlatformBuffer dst = PlatformBuffer::allocate(size, to);
  std::memset(src.data(), 0x5a, size);
  std::memset(dst.data(), 0, size);
  src.position(size);  // apiCopy's resetForRead() then selects all of src
  for (auto _ : state) apiCopy(dst, src);
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(size));
  // Placement, to tell a 4K-aliasing accident from slow code.
  state.counters["dst_minus_src_mod_4096"] =
      static_cast<double>(static_cast<std::size_t>(dst.data() - src.data()) % PageBlock::kPage);
}

void memcpyBaseline(benchmark::State& state, std::size_t size, std::size_t dstPageOffset) {
  const PageBlock src(size, 0);
  const PageBlock dst(size, dstPageOffset);
  for (auto _ : state) rawCopy(dst.data(), src.data(), size);
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(size));
}

ZB_BENCH_REGISTRATION {
  for (std::size_t size : kSizes) {
    const std::string prefix = "copy/" + sizeLabel(size) + "/";
    add(prefix + "memcpy", &memcpyBaseline, size, PageBlock::kPage / 2);
    add(prefix + "memcpy_skew16", &memcpyBaseline, size, std::size_t{16});
    for (AllocationZone from : kAllZones) {
      for (AllocationZone to : kAllZones) {
        add(prefix + std::string(zoneName(from)) + "->" + std::string(zoneName(to)), &zoneCopy, from, to, size);
      }
    }
  }
}

}  // namespace
}  // namespace zonebuf::bench
