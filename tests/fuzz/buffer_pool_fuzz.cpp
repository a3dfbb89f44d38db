// Differential fuzzer: random BufferPool lease sequences against a model of
// the documented pool rules (pool_model.hpp).
//
// Single-threaded inputs (exact model; idle trimming off): a request maps to
// the smallest class >= size (classes computed from the docs' formula, or an
// explicit list), above the largest class it is served unpooled with exact
// capacity; a release parks the buffer in its class if that class holds fewer
// than maxPerClass idle buffers and retainedBytes + capacity <=
// maxRetainedBytes, otherwise frees it; an acquire hits iff its class has an
// idle buffer, and then returns one of those very buffers; trim() and clear()
// free every idle buffer. The totals (acquisitions, hits, misses, oversize,
// pooledNow, retainedBytes, outstandingLeases, trimmedBuffers) and the leak
// report are compared every kCheckEvery ops that call the pool, after every
// error (nothing changed) and at every `check` op the input chooses; there,
// before clear() and at the end of the input, so is every zone's
// acquisitions, retainedBytes, oversize, per-class acquisitions / misses /
// idle and histogram (class buckets and the power-of-two oversize buckets).
// Every acquire checks its own lease (shape, class, a hit's buffer was idle,
// not held twice) at once. (Comparing stats() after every op was most of the
// run time; a slip in a counter persists until the next comparison, and the
// input decides where that is.)
//
// Modes (the first byte), each a plain run plus:
//  - views: always. Views (slice(), slice(i, n), readBytes(n), duplicate())
//    of live leases read the lease's bytes; once the lease went back (or the
//    PlatformBuffer moved out of it was dropped) every checked access throws
//    StaleViewError naming the op and changes nothing (pool_views_model.hpp).
//  - leaks (1 in 8; the explicit classes): leakDetection paranoid (1 in 4)
//    or sampled with sampleEvery 1..8: stats().leaks (and toJson() in some
//    inputs, at the end) account for every lease out (pool_leak_check.hpp).
//    Elsewhere leak detection is off (its report is then empty, checked too).
//  - drain (1 in 8): a fresh 1-3 MB Direct/SharedMemory arena, large leases.
//    An acquire that allocates may drain: then the arena could not grow for
//    it, exactly the zone's idle buffers were freed (trimmedBuffers), and the
//    rest is as the model says. If it throws OutOfMemoryError, the message
//    names the idle bytes it drained (when there were any), and nothing but
//    those idle buffers changed (leases, their bytes, counters, reservation).
//  - threads (1 in 8): pool_threads_run.hpp.
//
// Everywhere: every lease's bytes carry a pattern (both ends of large ones)
// checked at release; an empty lease's release()/buffer() is
// InvalidArgumentError changing nothing.
//
// Extending the model: a new op is a case in Single::step's switch that calls
// the pool and tells SingleModel what the docs say happens (add a hook next to
// acquired() / released() / drain()); new counters go in SingleModel::check
// (totals) or checkAll (per zone and class); an expected error is checked like
// expectEmptyLeaseErrors: type, message, then checkNow() (nothing changed).
// ZONEBUF_FUZZ_TRACE=1 prints the mode, drains, failed allocations and stale
// views (for triage and for picking seeds).
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "linear_rounding_model.hpp"
#include "live_ranges_model.hpp"
#include "pool_leak_check.hpp"
#include "pool_model.hpp"
#include "pool_threads_run.hpp"
#include "pool_views_model.hpp"
#include "zonebuf/allocators/detail/linear_test_hooks.hpp"
#include "zonebuf/zonebuf.hpp"

using namespace zonebuf;
using namespace zonebuf::fuzz;

