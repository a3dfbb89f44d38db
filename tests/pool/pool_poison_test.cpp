// Use after release is reported: pooled memory is ASan-poisoned while idle.
#include <gtest/gtest.h>

#include "zonebuf/zonebuf.hpp"

namespace zonebuf {
namespace {

TEST(PoolPoisonDeathTest, UseAfterReleaseIsReportedUnderAsan) {
#if !defined(ZONEBUF_HAS_ASAN)
  GTEST_SKIP() << "needs the asan preset: only AddressSanitizer can catch a write into an idle pooled buffer";
#else
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        BufferPool pool;
        PooledBuffer lease = pool.acquire(256);
        std::byte* raw = lease->data();
        lease.release();
        raw[3] = std::byte{1};  // the buffer is idle in the pool: poisoned
      },
      "use-after-poison");
#endif
}

TEST(PoolPoison, ReacquiredBufferIsUsableAgain) {
  BufferPool pool;
  { PooledBuffer lease = pool.acquire(256); }
  PooledBuffer lease = pool.acquire(256);
  EXPECT_EQ(pool.stats().hits, 1u);
  while (lease->hasRemaining()) lease->writeByte(7);  // unpoisoned on the way out
}

}  // namespace
}  // namespace zonebuf
