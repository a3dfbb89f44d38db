// Private to the linear allocator's sources: the process-wide state behind
// the thread arenas. Everything here is the cold path and runs under
// LinearGlobal::mutex unless a function says otherwise.
//
// Invariants: chunks never move or shrink until resetLinearArenaForTesting(); a
// free byte range is in exactly one place (a thread arena's span, `freeSpans`
// or `trimmedSpans`); carved = sum of the spans held by thread arenas, less
// the free blocks trim() took out of them into `trimmedSpans`;
// trimmedSpans is sorted by address with no two entries touching, and
// released = sum of wholePageBytes() over it (natively every such page has
// been given back to the system; 0 in WebAssembly).
#pragma once

#include <algorithm>
#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

#include "zonebuf/allocators/detail/thread_arena.hpp"
#include "zonebuf/allocators/linear_memory_allocator.hpp"

namespace zonebuf::detail {

struct Chunk {
  std::byte* base;
  std::size_t size;
  std::size_t fileOffset;  // in the memfd (SharedMemory, native)
};

struct GlobalArena {
  std::vector<Chunk> chunks;
  std::size_t reserved = 0;
  std::size_t carved = 0;
  std::byte* chunkTop = nullptr;  // the uncarved rest of the newest chunk
  std::byte* chunkEnd = nullptr;
  std::vector<Span> freeSpans;     // returned by Scopes, chunk tails; first fit
  std::vector<Span> trimmedSpans;  // given back by trim() (linear_trim.cpp); first fit after freeSpans
  std::size_t released = 0;        // bytes of whole pages inside trimmedSpans
  std::vector<ThreadArena*> arenas;     // every arena ever created (never freed)
  std::vector<ThreadArena*> abandoned;  // arenas of exited threads, adopted first
  int fd = -1;                          // the memfd behind SharedMemory (native)
};

struct LinearGlobal {
  std::mutex mutex;
  std::size_t initialSizeMB = LinearMemoryAllocator::kDefaultInitialSizeMB;
  std::size_t maxSizeMB = LinearMemoryAllocator::kDefaultMaxSizeMB;
  GlobalArena arenas[kArenaCount];

  bool reservedAny() const noexcept {
    for (const auto& g : arenas)
      if (!g.chunks.empty()) return true;
    return false;
  }
  // Thread spans: 1/64 of the initial arena, between 64 KiB and 1 MiB (the
  // growth rules at the top of linear_memory_allocator.hpp).
  static constexpr std::size_t kSpanFraction = 64;
  static constexpr std::size_t kMinSpanBytes = std::size_t{64} << 10;
  static constexpr std::size_t kMaxSpanBytes = std::size_t{1} << 20;
  // A block whose class is over spanBytes() / kOwnSpanFraction gets its own span.
  static constexpr std::size_t kOwnSpanFraction = 4;
  static_assert(kMinSpanBytes % kLinearAlignment == 0 && kMaxSpanBytes % kLinearAlignment == 0,
                "spans are cut into whole 64-byte class blocks");
  std::size_t spanBytes() const noexcept {
    return std::clamp((initialSizeMB << 20) / kSpanFraction, kMinSpanBytes, kMaxSpanBytes);
  }
};

// Leaked on purpose: buffers with static storage may be released after every
// static destructor has run.
LinearGlobal& linearGlobal() noexcept;

// The calling thread's arena for arenaIndex, created or adopted on first use.
// Takes the mutex itself.
ThreadArena* ensureArena(unsigned arenaIndex);

// Owner thread, no lock: moves blocks released by other threads into the
// free lists (or rewinds).
void drainRemote(ThreadArena* a) noexcept;

// Chunk sources (one per platform): map `bytes` of fresh arena memory, or
// nullptr (errno-style detail in `why`) if the system refuses.
std::byte* mapChunk(GlobalArena& g, unsigned arenaIndex, std::size_t bytes, std::size_t fileOffset,
                    std::string& why) noexcept;
void unmapChunks(GlobalArena& g) noexcept;

// Bytes of the whole pages inside [begin, end): what the system can take back
// of a free range (0 in WebAssembly).
std::size_t wholePageBytes(const std::byte* begin, const std::byte* end) noexcept;
// Gives the whole pages inside [begin, end) back to the system: Direct with
// MADV_DONTNEED, SharedMemory (memfd, where DONTNEED would only unmap the
// pages and keep them in the file) with MADV_REMOVE. A no-op in WebAssembly.
void releasePages(unsigned arenaIndex, std::byte* begin, std::byte* end) noexcept;

// Bytes of g that are not given back: reserved, less released and (natively)
// the never-touched tail of the newest chunk. All of reserved in WebAssembly.
std::size_t residentBytes(const GlobalArena& g) noexcept;

// The first min(end - begin, want) bytes of [begin, end), which begin leaves.
inline Span takeFrom(std::byte*& begin, std::byte* end, std::size_t want) noexcept {
  const std::size_t take = std::min(static_cast<std::size_t>(end - begin), want);
  Span s{begin, begin + take};
  begin += take;
  return s;
}

// acquireSpan's reuse step: first fit in freeSpans, then in trimmedSpans; at
// most wantBytes from the front of the span found, booked as carved.
bool takeFreeSpan(GlobalArena& g, std::size_t minBytes, std::size_t wantBytes, Span& out) noexcept;

}  // namespace zonebuf::detail
