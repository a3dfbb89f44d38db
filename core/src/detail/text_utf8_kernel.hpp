// The vector UTF-8 screen of Keiser & Lemire ("Validating UTF-8 In Less Than
// One Instruction Per Byte", 2021), written from the paper's description, as a
// template over the vector unit. Each ISA's file (text_utf8_ssse3.cpp,
// text_utf8_avx2.cpp, text_utf8_vector.cpp for WebAssembly) includes it after
// selecting its target, so every instantiation is compiled for its own ISA.
//
// Every 2-byte error shows up in the pair (previous byte, current byte), so
// three 16-entry tables indexed by the previous byte's high nibble, its low
// nibble and the current byte's high nibble each give the set of error
// classes that nibble allows; a pair is bad when one class survives the AND
// of all three. What pairs cannot see - a third or fourth byte that must be a
// continuation because its lead is 2 or 3 bytes back - is found with
// saturating subtractions and cancels the "two continuations" class, which is
// an error only where no such lead exists.
//
// Invariants:
//  * Vec provides kWidth (16 or 32), kStep (bytes checked between two
//    looks at the error, a multiple of kWidth, at most 64), a vector type V with the bitwise
//    operators (GCC/clang vector extensions; V{} is all zeros) and the
//    operations used below; table() loads a 16-byte table into every lane,
//    constant() loads kWidth bytes, shiftRight4() shifts within 16-bit lanes (the
//    kernel masks the result), lookup() indexes 16-entry tables within each
//    16-byte lane, before<N>(cur, prev) is each byte of cur paired with the
//    byte N positions earlier in the stream.
//  * screenWith<Vec> keeps the contract of screenUtf8 (text_utf8_vector.hpp).
//  * Only templates and data live here (no inline non-template function), so
//    instantiations for different targets never merge at link time.
//  * A file includes it once, after its target pragma and after every other
//    header, so that only this code is compiled for the vector ISA.
#pragma once

namespace zonebuf::text::detail::utf8_kernel {

using u8 = unsigned char;

// Error classes, one bit each. A class may need several nibbles to agree.
inline constexpr u8 kTooShort = 1 << 0;     // lead followed by a non-continuation
inline constexpr u8 kTooLong = 1 << 1;      // ASCII followed by a continuation
inline constexpr u8 kOverlong3 = 1 << 2;    // E0 80..9F
inline constexpr u8 kTooLarge = 1 << 3;     // F4 90..BF, F5..FF + continuation
inline constexpr u8 kSurrogate = 1 << 4;    // ED A0..BF
inline constexpr u8 kOverlong2 = 1 << 5;    // C0, C1 + continuation
inline constexpr u8 kTooLarge1000 = 1 << 6; // F5..FF 80..8F (F4 80..8F is fine)
inline constexpr u8 kOverlong4 = 1 << 6;    // F0 80..8F: shares the bit, the nibbles tell them apart
inline constexpr u8 kTwoConts = 1 << 7;     // continuation after continuation
// Classes decided by the previous byte's high nibble alone.
inline constexpr u8 kCarry = kTooShort | kTooLong | kTwoConts;

// Indexed by the previous byte's high nibble.
alignas(16) inline constexpr u8 kPrevHigh[16] = {
    kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong,  // 0..7: ASCII
    kTwoConts, kTwoConts, kTwoConts, kTwoConts,                                      // 8..B: continuation
    kTooShort | kOverlong2,                                                          // C
    kTooShort,                                                                       // D
    kTooShort | kOverlong3 | kSurrogate,                                             // E
    kTooShort | kTooLarge | kTooLarge1000 | kOverlong4,                              // F
};

// Indexed by the previous byte's low nibble.
alignas(16) inline constexpr u8 kPrevLow[16] = {
    kCarry | kOverlong3 | kOverlong2 | kOverlong4,          // x0: C0, E0, F0
    kCarry | kOverlong2,                                    // x1: C1
    kCarry, kCarry,                                         // x2, x3
    kCarry | kTooLarge,                                     // x4: F4 (90..BF too large)
    kCarry | kTooLarge | kTooLarge1000,                     // x5..xC: F5..FC
    kCarry | kTooLarge | kTooLarge1000,
    kCarry | kTooLarge | kTooLarge1000,
    kCarry | kTooLarge | kTooLarge1000,
    kCarry | kTooLarge | kTooLarge1000,
    kCarry | kTooLarge | kTooLarge1000,
    kCarry | kTooLarge | kTooLarge1000,
    kCarry | kTooLarge | kTooLarge1000,
    kCarry | kTooLarge | kTooLarge1000 | kSurrogate,        // xD: ED
    kCarry | kTooLarge | kTooLarge1000,                     // xE, xF
    kCarry | kTooLarge | kTooLarge1000,
};

// Indexed by the current byte's high nibble.
alignas(16) inline constexpr u8 kCurHigh[16] = {
    kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort,  // ASCII
    kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge1000 | kOverlong4,  // 80..8F
    kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge,                   // 90..9F
    kTooLong | kOverlong2 | kTwoConts | kSurrogate | kTooLarge,                   // A0..AF
    kTooLong | kOverlong2 | kTwoConts | kSurrogate | kTooLarge,                   // B0..BF
    kTooShort, kTooShort, kTooShort, kTooShort,                                   // leads
};

// A byte in one of the last 3 positions of a block above these starts a
// sequence that the block does not finish; a W-byte block uses the last W.
alignas(32) inline constexpr u8 kIncompleteAbove[32] = {
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xEF, 0xDF, 0xBF};


template <class Vec>
struct Screen {
  using V = typename Vec::V;
  // The constants are members, set up once per call: V8 rematerialises a
  // WebAssembly v128.const at every use inside a loop, a register does not.
  V prevHigh, prevLow, curHigh, incompleteAbove, lowNibble, thirdBias, fourthBias, highBit;
  V prev;        // the block before, for the bytes 1..3 back
  V incomplete;  // non-zero: prev ends inside a sequence
  V error;

