// LinearMemoryAllocator::tryExtend: growing a live block where it lies.
//
// The bytes a block grows into must be nobody's: the class rounding it
// already reserved, the unused rest of its thread's current span (the block
// ends at the bump top), or the uncarved rest of the newest chunk (the block
// ends at the chunk's top: its span is the last one carved). Free-list
// blocks after it are not taken (they would have to be unlinked one by one).
#include <mutex>

#include "linear_arena_internal.hpp"
#include "zonebuf/allocators/linear_memory_allocator.hpp"

namespace zonebuf {

using namespace detail;

namespace {

// Takes `need` bytes from the uncarved top of the chunk when `at` is that top;
// false (nothing changed) otherwise. Caller holds the mutex.
bool takeChunkTop(GlobalArena& ga, const std::byte* at, std::size_t need) noexcept {
  if (ga.chunkTop != at || static_cast<std::size_t>(ga.chunkEnd - ga.chunkTop) < need) return false;
  asanPoison(ga.chunkTop, need);  // as acquireSpan's caller poisons a fresh span
  ga.chunkTop += need;
  ga.carved += need;
  return true;
}

// The index in a->spans of the span that ends at `end`, or -1.
std::ptrdiff_t spanEndingAt(const ThreadArena* a, const std::byte* end) noexcept {
  for (std::size_t i = a->spans.size(); i-- > 0;)
    if (a->spans[i].end == end) return static_cast<std::ptrdiff_t>(i);
  return -1;
}

// The block ends at the bump top: the rest of the span, and past the span's
// end the chunk's uncarved top if the span is the last one carved.
bool extendAtTop(ThreadArena* a, std::size_t delta) noexcept {
  ZONEBUF_ASSERT(a->currentSpan >= 0, "a block that ends at the bump top lies in the current span");
  const auto room = static_cast<std::size_t>(a->end - a->top);
  if (delta > room) {
    LinearGlobal& g = linearGlobal();
    std::lock_guard lock(g.mutex);
    const std::size_t need = delta - room;
    if (!takeChunkTop(g.arenas[a->arenaIndex], a->end, need)) return false;
    a->spans[static_cast<std::size_t>(a->currentSpan)].end += need;
    a->end += need;
  }
  a->top += delta;
  return true;
}

// The block ends its span (a span of its own, or a retired one) and that span
// ends at the chunk's uncarved top.
bool extendAtChunkTop(ThreadArena* a, std::byte* blockEnd, std::size_t delta) noexcept {
  LinearGlobal& g = linearGlobal();
  std::lock_guard lock(g.mutex);
  GlobalArena& ga = g.arenas[a->arenaIndex];
  if (ga.chunkTop != blockEnd) return false;
  const std::ptrdiff_t i = spanEndingAt(a, blockEnd);
  ZONEBUF_ASSERT(i >= 0 && i != a->currentSpan,
                 "a live block that ends at the chunk top, below the bump top, ends a span of its owner");
  if (i < 0 || !takeChunkTop(ga, blockEnd, delta)) return false;
  a->spans[static_cast<std::size_t>(i)].end += delta;
  return true;
}

}  // namespace

bool LinearMemoryAllocator::tryExtend(Block& block, std::size_t newSize) noexcept {
  ZONEBUF_ASSERT(block.owner == BlockOwner::Linear, "tryExtend takes a linear block");
  if (newSize <= block.size) return true;
  auto* a = static_cast<ThreadArena*>(block.ownerState);
  // Only the owner touches its arena's bump pointer and spans.
  if (newSize > kMaxClassSize || a != tlsArena[arenaIndexOf(block.zone)]) return false;
  const std::size_t rs = classSize(sizeClassOf(block.size));
  const std::size_t rs2 = classSize(sizeClassOf(newSize));
  if (rs2 != rs) {
    std::byte* blockEnd = block.data + rs;
    const std::size_t delta = rs2 - rs;
    const bool grown = isAtBumpTop(a, block.data, rs) ? extendAtTop(a, delta) : extendAtChunkTop(a, blockEnd, delta);
    if (!grown) return false;
    const std::size_t u = a->used.get() + delta;
    a->used.set(u);
    if (u > a->peak.get()) a->peak.set(u);
  }
  a->extensions.add(1);
  asanUnpoison(block.data, newSize);  // the class rounding past newSize stays poisoned
  block.size = newSize;
  return true;
}

}  // namespace zonebuf
