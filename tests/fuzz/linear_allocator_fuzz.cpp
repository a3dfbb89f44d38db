// Differential fuzzer: random allocate / release / replace / Scope sequences
// on the linear arena (Direct and SharedMemory through PlatformBuffer) against
// a model that knows only the documented rules:
//  - live blocks are 64-byte aligned and their class-rounded extents
//    (64, 128, 192, 256, then four classes per doubling) never overlap;
//  - a block keeps the bytes written to it until it is released;
//  - stats(zone): used = sum of live rounded sizes, allocations counts every
//    success, peak = high-water of used (one thread), and
//    used + freeListBytes <= carved <= reserved;
//  - OutOfMemoryError only when the request cannot fit under the ceiling
//    (ceil_MB(rounded) > max - reserved), and it changes no statistic;
//  - configure() after the first allocation is InvalidArgumentError;
//  - a Scope ends counting at most one scopeOverrun, and whether it rewinds or
//    not, no later block overlaps a live one. (Which scopes rewind is not
//    predicted: a block just below the mark released inside the scope lowers
//    the bump pointer under the mark, and the scope then counts an overrun
//    although nothing allocated inside is live; see docs/guarantees.md.)
//  - footprint: reserved <= max(initial, 4 * (P + spanBytes) + 2 MiB), P being
//    the sum over size classes of (peak live blocks of the class) x class size.
// The arena is process-global: each input starts from detail::resetLinearArenaForTesting().
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "linear_rounding_model.hpp"
#include "live_ranges_model.hpp"
#include "zonebuf/allocators/detail/linear_test_hooks.hpp"
#include "zonebuf/zonebuf.hpp"

using namespace zonebuf;
using zonebuf::fuzz::fail;

namespace {

using fuzz::kMB;
// Ops per input: each input also pays a fresh arena (mappings, shadow
// poisoning, page faults), so inputs are long enough to amortise it, short
// enough for >= 1000 inputs/s under ASan (tests/fuzz/CMakeLists.txt caps
// -max_len to match).
constexpr long kMaxOps = 128;
// ZONEBUF_FUZZ_TRACE=1 prints every op (for triaging a crash input).
const bool kTrace = std::getenv("ZONEBUF_FUZZ_TRACE") != nullptr;
constexpr AllocationZone kZones[] = {AllocationZone::Direct, AllocationZone::SharedMemory};

struct Held {
  PlatformBuffer buffer;
  std::uint32_t tag;
  std::uint64_t seq;
  unsigned arena;
  std::size_t rounded;
};

struct ArenaModel {
  std::size_t used = 0, peak = 0, allocations = 0;
  std::map<std::size_t, std::size_t> liveByClass, peakByClass;
  std::size_t peakClassBytes = 0;  // sum over classes of peakByClass x class size
  bool anyAllocation = false;

  void add(std::size_t rounded) {
    used += rounded;
    peak = std::max(peak, used);
    ++allocations;
    anyAllocation = true;
    std::size_t& live = ++liveByClass[rounded];
    std::size_t& peakOfClass = peakByClass[rounded];
    if (live > peakOfClass) {
      peakOfClass = live;
      peakClassBytes += rounded;
    }
  }
  void remove(std::size_t rounded) {
    used -= rounded;
    --liveByClass[rounded];
  }
};

struct OpenScope {
  std::unique_ptr<LinearMemoryAllocator::Scope> scope;
  unsigned arena;
  std::uint64_t seq;  // blocks with a larger seq were allocated inside
};

void stamp(Held& h) { fuzz::fillEnds(h.buffer.data(), h.buffer.capacity(), h.tag); }
bool intact(const Held& h) { return fuzz::hasEnds(h.buffer.data(), h.buffer.capacity(), h.tag); }

class Run {
 public:
  Run(std::size_t initialMB, std::size_t maxMB) : initialMB_(initialMB), maxMB_(maxMB) {
    const std::size_t span = initialMB * kMB / 64;
    spanBytes_ = std::clamp(span, std::size_t{64} << 10, std::size_t{1} << 20);
  }