namespace {

const bool kTrace = std::getenv("ZONEBUF_FUZZ_TRACE") != nullptr;
constexpr long kCheckEvery = 16;
// A leak report names its sites (8 dladdr() calls per Paranoid site): leak
// inputs are shorter and compare only at their checks, errors and the end.
constexpr long kCheckEveryLeaks = 32;
constexpr long kMaxOpsLeaks = 20;
// Ops per input. Under ASan, UBSan and coverage an op costs 10-60 us (the
// checks, the arena's trims, the thrown errors), so the cap sets the rate:
// with 40 ops a 45 s run reached the edges 64-op inputs reached (1,398 vs
// 1,400 from the seeds) in 1.55x the executions. The behaviours the model
// checks take 4 ops (a drain, a stale view) to 14 (a class at its largest
// cap, 6) to set up (tests/fuzz/CMakeLists.txt caps -max_len to match).
constexpr long kMaxOps = 40;
constexpr std::size_t kMaxViews = 8;

enum class Mode { Plain, Leaks, Drain };

// The linear arena the input runs on: 0 = the plain one (1 MB to start, the
// default ceiling), kept across inputs; a drain input starts from a fresh
// small one. (The default 16 MB start would cost a 2 MB shadow poisoning and
// its page faults after every drain input.)
std::size_t gArenaMB = 0;
void configurePlainArena() { LinearMemoryAllocator::configure(1, LinearMemoryAllocator::kDefaultMaxSizeMB); }
void useArena(std::size_t mb) {
  if (mb == 0 && gArenaMB == 0) return;
  crew().reset();  // its threads hold thread arenas: they must be gone first
  detail::resetLinearArenaForTesting();
  if (mb != 0) LinearMemoryAllocator::configure(mb, mb);
  else configurePlainArena();
  gArenaMB = mb;
}

bool isLinear(AllocationZone z) { return z != AllocationZone::Heap; }

class Single {
 public:
  Single(FuzzedDataProvider& in, Mode mode, PoolConfig config, SingleModel model)
      : in_(in), mode_(mode), config_(std::move(config)), model_(std::move(model)), pool_(config_),
        checkEvery_(mode == Mode::Leaks ? kCheckEveryLeaks : kCheckEvery) {}

  void run() {
    long op = 0;
    const long maxOps = mode_ == Mode::Leaks ? kMaxOpsLeaks : kMaxOps;
    for (; in_.remaining_bytes() > 0 && op < maxOps; ++op) {
      if (step(op) && ++sinceCheck_ >= checkEvery_) checkNow(op);
    }
    // toJson()'s report, with leases out, in 1 leak input in 8 (a JSON round
    // costs more than the rest of an input).
    if (mode_ == Mode::Leaks && model_.outstanding() != 0 && in_.ConsumeIntegralInRange<int>(0, 7) == 0) {
      const PoolStats s = pool_.stats();
      checkLeakReport(s.leaks, leakExpectation(), op);
      checkLeakJson(s.toJson(), s.leaks, op);
    }
    while (!held_.empty()) {
      giveBack(held_.back(), op);
      held_.pop_back();
    }
    const PoolStats s = pool_.stats();
    model_.checkAll(s, op);
    checkLeaks(s, op);
  }

 private:
  // Whether the op called the pool (and so counts towards the next check).
  bool step(long op) {
    const ByteOrder order = in_.ConsumeBool() ? ByteOrder::BigEndian : ByteOrder::LittleEndian;
    // Acquire 5/16, release 3/16, the rest 1/16 each (the ops that compare
    // stats at once, 3, 8, 11 and 14, cost most).
    switch (in_.ConsumeIntegralInRange<int>(0, 15)) {
      case 0:
      case 1:
      case 2:
      case 13:
      case 15:
        if (auto l = take(size(), zone(), order, op)) held_.push_back(std::move(*l));
        return true;
      case 3: withBuffer(order, op); return true;
      case 4:
      case 5:
      case 12: return release(order, op);
      case 6: {  // move the PlatformBuffer out of a lease: the pool must drop it
        if (held_.empty()) return false;
        PoolLease& l = held_[in_.ConsumeIntegralInRange<std::size_t>(0, held_.size() - 1)];
        if (l.movedOut) return false;
        loose_.push_back({std::move(l.lease.buffer()), l.tag});
        l.movedOut = true;
        return true;
      }
      case 7: {  // drop a moved-out buffer: it frees its own memory
        if (loose_.empty()) return false;
        const std::size_t i = in_.ConsumeIntegralInRange<std::size_t>(0, loose_.size() - 1);
        if (!hasEnds(loose_[i].buffer.data(), loose_[i].buffer.capacity(), loose_[i].tag))
          fail("moved-out buffer lost its bytes", op);
        if (!ranges_.remove(loose_[i].buffer.data())) fail("moved-out buffer was not live", op);
        loose_.erase(loose_.begin() + static_cast<std::ptrdiff_t>(i));
        return false;
      }
      case 8:
        if (in_.ConsumeBool()) {
          pool_.trim();
          model_.trim();
        } else {
          model_.checkAll(pool_.stats(), op);  // what clear() is about to restart
          pool_.clear();
          model_.trim();
          model_.clearStats();
        }
        return true;
      case 11: {
        PooledBuffer empty;
        expectEmptyLeaseErrors(empty, op);
        checkNow(op);
        return false;
      }
      case 9: makeView(op); return false;
      case 10: useView(op); return false;
      default: checkEverything(op); return false;
    }
  }

