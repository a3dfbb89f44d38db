// Manual AddressSanitizer poisoning, for memory zonebuf hands out itself
// (linear-arena blocks, idle pooled buffers): ASan only knows about malloc's.
//
// Poisoned bytes are ones no caller owns; touching them is reported as
// use-after-poison. Outside ASan builds these are no-ops, so callers use them
// unconditionally. Poisoning works on 8-byte granules: a region that starts
// 8-aligned is exact at its end too (ASan records partially addressable
// granules), which is what every caller here passes.
#pragma once

#include <cstddef>

#include <zonebuf/primitives.hpp>
#if defined(ZONEBUF_HAS_ASAN)
#include <sanitizer/asan_interface.h>
#endif

namespace zonebuf::detail {

inline constexpr bool kAsan = kHasAsan;

[[gnu::always_inline]] inline void asanPoison([[maybe_unused]] const void* p, [[maybe_unused]] std::size_t n) noexcept {
#if defined(ZONEBUF_HAS_ASAN)
  ASAN_POISON_MEMORY_REGION(p, n);
#endif
}
[[gnu::always_inline]] inline void asanUnpoison([[maybe_unused]] const void* p,
                                                [[maybe_unused]] std::size_t n) noexcept {
#if defined(ZONEBUF_HAS_ASAN)
  ASAN_UNPOISON_MEMORY_REGION(p, n);
#endif
}

}  // namespace zonebuf::detail