  std::size_t pickSize(FuzzedDataProvider& in) {
    switch (in.ConsumeIntegralInRange<int>(0, 9)) {
      case 6:
      case 7: return in.ConsumeIntegralInRange<std::size_t>(0, 5000);
      case 8: return in.ConsumeIntegralInRange<std::size_t>(0, 300000);
      case 9: return in.ConsumeIntegralInRange<std::size_t>(0, (maxMB_ + 1) * kMB);
      default: return in.ConsumeIntegralInRange<std::size_t>(0, 300);
    }
  }

  // Allocates through PlatformBuffer; nullopt on OutOfMemoryError (checked).
  std::optional<Held> allocate(std::size_t size, AllocationZone zone, long op) {
    const unsigned arena = zone == AllocationZone::SharedMemory ? 1 : 0;
    const LinearMemoryStats& before = checked_[arena];  // nothing touched the arena since check()
    try {
      Held h{PlatformBuffer::allocate(size, zone), ++tags_, ++seq_, arena, fuzz::linearRoundedSize(size)};
      if (h.buffer.capacity() != size || h.buffer.zone() != zone) fail("allocated buffer shape", op);
      if (reinterpret_cast<std::uintptr_t>(h.buffer.data()) % 64 != 0) fail("block not 64-byte aligned", op);
      if (kTrace)
        std::fprintf(stderr, "op %ld: allocate %zu in arena %u -> %p (seq %llu)\n", op, size, arena,
                     static_cast<void*>(h.buffer.data()), static_cast<unsigned long long>(h.seq));
      if (!ranges_.add(h.buffer.data(), h.rounded)) fail("block overlaps a live block", op);
      model_[arena].add(h.rounded);
      stamp(h);
      return h;
    } catch (const OutOfMemoryError& e) {
      const std::string message = e.what();
      if (message.find("LinearMemoryAllocator::configure(") == std::string::npos ||
          message.find("AllocationZone::Heap") == std::string::npos)
        fail("OutOfMemoryError message does not name the fixes", op);
      const std::size_t needMB = fuzz::linearChunkMB(size);
      if (needMB * kMB <= maxMB_ * kMB - before.reserved) fail("OutOfMemoryError below the ceiling", op);
      const LinearMemoryStats after = LinearMemoryAllocator::stats(zone);
      if (after.used != before.used || after.allocations != before.allocations ||
          after.reserved != before.reserved || after.carved != before.carved ||
          after.freeListBytes != before.freeListBytes)
        fail("failed allocation changed the arena", op);
      return std::nullopt;
    }
  }

  void release(Held& h, long op) {
    if (kTrace)
      std::fprintf(stderr, "op %ld: release %p (seq %llu)\n", op, static_cast<void*>(h.buffer.data()),
                   static_cast<unsigned long long>(h.seq));
    if (!intact(h)) fail("block lost its bytes before release", op);
    if (!ranges_.remove(h.buffer.data())) fail("released block was not live", op);
    model_[h.arena].remove(h.rounded);
  }

  void step(FuzzedDataProvider& in, std::vector<Held>& held, long op) {
    const AllocationZone zone = kZones[in.ConsumeIntegralInRange<int>(0, 1)];
    switch (in.ConsumeIntegralInRange<int>(0, 7)) {
      case 0:
      case 1:
      case 2: {
        if (auto h = allocate(pickSize(in), zone, op)) held.push_back(std::move(*h));
        break;
      }
      case 3:
      case 4: {  // release one (any order)
        if (held.empty()) break;
        const std::size_t i = in.ConsumeIntegralInRange<std::size_t>(0, held.size() - 1);
        release(held[i], op);
        held.erase(held.begin() + static_cast<std::ptrdiff_t>(i));  // destroys the buffer
        break;
      }
      case 5: {  // replace: move-assign a new buffer over an old one
        if (held.empty()) break;
        const std::size_t i = in.ConsumeIntegralInRange<std::size_t>(0, held.size() - 1);
        if (auto h = allocate(pickSize(in), zone, op)) {
          release(held[i], op);
          held[i] = std::move(*h);
        }
        break;
      }
      case 6: {  // open a scope
        if (scopes_.size() >= 4) break;
        if (kTrace) std::fprintf(stderr, "op %ld: scope begins in %s\n", op, std::string(zoneName(zone)).c_str());
        scopes_.push_back({std::make_unique<LinearMemoryAllocator::Scope>(zone), zone == AllocationZone::SharedMemory ? 1u : 0u,
                           seq_});
        break;
      }
      default: {
        if (in.ConsumeBool()) {
          endScope(held, op);
        } else {  // configure again: allowed only before the first allocation
          bool threw = false;
          try {
            LinearMemoryAllocator::configure(initialMB_, maxMB_);
          } catch (const InvalidArgumentError& e) {
            threw = std::string(e.what()).find("before any LinearBuffer allocation") != std::string::npos;
            if (!threw) fail("configure error does not say what to do", op);
          }
          if (threw != (model_[0].anyAllocation || model_[1].anyAllocation)) fail("configure after allocation", op);
        }
        break;
      }
    }
  }