  // Written out (no default member initialisers) so that it is compiled for
  // the same target as the kernel.
  [[gnu::always_inline]] Screen()
      : prevHigh(Vec::table(kPrevHigh)),
        prevLow(Vec::table(kPrevLow)),
        curHigh(Vec::table(kCurHigh)),
        incompleteAbove(Vec::constant(kIncompleteAbove + 32 - Vec::kWidth)),
        lowNibble(Vec::splat(0x0F)),
        thirdBias(Vec::splat(0xE0 - 0x80)),
        fourthBias(Vec::splat(0xF0 - 0x80)),
        highBit(Vec::splat(0x80)),
        prev(V{}),
        incomplete(V{}),
        error(V{}) {}

  [[gnu::always_inline]] V highNibble(V a) const { return Vec::shiftRight4(a) & lowNibble; }

  [[gnu::always_inline]] void check(V cur) {
    const V prev1 = Vec::template before<1>(cur, prev);
    const V special = Vec::lookup(prevHigh, highNibble(prev1)) & Vec::lookup(prevLow, prev1 & lowNibble) &
                      Vec::lookup(curHigh, highNibble(cur));
    // High bit set where the byte 2 back is E0..FF or the byte 3 back is F0..FF.
    const V third = Vec::subSat(Vec::template before<2>(cur, prev), thirdBias);
    const V fourth = Vec::subSat(Vec::template before<3>(cur, prev), fourthBias);
    const V mustContinue = (third | fourth) & highBit;
    error |= mustContinue ^ special;
    incomplete = Vec::subSat(cur, incompleteAbove);
    prev = cur;
  }
};

// kStep bytes per step. ASCII runs take a tight loop of their own: inside one,
// only an unfinished sequence just before it can be wrong, and after it the
// previous bytes are ASCII, which the tables treat as zeros.
template <class Vec, int kBytes>
[[gnu::always_inline]] inline bool isAscii(const u8* p) {
  typename Vec::V any = Vec::load(p);
  for (int k = 1; k < kBytes / Vec::kWidth; ++k) any |= Vec::load(p + k * Vec::kWidth);
  return !Vec::anyHighBit(any);
}

template <class Vec>
[[gnu::always_inline]] inline const u8* screenWith(const u8* p, const u8* end) noexcept {
  constexpr int kWidth = Vec::kWidth;
  // Leading ASCII (most text starts with it, much is nothing else) needs no tables.
  while (end - p >= 256 && isAscii<Vec, 256>(p)) p += 256;
  while (end - p >= 64 && isAscii<Vec, 64>(p)) p += 64;
  if (p == end) return end;
  Screen<Vec> s;
  constexpr int kStep = Vec::kStep;
  while (end - p >= kStep) {
    if (isAscii<Vec, kStep>(p)) {
      if (Vec::anyNonZero(s.incomplete)) return p;
      p += kStep;
      while (end - p >= 128 && isAscii<Vec, 128>(p)) p += 128;
      s.prev = typename Vec::V{};
      s.incomplete = typename Vec::V{};
      continue;
    }
    for (int k = 0; k < kStep / kWidth; ++k) s.check(Vec::load(p + k * kWidth));
    if (Vec::anyNonZero(s.error)) return p;
    p += kStep;
  }
  while (end - p >= kWidth) {
    s.check(Vec::load(p));
    if (Vec::anyNonZero(s.error)) return p;
    p += kWidth;
  }
  if (p != end) {
    // The zeros after the last bytes act as ASCII, so an unfinished sequence
    // there is an error of this block.
    alignas(32) u8 tail[kWidth] = {};
    __builtin_memcpy(tail, p, static_cast<unsigned long>(end - p));
    s.check(Vec::load(tail));
    return Vec::anyNonZero(s.error) ? p : end;
  }
  return Vec::anyNonZero(s.incomplete) ? end - 1 : end;
}

}  // namespace zonebuf::text::detail::utf8_kernel
