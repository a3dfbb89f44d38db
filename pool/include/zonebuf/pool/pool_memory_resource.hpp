// PoolMemoryResource: a std::pmr::memory_resource over a BufferPool, for
// standard containers whose memory should come from (and go back to) the
// pool's buffers in one zone.
//
// Invariants:
// - Small requests (bytes <= smallMax(), 256 by default, alignment <= 16)
//   come from the resource's own segregated free lists, one per 16-byte
//   class, carved from 16 KiB slabs leased from the pool. A container node
//   (pmr::list: 24 B, unordered_map<int,int>: 16 B) is far below the pool's
//   smallest class (64 B by default) and a lease per node would also cost a
//   PoolNode and the lease bookkeeping; a free list costs one load and one
//   store. Chunks go back to their class's list (deallocate's size picks it),
//   slabs go back to the pool when the resource is destroyed.
// - Every other request is one lease: pool.acquire(bytes + pad), with the
//   PooledBuffer itself stored in the 16 bytes just below the returned
//   pointer, so deallocate() ends exactly that lease. Requests above the
//   zone's largest class are served unpooled, as acquire() does.
// - Alignment: any power of two. Up to 16 costs nothing extra on small
//   requests; larger alignments take the lease path and pad by the alignment
//   (the pool's Heap buffers are 16-aligned, Direct/SharedMemory 64-aligned).
// - Like std::pmr::unsynchronized_pool_resource it is not thread-safe: one
//   resource per thread (a MultiThreaded pool may back several). It must
//   outlive every container using it, and the pool must outlive it.
// - do_is_equal is identity: another resource over the same pool has its own
//   free lists, so memory cannot be freed through it.
// - Failures are the pool's OutOfMemoryError (a std::bad_alloc); nothing
//   changes then.
// Available where ZONEBUF_HAS_PMR is 1 (see zone_memory_resource.hpp).
#pragma once

#include "zonebuf/allocators/zone_memory_resource.hpp"

#if ZONEBUF_HAS_PMR

#include <array>
#include <cstddef>
#include <memory_resource>
#include <new>
#include <vector>

#include "zonebuf/allocators/detail/asan.hpp"
#include "zonebuf/allocators/detail/thread_arena.hpp"
#include "zonebuf/pool/buffer_pool.hpp"
#include "zonebuf/primitives.hpp"

namespace zonebuf {

class PoolMemoryResource final : public std::pmr::memory_resource {
 public:
  static constexpr std::size_t kGranule = 16;
  static constexpr std::size_t kDefaultSmallMax = 256;
  static constexpr std::size_t kMaxSmallMax = 1024;
  static constexpr std::size_t kSlabBytes = 16 * 1024;

  // smallMax: the largest request served from the small-object lists (a
  // multiple of 16, at most kMaxSmallMax; 0 sends every request to the pool).
  // Throws InvalidArgumentError for a bad zone or smallMax.
  explicit PoolMemoryResource(BufferPool& pool, AllocationZone zone = AllocationZone::Heap,
                              std::size_t smallMax = kDefaultSmallMax);
  ~PoolMemoryResource() override;
  PoolMemoryResource(const PoolMemoryResource&) = delete;
  PoolMemoryResource& operator=(const PoolMemoryResource&) = delete;

  BufferPool& pool() const noexcept { return *pool_; }
  AllocationZone zone() const noexcept { return zone_; }
  std::size_t smallMax() const noexcept { return smallMax_; }
  // Slabs leased for small requests (returned when the resource ends).
  std::size_t slabCount() const noexcept { return slabs_.size(); }

 private:
  using Chunk = detail::FreeNode;
  static constexpr std::size_t kClassCount = kMaxSmallMax / kGranule;

  // Needs bytes <= smallMax_ (<= kMaxSmallMax, the constructor checks): said
  // to the optimiser, which otherwise sees the index of a huge constant size.
  [[gnu::always_inline]] static std::size_t classOf(std::size_t bytes) noexcept {
    const std::size_t c = (bytes - (bytes != 0)) / kGranule;
    if (c >= kClassCount) __builtin_unreachable();
    return c;
  }

  void* do_allocate(std::size_t bytes, std::size_t align) override {
    ZONEBUF_ASSERT(std::has_single_bit(align), "alignment must be a power of two");
    if (ZONEBUF_LIKELY(bytes <= smallMax_ && align <= kGranule)) {
      const std::size_t c = classOf(bytes);
      if (Chunk* f = free_[c]) {
        free_[c] = detail::nextOf(f);
        detail::asanUnpoison(f, (c + 1) * kGranule);
        return f;
      }
      return carve(c);
    }
    return allocateLease(bytes, align);
  }

  void do_deallocate(void* p, std::size_t bytes, std::size_t align) override {
    if (ZONEBUF_LIKELY(bytes <= smallMax_ && align <= kGranule)) {
      const std::size_t c = classOf(bytes);
      ZONEBUF_ASSERT(reinterpret_cast<std::uintptr_t>(p) % kGranule == 0, "a small chunk is 16-aligned");
      ZONEBUF_ASSERT_EXPENSIVE(ownsSmall(p), "deallocate() of memory this resource did not hand out");
      auto* f = static_cast<Chunk*>(p);
      detail::setNext(f, free_[c]);
      detail::asanPoison(f, (c + 1) * kGranule);
      free_[c] = f;
      return;
    }
    auto* held = std::launder(reinterpret_cast<PooledBuffer*>(static_cast<std::byte*>(p) - sizeof(detail::ResourceHeader)));
    PooledBuffer lease(std::move(*held));  // out of the buffer before the pool poisons it
    held->~PooledBuffer();
  }

  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }

  // The lease path: pad for the header and alignment, store the lease below the pointer.
  void* allocateLease(std::size_t bytes, std::size_t align) {
    const std::size_t pad = detail::headerPad(align);
    if (ZONEBUF_UNLIKELY(bytes > SIZE_MAX / 2 - pad)) detail::throwResourceTooLarge("PoolMemoryResource", bytes, align);
    PooledBuffer lease = pool_->acquire(bytes + pad, zone_);
    std::byte* p = detail::alignedAfterHeader(lease->data(), align);
    ZONEBUF_ASSERT(p + bytes <= lease->data() + lease->capacity(), "the pad covers header and alignment");
    ::new (p - sizeof(detail::ResourceHeader)) PooledBuffer(std::move(lease));
    return p;
  }

  // A new chunk of class c from the current slab, or from a new slab.
  void* carve(std::size_t c);
  bool ownsSmall(const void* p) noexcept;

  BufferPool* pool_;
  AllocationZone zone_;
  std::size_t smallMax_;
  std::array<Chunk*, kClassCount> free_{};
  std::byte* bump_ = nullptr;  // the current slab's uncarved rest [bump_, slabEnd_)
  std::byte* slabEnd_ = nullptr;
  std::vector<PooledBuffer> slabs_;
};

static_assert(sizeof(PooledBuffer) <= sizeof(detail::ResourceHeader) &&
              alignof(PooledBuffer) <= alignof(detail::ResourceHeader));

}  // namespace zonebuf

#endif  // ZONEBUF_HAS_PMR
