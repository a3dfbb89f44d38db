// Bad-input catalogue, checked views: a stale view of every kind (its lease
// went back to the pool and another lease reuses the memory, or its owner was
// destroyed) throws StaleViewError with a message that says what happened
// and what to do, and nothing changes: not the view's cursor, not the bytes
// of the lease that reuses the memory, not the pool's statistics.
#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "support/buffer_snapshot.hpp"
#include "zonebuf/zonebuf.hpp"

namespace zonebuf::misuse_views_test {

using testing::BufferSnapshot;

enum class Kind { Slice, SliceAt, ReadBytes, Duplicate, NativeData, StreamView, DestroyedOwner };
const char* kindName(Kind k) {
  switch (k) {
    case Kind::Slice: return "slice()";
    case Kind::SliceAt: return "slice(i, n)";
    case Kind::ReadBytes: return "readBytes(n)";
    case Kind::Duplicate: return "duplicate()";
    case Kind::NativeData: return "toNativeData()";
    case Kind::StreamView: return "StreamProcessor::readBuffer";
    case Kind::DestroyedOwner: return "slice() of a destroyed owner";
  }
  return "?";
}

// A stale view of `kind`, and the lease that now holds its memory.
struct World {
  BufferPool pool;
  std::optional<PooledBuffer> reuser;
  PlatformBuffer view;
  std::optional<StreamProcessor> stream;

  explicit World(Kind kind) {
    if (kind == Kind::DestroyedOwner) {
      std::optional<PlatformBuffer> owner(PlatformBuffer::allocate(64));
      owner->writeInt(42).resetForRead();
      view = owner->slice();
    } else if (kind == Kind::StreamView) {
      stream.emplace(pool);
      PooledBuffer chunk = pool.acquire(64);
      chunk->writeInt(42).writeInt(43).resetForRead();
      stream->append(std::move(chunk));
      view = std::move(stream->readBuffer(4).buffer());
      stream->skip(4);  // the chunk's last byte: its lease goes back to the pool
    } else {
      PooledBuffer lease = pool.acquire(64);
      lease->writeInt(42).writeInt(43).resetForRead();
      switch (kind) {
        case Kind::Slice: view = lease->slice(); break;
        case Kind::SliceAt: view = lease->slice(0, 8); break;
        case Kind::ReadBytes: view = lease->readBytes(8); break;
        case Kind::Duplicate: view = lease->duplicate(); break;
        case Kind::NativeData: view = PlatformBuffer(std::move(lease->toNativeData().linearBuffer)); break;
        default: break;
      }
    }
    reuser.emplace(pool.acquire(64));  // the same node, when the view came from one
    (*reuser)->writeInt(-606348325).writeInt(7);
  }
};

struct Snapshot {
  std::size_t position, limit, capacity;
  BufferSnapshot reuser;
  std::vector<std::uint64_t> pool;
  static Snapshot of(World& w) {
    const PoolStats p = w.pool.stats();
    return {w.view.position(), w.view.limit(), w.view.capacity(), BufferSnapshot::of(**w.reuser),
            {p.acquisitions, p.hits, p.misses, p.pooledNow, p.outstandingLeases, p.retainedBytes}};
  }
  bool operator==(const Snapshot&) const = default;
};

struct Op {
  const char* name;  // the op the message names
  std::function<void(PlatformBuffer&)> call;
};

std::vector<Op> ops() {
  return {
      {"readInt", [](PlatformBuffer& v) { v.readInt(); }},
      {"writeInt", [](PlatformBuffer& v) { v.writeInt(1); }},
      {"getInt", [](PlatformBuffer& v) { v.getInt(0); }},
      {"setLong", [](PlatformBuffer& v) { v.setLong(0, 1); }},
      {"readBytes", [](PlatformBuffer& v) { v.readBytes(2); }},
      {"toByteArray", [](PlatformBuffer& v) { v.toByteArray(); }},
      {"writeString", [](PlatformBuffer& v) { v.writeString("x"); }},
      {"NativeData::bytes", [](PlatformBuffer& v) { v.toMutableNativeData().bytes(); }},
      {"reader", [](PlatformBuffer& v) { v.reader(4); }},
  };
}

TEST(MisuseViews, EveryStaleViewKindThrowsTypedErrorSaysWhatToDoAndChangesNothing) {
  for (Kind kind : {Kind::Slice, Kind::SliceAt, Kind::ReadBytes, Kind::Duplicate, Kind::NativeData,
                    Kind::StreamView, Kind::DestroyedOwner}) {
    for (const Op& op : ops()) {
      SCOPED_TRACE(std::string(kindName(kind)) + " / " + op.name);
      World w(kind);
      const Snapshot before = Snapshot::of(w);
      try {
        op.call(w.view);
        ADD_FAILURE() << "no exception";
      } catch (const StaleViewError& e) {
        const std::string m = e.what();
        EXPECT_EQ(m.rfind(std::string(op.name) + " on a view of a buffer that was released", 0), 0u) << m;
        EXPECT_NE(m.find("pool lease was returned to the pool"), std::string::npos) << m;
        EXPECT_NE(m.find("keep the owner (or the lease) alive while its views are used, or copy the bytes"),
                  std::string::npos)
            << m;
      } catch (const std::exception& e) {
        ADD_FAILURE() << "wrong exception: " << e.what();
      }
      EXPECT_TRUE(Snapshot::of(w) == before) << "the failed call changed the view, the reusing lease or the pool";
    }
  }
}

// StaleViewError is a std::logic_error (the fix is in the caller), and none
// of the other zonebuf errors.
TEST(MisuseViews, StaleViewErrorIsALogicError) {
  World w(Kind::Slice);
  EXPECT_THROW(w.view.readInt(), std::logic_error);
  try {
    w.view.readInt();
  } catch (const InvalidArgumentError&) {
    ADD_FAILURE() << "a stale view is not a bad argument";
  } catch (const StaleViewError&) {
  }
}

// Releasing the lease again (after its view went stale) is the lease's own
// error; the stale view stays stale and the reusing lease keeps its bytes.
TEST(MisuseViews, DoubleReleaseWhileAViewIsStaleChangesNothing) {
  BufferPool pool;
  PooledBuffer lease = pool.acquire(64);
  PlatformBuffer view = lease->slice();
  lease.release();
  PooledBuffer reuser = pool.acquire(64);
  reuser->writeInt(9);
  const BufferSnapshot before = BufferSnapshot::of(*reuser);
  EXPECT_THROW(lease.release(), InvalidArgumentError);
  EXPECT_TRUE(view.stale());
  EXPECT_THROW(view.getInt(0), StaleViewError);
  EXPECT_TRUE(BufferSnapshot::of(*reuser) == before);
}

}  // namespace zonebuf::misuse_views_test