  std::size_t size() {
    if (mode_ == Mode::Drain) {  // blocks that fill the arena, and a few that never fit
      switch (in_.ConsumeIntegralInRange<int>(0, 7)) {
        case 0:
        case 1: return in_.ConsumeIntegralInRange<std::size_t>(0, gArenaMB * kMB / 2);
        case 2: return in_.ConsumeIntegralInRange<std::size_t>(0, (gArenaMB + 1) * kMB);
        default: break;
      }
    }
    return pickSize(in_, model_.maxClass());
  }
  AllocationZone zone() {
    if (mode_ == Mode::Drain && in_.ConsumeBool()) return AllocationZone::Direct;
    return pickZone(in_);
  }

  PoolLease makeLease(PooledBuffer lease, std::size_t size, AllocationZone zone, ByteOrder order, long op) {
    PoolLease l{std::move(lease), size, ++tags_, nullptr, 0, model_.classOf(size), zone};
    PlatformBuffer& b = l.lease.buffer();
    l.data = b.data();
    l.capacity = b.capacity();
    if (b.capacity() < size || b.position() != 0 || b.limit() != b.capacity() || b.byteOrder() != order ||
        b.zone() != zone)
      fail("lease shape", op);
    return l;
  }
  // The model's side of an acquire that succeeded; `before`: the zone's arena
  // before it (a drain input checks whether the pool drained).
  void acquired(PoolLease& l, const std::optional<LinearMemoryStats>& before, long op) {
    model_.acquired(l, op);
    if (!ranges_.add(l.data, l.capacity)) fail("buffer held twice (overlaps a live lease)", op);
    fillEnds(const_cast<std::byte*>(l.data), l.capacity, l.tag);
    if (!before) return;
    const PoolStats s = pool_.stats();
    if (s.trimmedBuffers != model_.trimmed()) {
      if (kTrace) std::fprintf(stderr, "op %ld: drained before leasing %zu bytes\n", op, l.capacity);
      if (linearChunkMB(l.capacity) * kMB <= gArenaMB * kMB - before->reserved)
        fail("drained although the arena could grow", op);
      if (s.trimmedBuffers != model_.trimmed() + model_.idleIn(l.zone).first)
        fail("a drain freed other than the zone's idle buffers", op);
      model_.drain(l.zone);
    }
    model_.check(s, op);
    checkLeaks(s, op);
    sinceCheck_ = 0;
  }
  std::optional<LinearMemoryStats> arenaBefore(std::size_t size, AllocationZone zone) const {
    if (mode_ != Mode::Drain || !isLinear(zone) || !model_.wouldAllocate(size, zone)) return std::nullopt;
    return LinearMemoryAllocator::stats(zone);
  }

  std::optional<PoolLease> take(std::size_t size, AllocationZone zone, ByteOrder order, long op) {
    const std::optional<LinearMemoryStats> before = arenaBefore(size, zone);
    try {
      PoolLease l = makeLease(pool_.acquire(size, zone, order), size, zone, order, op);
      acquired(l, before, op);
      return l;
    } catch (const OutOfMemoryError& e) {
      outOfMemory(e, size, zone, before, op);
      return std::nullopt;
    }
  }

  void withBuffer(ByteOrder order, long op) {
    const std::size_t size = this->size();
    const AllocationZone zone = this->zone();
    const std::optional<LinearMemoryStats> before = arenaBefore(size, zone);
    bool ran = false;
    try {
      const std::size_t got = pool_.withBuffer(size, zone, order, [&](PlatformBuffer& b) {
        ran = true;
        PoolLease l{PooledBuffer(), size, ++tags_, b.data(), b.capacity(), model_.classOf(size), zone};
        acquired(l, before, op);
        checkNow(op);  // leased for as long as fn runs
        giveBack(l, op);  // the model releases now; the pool does when fn returns
        return b.capacity();
      });
      if (got < size) fail("withBuffer capacity", op);
    } catch (const OutOfMemoryError& e) {
      if (ran) fail("OutOfMemoryError after withBuffer's fn ran", op);
      outOfMemory(e, size, zone, before, op);
    }
  }

