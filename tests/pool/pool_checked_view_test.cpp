// Checked views of pooled buffers: a view of a lease's buffer throws
// StaleViewError once the lease went back to the pool, even when another
// lease already reuses the memory; a view made after the reuse works.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "zonebuf/zonebuf.hpp"

namespace zonebuf::pool_checked_view_test {

void expectStaleRead(PlatformBuffer& view) {
  const std::size_t position = view.position(), limit = view.limit();
  try {
    view.readInt();
    ADD_FAILURE() << "expected StaleViewError";
  } catch (const StaleViewError& e) {
    const std::string m = e.what();
    EXPECT_EQ(m.rfind("readInt on a view of a buffer that was released", 0), 0u) << m;
    EXPECT_NE(m.find("pool lease was returned to the pool"), std::string::npos) << m;
  }
  EXPECT_EQ(view.position(), position);
  EXPECT_EQ(view.limit(), limit);
}

// The probe: acquire, writeInt(42), resetForRead, slice, release the
// lease, another withBuffer reuses the memory, view.readInt() -> typed error.
TEST(PoolCheckedView, TheProbeThrowsInsteadOfReadingTheReusedMemory) {
  for (AllocationZone zone : {AllocationZone::Heap, AllocationZone::Direct}) {
    BufferPool pool;
    std::optional<PooledBuffer> lease(pool.acquire(1024, zone));
    (*lease)->writeInt(42);
    (*lease)->resetForRead();
    PlatformBuffer view = (*lease)->slice();
    const std::byte* memory = (*lease)->data();
    lease.reset();
    pool.withBuffer(1024, zone, [&](PlatformBuffer& b) {
      EXPECT_EQ(b.data(), memory) << "the pool reused the node";
      b.writeInt(-606348325);
      const std::vector<std::byte> before = b.slice().toByteArray();
      expectStaleRead(view);
      EXPECT_EQ(b.position(), 4u);
      EXPECT_EQ(b.duplicate().resetForRead().readInt(), -606348325) << "the stale read changed the new lease";
      EXPECT_EQ(b.slice().toByteArray(), before);
      // A view made now, of the reused buffer, works.
      PlatformBuffer fresh = b.duplicate();
      fresh.resetForRead();
      EXPECT_EQ(fresh.readInt(), -606348325);
      return 0;
    });
    expectStaleRead(view);
  }
}

TEST(PoolCheckedView, AViewEscapingWithBufferIsStaleAfterIt) {
  BufferPool pool;
  PlatformBuffer escaped = pool.withBuffer(256, AllocationZone::Heap, [](PlatformBuffer& b) {
    b.writeInt(1).resetForRead();
    PlatformBuffer v = b.readBytes(4);
    EXPECT_EQ(v.getInt(0), 1);
    return v;
  });
  expectStaleRead(escaped);
  // The node serves the next lease; its new views are live.
  pool.withBuffer(256, AllocationZone::Heap, [](PlatformBuffer& b) {
    b.writeInt(9).resetForRead();
    EXPECT_EQ(b.slice().readInt(), 9);
    return 0;
  });
}

TEST(PoolCheckedView, MovingTheLeaseOrItsBufferKeepsViewsValid) {
  BufferPool pool;
  PooledBuffer lease = pool.acquire(64);
  lease->writeInt(7).resetForRead();
  PlatformBuffer view = lease->slice();
  PooledBuffer moved = std::move(lease);
  EXPECT_EQ(view.getInt(0), 7);
  PlatformBuffer taken = std::move(*moved);  // the buffer leaves the pool with its views
  moved.release();
  EXPECT_EQ(view.getInt(0), 7);
  taken = PlatformBuffer();  // now the block is released
  expectStaleRead(view);
}

TEST(PoolCheckedView, ALeaseReleasedOnAnotherThreadEndsItsViews) {
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
  GTEST_SKIP() << "this WebAssembly build has no threads (use the wasm-threads preset)";
#endif
  PoolConfig config;
  config.threading = ThreadingMode::MultiThreaded;
  BufferPool pool(config);
  std::optional<PooledBuffer> lease(pool.acquire(512));
  (*lease)->writeInt(3).resetForRead();
  PlatformBuffer view = (*lease)->slice();
  std::thread releaser([&] {
    lease.reset();
    pool.withBuffer(512, AllocationZone::Heap, [](PlatformBuffer& b) { return b.writeInt(5).position(); });
  });
  releaser.join();
  expectStaleRead(view);
}

}  // namespace zonebuf::pool_checked_view_test
