// Where linear arena chunks come from.
//  - Native Direct: an anonymous private mmap with MAP_NORESERVE, so a chunk is
//    address space until its pages are touched.
//  - Native SharedMemory: one memfd per process, grown with ftruncate; each
//    chunk maps a new file range MAP_SHARED, so another process that receives
//    the fd (or a forked child) sees the same bytes.
//  - WebAssembly: 64-byte aligned blocks from the C allocator (emscripten's
//    dlmalloc, which grows linear memory with memory.grow). Linear memory grows
//    in place, so addresses (and every live buffer) stay put; both zones share
//    this arena.
// And where free pages go back (LinearMemoryAllocator::trim): natively whole
// pages of free ranges are dropped (Direct: MADV_DONTNEED, the next touch
// maps a zero page; SharedMemory: MADV_REMOVE, which punches the range out of
// the memfd — DONTNEED on a MAP_SHARED mapping would only unmap the pages and
// leave them in the file). WebAssembly memory cannot shrink: nothing goes back.
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "linear_arena_internal.hpp"

#ifndef __EMSCRIPTEN__
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace zonebuf::detail {

#ifdef __EMSCRIPTEN__

std::byte* mapChunk(GlobalArena&, unsigned, std::size_t bytes, std::size_t, std::string& why) noexcept {
  void* p = std::aligned_alloc(kLinearAlignment, bytes);
  if (p == nullptr) why = "linear memory could not grow";
  return static_cast<std::byte*>(p);
}

void unmapChunks(GlobalArena& g) noexcept {
  for (const Chunk& c : g.chunks) std::free(c.base);
}

std::size_t wholePageBytes(const std::byte*, const std::byte*) noexcept { return 0; }

std::size_t residentBytes(const GlobalArena& g) noexcept { return g.reserved; }

void releasePages(unsigned, std::byte*, std::byte*) noexcept {}

#else

std::byte* mapChunk(GlobalArena& g, unsigned arenaIndex, std::size_t bytes, std::size_t fileOffset,
                    std::string& why) noexcept {
  void* p = MAP_FAILED;
  if (arenaIndex == 0) {
    p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  } else {
    if (g.fd < 0) g.fd = memfd_create("zonebuf-shared-memory", MFD_CLOEXEC);
    if (g.fd < 0 || ftruncate(g.fd, static_cast<off_t>(fileOffset + bytes)) != 0) {
      why = std::string("memfd: ") + std::strerror(errno);
      return nullptr;
    }
    p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, g.fd, static_cast<off_t>(fileOffset));
  }
  if (p == MAP_FAILED) {
    why = std::string("mmap: ") + std::strerror(errno);
    return nullptr;
  }
  return static_cast<std::byte*>(p);
}

void unmapChunks(GlobalArena& g) noexcept {
  // Poisoning outlives munmap in ASan's shadow: clear it, or the next mapping
  // at these addresses would start out poisoned.
  for (const Chunk& c : g.chunks) {
    asanUnpoison(c.base, c.size);
    munmap(c.base, c.size);
  }
  if (g.fd >= 0) close(g.fd);
  g.fd = -1;
}

namespace {
struct PageRange {
  std::uintptr_t lo, hi;  // empty if hi <= lo
};
PageRange pagesInside(const std::byte* begin, const std::byte* end) noexcept {
  static const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  return {(reinterpret_cast<std::uintptr_t>(begin) + page - 1) & ~(page - 1),
          reinterpret_cast<std::uintptr_t>(end) & ~(page - 1)};
}
}  // namespace

std::size_t wholePageBytes(const std::byte* begin, const std::byte* end) noexcept {
  const PageRange r = pagesInside(begin, end);
  return r.hi > r.lo ? r.hi - r.lo : 0;
}

std::size_t residentBytes(const GlobalArena& g) noexcept {
  // MAP_NORESERVE / a fresh memfd range: the uncarved tail was never touched.
  return g.reserved - g.released - static_cast<std::size_t>(g.chunkEnd - g.chunkTop);
}

void releasePages(unsigned arenaIndex, std::byte* begin, std::byte* end) noexcept {
  const PageRange r = pagesInside(begin, end);
  if (r.hi <= r.lo) return;
  // Cannot fail on a range of our own read-write mapping (memfd is shmem,
  // which supports MADV_REMOVE); if it ever did, the pages merely stay.
  (void)madvise(reinterpret_cast<void*>(r.lo), r.hi - r.lo, arenaIndex == 0 ? MADV_DONTNEED : MADV_REMOVE);
}

#endif

}  // namespace zonebuf::detail