  void endScope(const std::vector<Held>& held, long op) {
    if (scopes_.empty()) return;
    const unsigned arena = scopes_.back().arena;
    const std::uint64_t mark = scopes_.back().seq;
    const bool insideLive =
        std::any_of(held.begin(), held.end(), [&](const Held& h) { return h.arena == arena && h.seq > mark; });
    const std::size_t before = LinearMemoryAllocator::stats().scopeOverruns;
    scopes_.pop_back();  // ~Scope
    const std::size_t added = LinearMemoryAllocator::stats().scopeOverruns - before;
    if (kTrace) std::fprintf(stderr, "op %ld: scope ends (arena %u, inside live %d, overrun %zu)\n", op, arena, insideLive, added);
    if (added > 1) fail("one scope counted several overruns", op);
  }

  // After every op: each arena against the model (the snapshot is kept as the
  // next allocation's "before").
  void check(long op) {
    for (unsigned a = 0; a < 2; ++a) {
      const LinearMemoryStats& s = checked_[a] = LinearMemoryAllocator::stats(kZones[a]);
      const ArenaModel& m = model_[a];
      if (s.used != m.used) fail("stats.used", op);
      if (s.allocations != m.allocations) fail("stats.allocations", op);
      if (s.peak != m.peak) fail("stats.peak", op);
      if (s.remoteFrees != 0) fail("stats.remoteFrees", op);
      if (s.used + s.freeListBytes > s.carved || s.carved > s.reserved) fail("used + free <= carved <= reserved", op);
      if (s.reserved > maxMB_ * kMB) fail("reserved beyond the ceiling", op);
      const std::size_t bound = std::max(initialMB_ * kMB, 4 * (m.peakClassBytes + spanBytes_) + 2 * kMB);
      if (s.reserved > bound) fail("footprint not bounded by the peak live bytes", op);
    }
  }

  void finish(std::vector<Held>& held, long op) {
    while (!held.empty()) {
      release(held.back(), op);
      held.pop_back();
    }
    while (!scopes_.empty()) endScope(held, op);
    check(op);
  }

 private:
  std::size_t initialMB_, maxMB_, spanBytes_;
  std::uint32_t tags_ = 0;
  std::uint64_t seq_ = 0;
  fuzz::LiveRanges ranges_;
  ArenaModel model_[2];
  std::vector<OpenScope> scopes_;
  LinearMemoryStats checked_[2] = {LinearMemoryAllocator::stats(kZones[0]), LinearMemoryAllocator::stats(kZones[1])};
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  detail::resetLinearArenaForTesting();
  const std::size_t initialMB = in.ConsumeIntegralInRange<std::size_t>(1, 4);
  const std::size_t maxMB = initialMB + in.ConsumeIntegralInRange<std::size_t>(0, 6);
  LinearMemoryAllocator::configure(initialMB, maxMB);
  Run run(initialMB, maxMB);
  std::vector<Held> held;  // declared after run: Scopes (in run) end after every buffer
  long op = 0;
  for (; in.remaining_bytes() > 0 && op < kMaxOps; ++op) {
    run.step(in, held, op);
    run.check(op);
  }
  run.finish(held, op);
  return 0;
}
