// Which UTF-8 screen runs: on x86-64 the widest of AVX-512BW (an ASCII prefix
// in front of the AVX2 kernel) / AVX2 / SSSE3 the CPU has, chosen once at
// start-up (the native build targets baseline x86-64, which guarantees none); in WebAssembly the SIMD128 one (the wasm presets
// compile with -msimd128, where a swizzle is the table lookup); elsewhere
// none, and the scalar decoder checks everything.
#include "detail/text_utf8_vector.hpp"

#include <cstddef>
#include <cstdint>

#include "zonebuf/primitives.hpp"

#if defined(__x86_64__)
#include "detail/text_utf8_x86.hpp"
#elif defined(__wasm_simd128__)
#include <wasm_simd128.h>

#include "detail/text_utf8_kernel.hpp"
#endif

namespace zonebuf::text::detail {
namespace {

using u8 = std::uint8_t;

#if defined(__wasm_simd128__)
struct Simd128 {
  // One block per look at the error: V8 spills the state of four.
  static constexpr int kStep = 16;
  static constexpr int kWidth = 16;
  using V = v128_t;
  static V load(const void* p) { return wasm_v128_load(p); }
  // Hidden from the optimiser so that clang loads the constants once into
  // locals instead of folding them into a v128.const at each use.
  static V table(const u8* t) {
    asm("" : "+r"(t));
    return wasm_v128_load(t);
  }
  static V constant(const u8* t) { return table(t); }
  static V splat(u8 b) {
    unsigned v = b;
    asm("" : "+r"(v));
    return wasm_i8x16_splat(static_cast<std::int8_t>(v));
  }
  static V subSat(V a, V b) { return wasm_u8x16_sub_sat(a, b); }
  // A 16-bit shift (the kernel masks it): V8 expands i8x16.shr_u on x86.
  static V shiftRight4(V a) { return wasm_u16x8_shr(a, 4); }
  static V lookup(V table, V nibble) { return wasm_i8x16_swizzle(table, nibble); }
  template <int N>
  static V before(V cur, V prev) {
    if constexpr (N == 1) {
      return wasm_i8x16_shuffle(prev, cur, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30);
    } else if constexpr (N == 2) {
      return wasm_i8x16_shuffle(prev, cur, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29);
    } else {
      static_assert(N == 3);
      return wasm_i8x16_shuffle(prev, cur, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28);
    }
  }
  static bool anyHighBit(V a) { return wasm_i8x16_bitmask(a) != 0; }
  static bool anyNonZero(V a) { return wasm_v128_any_true(a); }
};
#endif

}  // namespace

#if defined(__x86_64__)
// libgcc's CPU check counts AVX-512 only when the OS saves the zmm state.
const ScreenUtf8Fn kScreenUtf8 = [] () -> ScreenUtf8Fn {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx2")) return &screenUtf8Avx512;
  if (__builtin_cpu_supports("avx2")) return &screenUtf8Avx2;
  if (__builtin_cpu_supports("ssse3")) return &screenUtf8Ssse3;
  return nullptr;
}();
#elif defined(__wasm_simd128__)
namespace {

// [p, q) is ASCII and q a sequence boundary: the full kernel from q, out of
// line, as its constants and state take a frame that ASCII text never needs.
[[gnu::noinline]] const u8* screenFrom(const u8* p, const u8* q, const u8* end, u8* copyTo) noexcept {
  const u8* hit = utf8_kernel::screenWith<Simd128>(q, end);
  // With -mbulk-memory this is one memory.copy.
  if (copyTo != nullptr && hit == end && p != end) __builtin_memcpy(copyTo, p, static_cast<std::size_t>(end - p));
  return hit;
}

ZONEBUF_ALWAYS_INLINE v128_t or4(const u8* p) {
  return wasm_v128_or(wasm_v128_or(wasm_v128_load(p), wasm_v128_load(p + 16)),
                      wasm_v128_or(wasm_v128_load(p + 32), wasm_v128_load(p + 48)));
}

ZONEBUF_ALWAYS_INLINE bool isAscii16(const u8* p) { return wasm_i8x16_bitmask(wasm_v128_load(p)) == 0; }

}  // namespace

// ASCII first, in its own small loops: after one unaligned vector the loads
// are 16-byte aligned, so none straddles a cache line.
const u8* screenUtf8(const u8* p, const u8* end, u8* copyTo) noexcept {
  if (end - p < 16) return screenFrom(p, p, end, copyTo);
  if (!isAscii16(p)) return screenFrom(p, p, end, copyTo);
  const u8* q = p + 16 - (reinterpret_cast<std::uintptr_t>(p) & 15);
  while (end - q >= 256) {
    const v128_t any = wasm_v128_or(wasm_v128_or(or4(q), or4(q + 64)), wasm_v128_or(or4(q + 128), or4(q + 192)));
    if (wasm_i8x16_bitmask(any) != 0) break;
    q += 256;
  }
  while (end - q >= 64 && wasm_i8x16_bitmask(or4(q)) == 0) q += 64;
  while (end - q >= 16) {
    if (!isAscii16(q)) return screenFrom(p, q, end, copyTo);
    q += 16;
  }
  // The last 16 bytes (those before q are ASCII already).
  if (q != end && !isAscii16(end - 16)) return screenFrom(p, q, end, copyTo);
  if (copyTo != nullptr) __builtin_memcpy(copyTo, p, static_cast<std::size_t>(end - p));
  return end;
}
#else
const u8* screenUtf8(const u8* p, const u8* end, u8* copyTo) noexcept {
  (void)end;
  (void)copyTo;
  return p;
}
#endif

const char* vectorScreenName() noexcept {
#if defined(__x86_64__)
  return kScreenUtf8 == &screenUtf8Avx512 ? "avx512"
         : kScreenUtf8 == &screenUtf8Avx2  ? "avx2"
         : kScreenUtf8 == &screenUtf8Ssse3 ? "ssse3"
                                           : "none";
#elif defined(__wasm_simd128__)
  return "simd128";
#else
  return "none";
#endif
}

}  // namespace zonebuf::text::detail