  // A failed acquire: only a linear zone's allocation may fail, only at the
  // ceiling, and it leaves everything but the drained idle buffers as it was.
  void outOfMemory(const OutOfMemoryError& e, std::size_t size, AllocationZone zone,
                   const std::optional<LinearMemoryStats>& before, long op) {
    if (!before) fail("OutOfMemoryError outside a drain input's linear allocation", op);
    const std::string m = e.what();
    const int c = model_.classOf(size);
    const std::size_t capacity = c < 0 ? size : model_.capacityOf(c);
    if (linearChunkMB(capacity) * kMB <= gArenaMB * kMB - before->reserved) fail("OutOfMemoryError below the ceiling", op);
    if (m.find("LinearMemoryAllocator::configure(") == std::string::npos) fail("OutOfMemoryError names no fix", op);
    const std::size_t idleBytes = model_.idleIn(zone).second;
    const bool drains = idleBytes != 0 && linearRoundedSize(capacity) <= gArenaMB * kMB;
    if (kTrace) std::fprintf(stderr, "op %ld: OutOfMemoryError for %zu bytes (drains %d): %s\n", op, size, drains, m.c_str());
    if (drains) {
      if (m.find(", of which " + std::to_string(idleBytes) + " idle in 1 pool(s) and drained before failing") ==
          std::string::npos)
        fail("OutOfMemoryError does not name the drained idle bytes", op);
      model_.drain(zone);
    } else if (m.find("drained") != std::string::npos) {
      fail("OutOfMemoryError claims a drain that had nothing to drain", op);
    }
    if (LinearMemoryAllocator::stats(zone).reserved != before->reserved) fail("failed allocation changed the reservation", op);
    checkEverything(op);
  }

  bool release(ByteOrder order, long op) {  // by release(), destruction or move-assignment
    if (held_.empty()) return false;
    const std::size_t i = in_.ConsumeIntegralInRange<std::size_t>(0, held_.size() - 1);
    const int how = in_.ConsumeIntegralInRange<int>(0, 2);
    if (how == 2) {  // a fresh lease move-assigned over it gives the old buffer back
      std::optional<PoolLease> fresh = take(size(), zone(), order, op);
      if (!fresh) return true;
      giveBack(held_[i], op);
      held_[i].lease = std::move(fresh->lease);
      expectEmptyLeaseErrors(fresh->lease, op);
      fresh->lease = std::move(held_[i].lease);
      held_[i] = std::move(*fresh);
      return true;
    }
    giveBack(held_[i], op);
    if (how == 0) {
      held_[i].lease.release();
      expectEmptyLeaseErrors(held_[i].lease, op);
    }
    held_.erase(held_.begin() + static_cast<std::ptrdiff_t>(i));
    return true;
  }

  void giveBack(PoolLease& l, long op) {
    if (!l.movedOut) {
      if (!hasEnds(l.data, l.capacity, l.tag)) fail("lease lost its bytes", op);
      if (!ranges_.remove(l.data)) fail("released buffer was not live", op);
    }
    model_.released(l, !l.movedOut);
  }

  // An empty lease's release()/buffer() is InvalidArgumentError; the caller
  // compares the totals (nothing changed) after the op.
  static void expectEmptyLeaseErrors(PooledBuffer& empty, long op) {
    for (int which = 0; which < 2; ++which) {
      try {
        if (which == 0) empty.release();
        else (void)empty.buffer();
        fail("empty lease did not throw", op);
      } catch (const InvalidArgumentError& e) {
        if (std::string(e.what()).find("already released or moved from") == std::string::npos)
          fail("empty-lease message", op);
      }
    }
  }

  // ---- views ----------------------------------------------------------------
  // The live owner of the bytes tagged `tag`, or nullptr.
  const std::byte* ownerData(std::uint32_t tag) const {
    for (const PoolLease& l : held_)
      if (l.tag == tag && !l.movedOut) return l.data;
    for (const LooseBuffer& b : loose_)
      if (b.tag == tag) return b.buffer.data();
    return nullptr;
  }
  void makeView(long op) {
    if (held_.empty()) return;
    PoolLease& l = held_[in_.ConsumeIntegralInRange<std::size_t>(0, held_.size() - 1)];
    const int kind = in_.ConsumeIntegralInRange<int>(0, 3);
    const auto pick = in_.ConsumeIntegral<std::uint16_t>();
    if (l.movedOut) return;
    if (views_.size() == kMaxViews) views_.erase(views_.begin());
    views_.push_back(fuzz::makeView(l.lease.buffer(), l.tag, kind, pick, op));
  }
  void useView(long op) {
    if (views_.empty()) return;
    TrackedView& v = views_[in_.ConsumeIntegralInRange<std::size_t>(0, views_.size() - 1)];
    const auto pick = in_.ConsumeIntegral<std::uint16_t>();
    if (const std::byte* base = ownerData(v.owner)) return checkLiveView(v, base, pick, op);
    if constexpr (!zonebuf::kCheckedViews) return;
    if (kTrace) std::fprintf(stderr, "op %ld: stale view of lease %u\n", op, v.owner);
    checkStaleView(v, pick, op);
    checkEverything(op);  // the failed access changed no lease and no counter
  }

