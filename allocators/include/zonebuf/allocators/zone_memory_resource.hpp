// ZoneMemoryResource: a std::pmr::memory_resource over one allocation zone,
// so standard containers (pmr::vector, pmr::string, pmr::unordered_map, ...)
// can keep their memory in the Heap, Direct or SharedMemory zone.
//
// Invariants:
// - Every pointer it returns is aligned to the requested alignment, any power
//   of two (up to 64 at no extra cost beyond a 16..64-byte header; larger
//   alignments over-allocate by the alignment).
// - Heap: mimalloc's default heap (mi_malloc_aligned / mi_free), never a
//   ScopedHeap: a container outlives scopes it was not created for. No header.
// - Direct / SharedMemory: one linear-arena block per allocation; a 16-byte
//   header just below the returned pointer holds the block's owning thread
//   arena and its offset from the block start, so deallocate() (which gets
//   the size and alignment back, as the standard guarantees) rebuilds the
//   block exactly. Memory may be freed on any thread.
// - Stateless apart from the zone: two ZoneMemoryResources compare equal
//   (do_is_equal) iff they serve the same zone, because memory from one can
//   be freed through the other.
// - Failures throw OutOfMemoryError, which derives from std::bad_alloc, as
//   memory_resource::allocate requires. A non-power-of-two alignment is a
//   broken precondition (the standard's), checked by ZONEBUF_ASSERT.
//
// Available where the standard library has <memory_resource> (native builds;
// Emscripten 3.1.6's libc++ has only <experimental/memory_resource>, so in
// WebAssembly ZONEBUF_HAS_PMR is 0 and these types do not exist).
#pragma once

#if __has_include(<memory_resource>)
#define ZONEBUF_HAS_PMR 1
#else
#define ZONEBUF_HAS_PMR 0
#endif

#if ZONEBUF_HAS_PMR

#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory_resource>

#include "zonebuf/allocators/allocation_zone.hpp"
#include "zonebuf/allocators/linear_memory_allocator.hpp"
#include "zonebuf/primitives.hpp"

namespace zonebuf {

namespace detail {

// Written just below a pointer the resources hand out from a larger block.
struct alignas(16) ResourceHeader {
  void* owner;          // the block's owner state (ZoneMemoryResource) or a lease (PoolMemoryResource)
  std::uint32_t offset; // returned pointer - block start
};
static_assert(sizeof(ResourceHeader) == 16);

// Bytes a block needs in front of `bytes` so that a header fits and the
// returned pointer is `align`-aligned, given a block start aligned to at
// least 16: the pointer is alignUp(start + 16, align) <= start + max(16, align).
[[gnu::always_inline]] constexpr std::size_t headerPad(std::size_t align) noexcept {
  return align > sizeof(ResourceHeader) ? align : sizeof(ResourceHeader);
}
[[gnu::always_inline]] inline std::byte* alignedAfterHeader(std::byte* start, std::size_t align) noexcept {
  const std::uintptr_t a = align > sizeof(ResourceHeader) ? align : sizeof(ResourceHeader);
  const std::uintptr_t p = (reinterpret_cast<std::uintptr_t>(start) + sizeof(ResourceHeader) + a - 1) & ~(a - 1);
  return reinterpret_cast<std::byte*>(p);
}
[[gnu::always_inline]] inline ResourceHeader* headerOf(void* p) noexcept {
  return reinterpret_cast<ResourceHeader*>(static_cast<std::byte*>(p) - sizeof(ResourceHeader));
}
// Throws OutOfMemoryError when bytes + pad would overflow.
[[noreturn]] ZONEBUF_COLD void throwResourceTooLarge(const char* resource, std::size_t bytes, std::size_t align);

}  // namespace detail

class ZoneMemoryResource final : public std::pmr::memory_resource {
 public:
  explicit ZoneMemoryResource(AllocationZone zone = AllocationZone::Heap);
  AllocationZone zone() const noexcept { return zone_; }

 private:
  void* do_allocate(std::size_t bytes, std::size_t align) override {
    ZONEBUF_ASSERT(std::has_single_bit(align), "alignment must be a power of two");
    if (zone_ == AllocationZone::Heap) return heapAllocate(bytes, align);
    const std::size_t pad = detail::headerPad(align);
    if (ZONEBUF_UNLIKELY(bytes > SIZE_MAX / 2 - pad)) detail::throwResourceTooLarge("ZoneMemoryResource", bytes, align);
    const Block b = LinearMemoryAllocator::allocate(bytes + pad, zone_);
    std::byte* p = detail::alignedAfterHeader(b.data, align);
    ZONEBUF_ASSERT(p + bytes <= b.data + b.size, "the header pad covers the alignment");
    *detail::headerOf(p) = {b.ownerState, static_cast<std::uint32_t>(p - b.data)};
    return p;
  }

  void do_deallocate(void* p, std::size_t bytes, std::size_t align) override {
    if (zone_ == AllocationZone::Heap) return heapDeallocate(p, bytes, align);
    const detail::ResourceHeader h = *detail::headerOf(p);
    std::byte* start = static_cast<std::byte*>(p) - h.offset;
    LinearMemoryAllocator::release(Block{start, bytes + detail::headerPad(align), zone_, BlockOwner::Linear, h.owner});
  }

  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override {
    if (this == &other) return true;
    const auto* z = dynamic_cast<const ZoneMemoryResource*>(&other);
    return z != nullptr && z->zone_ == zone_;
  }

  static void* heapAllocate(std::size_t bytes, std::size_t align);
  static void heapDeallocate(void* p, std::size_t bytes, std::size_t align) noexcept;

  AllocationZone zone_;
};

}  // namespace zonebuf

#endif  // ZONEBUF_HAS_PMR
