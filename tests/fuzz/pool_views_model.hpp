// The pool fuzzer's checked-view rules (docs/guarantees.md "Checked views"):
// a view (slice(), slice(i, n), readBytes(n), duplicate()) of a lease reads
// the lease's bytes at the right offset while its owner lives (the lease, or
// the PlatformBuffer moved out of it: moving is not releasing); once the owner
// went back to the pool or was destroyed, every checked access throws
// StaleViewError naming the op, before touching a byte: the view's cursor and
// limit stay as they were (the caller checks the pool and the other leases).
//
// Invariant: a TrackedView's [offset, offset + length) lies inside its owner's
// capacity, offset counted from the owner's data().
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "live_ranges_model.hpp"
#include "zonebuf/zonebuf.hpp"

namespace zonebuf::fuzz {

struct TrackedView {
  PlatformBuffer view;
  std::uint32_t owner;  // the lease's tag
  std::size_t offset, length;
};

// A view of `b` (a live lease's buffer, data() == base) chosen by the input;
// checks its shape.
inline TrackedView makeView(PlatformBuffer& b, std::uint32_t owner, int kind, std::size_t pick, long op) {
  const std::size_t pos = b.position(), lim = b.limit();
  TrackedView t{PlatformBuffer(), owner, 0, 0};
  switch (kind) {
    case 0:
      t.view = b.slice();
      t.offset = pos;
      t.length = lim - pos;
      break;
    case 1: {
      const std::size_t index = lim == 0 ? 0 : pick % (lim + 1);
      const std::size_t length = (pick / 7) % (lim - index + 1);
      t.view = b.slice(index, length);
      t.offset = index;
      t.length = length;
      break;
    }
    case 2: {
      const std::size_t n = pick % (lim - pos + 1);
      t.view = b.readBytes(n);
      if (b.position() != pos + n) fail("readBytes did not advance the owner", op);
      t.offset = pos;
      t.length = n;
      break;
    }
    default:
      t.view = b.duplicate();
      if (t.view.position() != pos || t.view.limit() != lim) fail("duplicate cursor", op);
      t.length = b.capacity();
      break;
  }
  if (t.view.stale()) fail("a view of a live lease is stale", op);
  if (t.view.data() != b.data() + t.offset) fail("view does not start at its offset", op);
  if (kind != 3 && (t.view.capacity() != t.length || t.view.position() != 0 || t.view.limit() != t.length))
    fail("view shape", op);
  return t;
}

// A live view reads its owner's bytes (`base`: the owner's data()).
inline void checkLiveView(const TrackedView& t, const std::byte* base, std::size_t pick, long op) {
  if (t.view.stale()) fail("a view of a live owner is stale", op);
  if (t.length == 0) return;
  const std::size_t k = pick % t.length;
  if (t.view.getByte(k) != static_cast<std::int8_t>(base[t.offset + k])) fail("view reads the wrong byte", op);
}

// A stale view: every checked access throws StaleViewError naming the op and
// leaves the view's cursor as it was.
inline void checkStaleView(TrackedView& t, int which, long op) {
  PlatformBuffer& v = t.view;
  if (!v.stale()) fail("a view of a released owner is not stale", op);
  const std::size_t pos = v.position(), lim = v.limit(), cap = v.capacity();
  static constexpr const char* kNames[] = {"readByte", "getByte", "writeInt", "getLong", "toByteArray"};
  const char* name = kNames[which % 5];
  try {
    switch (which % 5) {
      case 0: (void)v.readByte(); break;
      case 1: (void)v.getByte(0); break;
      case 2: v.writeInt(1); break;
      case 3: (void)v.getLong(0); break;
      default: (void)v.toByteArray(); break;
    }
    fail("stale view did not throw", op);
  } catch (const StaleViewError& e) {
    const std::string m = e.what();
    if (m.rfind(std::string(name) + " on a view of a buffer that was released", 0) != 0 ||
        m.find("keep the owner (or the lease) alive while its views are used") == std::string::npos)
      fail("StaleViewError message", op);
  }
  if (v.position() != pos || v.limit() != lim || v.capacity() != cap) fail("stale access moved the view", op);
}

}  // namespace zonebuf::fuzz