  // ---- checks ---------------------------------------------------------------
  LeakExpectation leakExpectation() const {
    return {config_.leakDetection.level, config_.leakDetection.sampleEvery, model_.outstanding(),
            model_.outstandingBytes()};
  }
  void checkLeaks(const PoolStats& s, long op) const { checkLeakReport(s.leaks, leakExpectation(), op); }
  void checkNow(long op) {
    const PoolStats s = pool_.stats();
    model_.check(s, op);
    checkLeaks(s, op);
    sinceCheck_ = 0;
  }
  // Every lease's bytes, the totals, the leak report, every zone and class.
  void checkEverything(long op) {
    for (const PoolLease& l : held_)
      if (!l.movedOut && !hasEnds(l.data, l.capacity, l.tag)) fail("live lease lost its bytes", op);
    const PoolStats s = pool_.stats();
    model_.checkAll(s, op);
    checkLeaks(s, op);
    sinceCheck_ = 0;
  }

  FuzzedDataProvider& in_;
  Mode mode_;
  PoolConfig config_;
  SingleModel model_;
  BufferPool pool_;
  std::vector<PoolLease> held_;
  std::vector<LooseBuffer> loose_;
  std::vector<TrackedView> views_;  // may outlive their owners (stale then)
  LiveRanges ranges_;
  std::uint32_t tags_ = 0;
  const long checkEvery_;
  long sinceCheck_ = 0;
};

void runSingle(FuzzedDataProvider& in, Mode mode) {
  const std::size_t arenaMB = mode == Mode::Drain ? in.ConsumeIntegralInRange<std::size_t>(1, 3) : 0;
  useArena(arenaMB);
  PoolConfig config;
  std::vector<std::size_t> classes;
  // Drain inputs need the large default classes; leak inputs the explicit
  // four (their reports and JSON grow with the classes).
  switch (mode == Mode::Drain ? 0 : mode == Mode::Leaks ? 2 : in.ConsumeIntegralInRange<int>(0, 2)) {
    case 0: classes = generatedClasses(64, 65536, 4); break;  // the defaults
    case 1:
      classes = generatedClasses(16, 4096, 2);
      config.classes(SizeClassSpec::generated(16, 4096, 2));
      break;
    default:
      classes = {1, 100, 1000, 5000};
      config.classes(SizeClassSpec::explicitSizes(classes));
      break;
  }
  const std::size_t maxPerClass = in.ConsumeIntegralInRange<std::size_t>(1, 6);
  for (auto& z : config.zones) z.maxPerClass = maxPerClass;
  config.maxRetainedBytes = in.ConsumeIntegralInRange<std::size_t>(1, mode == Mode::Drain ? 4 * kMB : 40000);
  config.zeroOnRelease = in.ConsumeBool();
  config.idleTrimOperations = 0;
  config.leakDetection.level = LeakDetectionLevel::Disabled;
  if (mode == Mode::Leaks) {
    config.leakDetection.level =
        in.ConsumeIntegralInRange<int>(0, 3) == 0 ? LeakDetectionLevel::Paranoid : LeakDetectionLevel::Sampled;
    config.leakDetection.sampleEvery = in.ConsumeIntegralInRange<std::uint32_t>(1, 8);
  }
  if (kTrace)
    std::fprintf(stderr, "single: mode %d, arena %zu MB, %zu classes, maxPerClass %zu, maxRetained %zu, leaks %s/%u\n",
                 static_cast<int>(mode), arenaMB, classes.size(), maxPerClass, config.maxRetainedBytes,
                 std::string(leakLevelName(config.leakDetection.level)).c_str(), config.leakDetection.sampleEvery);
  SingleModel model(classes, maxPerClass, config.maxRetainedBytes, config.zeroOnRelease);
  Single(in, mode, std::move(config), std::move(model)).run();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  configurePlainArena();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  switch (in.ConsumeIntegralInRange<int>(0, 7)) {
    case 0:
      useArena(0);
      runThreads(in);
      break;
    case 1: runSingle(in, Mode::Leaks); break;
    case 2: runSingle(in, Mode::Drain); break;
    default: runSingle(in, Mode::Plain); break;
  }
  return 0;
}
