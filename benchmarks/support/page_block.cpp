#include "support/page_block.hpp"

#include <cstdlib>
#include <cstring>
#include <new>

namespace zonebuf::bench {

PageBlock::PageBlock(std::size_t size, std::size_t pageOffset) : offset_(pageOffset % kPage) {
  const std::size_t bytes = (size + offset_ + kPage - 1) / kPage * kPage;
  auto* p = static_cast<std::byte*>(std::aligned_alloc(kPage, bytes));
  if (p == nullptr) throw std::bad_alloc();
  std::memset(p, 0x5a, bytes);  // touch every page before timing starts
  base_.reset(p);
}

void PageBlock::Free::operator()(std::byte* p) const noexcept { std::free(p); }

}  // namespace zonebuf::bench
