// Replays the fuzzer's differential op script (stream_op_script.hpp) with
// seeded random choices, so every build (native, WASM, ASan) runs it.
#include <gtest/gtest.h>

#include <random>

#include "stream/stream_op_script.hpp"

namespace {

struct SeededSource {
  std::mt19937_64 rng;
  std::size_t uint(std::size_t lo, std::size_t hi) { return lo + static_cast<std::size_t>(rng() % (hi - lo + 1)); }
  std::vector<std::byte> bytes(std::size_t n) {
    std::vector<std::byte> v(n);
    // A small alphabet: patterns and UTF-8 sequences match often.
    for (auto& b : v) b = static_cast<std::byte>(rng() % 5 == 0 ? rng() : 0xC3 + rng() % 3);
    return v;
  }
};

TEST(StreamOpScript, StreamAndFlatBufferAgreeAfterEveryOp) {
  zonebuf::BufferPool pool;
  for (std::uint64_t seed = 0; seed < 3000; ++seed) {
    SeededSource src{std::mt19937_64(seed)};
    zonebuf::streamscript::run(src, pool);
  }
  EXPECT_EQ(pool.stats().outstandingLeases, 0u);
}

}  // namespace
