// PageBlock: memory for memcpy baselines whose placement within a 4 KiB page
// is fixed. Copies where (dst - src) mod 4096 is small and positive hit
// 4K-aliasing (a load appears to depend on an earlier store to a different
// page) and run many times slower, natively and in WASM; a baseline that
// reused one allocation for both ends, or let the allocator pick, would
// measure that accident instead of memcpy. Invariant: data() % 4096 ==
// pageOffset, and the block is independent of every other PageBlock.
#pragma once

#include <cstddef>
#include <memory>

namespace zonebuf::bench {

class PageBlock {
 public:
  static constexpr std::size_t kPage = 4096;

  PageBlock(std::size_t size, std::size_t pageOffset);
  std::byte* data() const noexcept { return base_.get() + offset_; }

 private:
  struct Free {
    void operator()(std::byte* p) const noexcept;
  };
  std::unique_ptr<std::byte, Free> base_;
  std::size_t offset_;
};

}  // namespace zonebuf::bench
