// The compiler vocabulary every layer uses: branch hints, inlining and
// placement attributes, sanitizer detection, bit casts and assertions.
//
// Invariants this header keeps:
//   - ZONEBUF_ASSERT(c) evaluates c only when ZONEBUF_ASSERT_LEVEL >= 1 and
//     ZONEBUF_ASSERT_EXPENSIVE(c) only when it is >= 2; at level 0 both
//     compile to nothing (c is not evaluated, so it must have no side effect).
//   - The level is set by the build (CMake option ZONEBUF_ASSERT_LEVEL:
//     2 in the debug, asan and tsan presets, 0 in release presets); a
//     translation unit may define it before any zonebuf include.
//   - A failed assertion prints the expression, file, line and message on
//     stderr and aborts: it marks a bug in zonebuf or a broken precondition,
//     never bad input (bad input gets a typed error in every build).
#pragma once

#include <cstdint>

#ifndef ZONEBUF_ASSERT_LEVEL
#define ZONEBUF_ASSERT_LEVEL 0
#endif

// __builtin_expect only orders blocks. [[likely]]/[[unlikely]] and
// [[gnu::cold]] on the out-of-line slow paths were measured to be worse on the
// pool's hit path with g++ 12: marking the slow paths cold placed the whole
// inlined hit path in .text.unlikely, jumping there and back on every hit
// (7.4 ns -> 5.2 ns per 1 KiB acquire+release once removed).
#define ZONEBUF_LIKELY(x) __builtin_expect(static_cast<bool>(x), 1)
#define ZONEBUF_UNLIKELY(x) __builtin_expect(static_cast<bool>(x), 0)

// For functions that only build and throw errors or handle rare events: never
// inlined into a caller, kept out of its cache lines. Do not put it on slow
// paths that an inlined hot path calls (see above).
#define ZONEBUF_COLD [[gnu::cold, gnu::noinline]]
// Kept out of line so that it stays off a caller's hot path, without the
// placement of ZONEBUF_COLD.
#define ZONEBUF_NOINLINE [[gnu::noinline]]
// For the small helpers of hot loops whose inlining the optimiser must not
// weigh (it sometimes declines at -O2 in WASM builds).
#define ZONEBUF_ALWAYS_INLINE [[gnu::always_inline]] inline

#if defined(__SANITIZE_ADDRESS__)
#define ZONEBUF_HAS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ZONEBUF_HAS_ASAN 1
#endif
#endif

#if defined(__SANITIZE_THREAD__)
#define ZONEBUF_HAS_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define ZONEBUF_HAS_TSAN 1
#endif
#endif

namespace zonebuf::detail {

inline constexpr bool kHasAsan =
#if defined(ZONEBUF_HAS_ASAN)
    true;
#else
    false;
#endif

inline constexpr bool kHasTsan =
#if defined(ZONEBUF_HAS_TSAN)
    true;
#else
    false;
#endif

inline constexpr int kAssertLevel = ZONEBUF_ASSERT_LEVEL;

// std::bit_cast is missing from the libc++ that ships with Debian's
// Emscripten 3.1.6; both compilers have the builtin it is made of.
template <class To, class From>
[[gnu::always_inline]] constexpr To bitCast(const From& from) noexcept {
  static_assert(sizeof(To) == sizeof(From));
  return __builtin_bit_cast(To, from);
}

[[noreturn]] ZONEBUF_COLD void assertionFailed(const char* expression, const char* file, int line,
                                               const char* message) noexcept;

}  // namespace zonebuf::detail

#if ZONEBUF_ASSERT_LEVEL >= 1
// ZONEBUF_ASSERT(cond) or ZONEBUF_ASSERT(cond, "what it means").
#define ZONEBUF_ASSERT(cond, ...)                                                               \
  (ZONEBUF_LIKELY(cond) ? static_cast<void>(0)                                                  \
                        : ::zonebuf::detail::assertionFailed(#cond, __FILE__, __LINE__,         \
                                                             ZONEBUF_ASSERT_MESSAGE_(__VA_ARGS__)))
#define ZONEBUF_ASSERT_MESSAGE_(...) ("" __VA_ARGS__)
#else
#define ZONEBUF_ASSERT(cond, ...) static_cast<void>(0)
#endif

#if ZONEBUF_ASSERT_LEVEL >= 2
// For checks that cost more than the operation they guard (walking a list,
// scanning a region): debug and sanitizer builds only.
#define ZONEBUF_ASSERT_EXPENSIVE(cond, ...) ZONEBUF_ASSERT(cond, __VA_ARGS__)
#else
#define ZONEBUF_ASSERT_EXPENSIVE(cond, ...) static_cast<void>(0)
#endif
