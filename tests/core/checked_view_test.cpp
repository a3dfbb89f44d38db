// Checked views (core/include/zonebuf/core/detail/view_guard.hpp): every view
// of an owned buffer throws StaleViewError once its owner is released, before
// touching a byte; moving the owner is not releasing it; views of wrap()-ed
// memory are not checked.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "zonebuf/zonebuf.hpp"

namespace zonebuf::checked_view_test {

constexpr const char* kWhat = "on a view of a buffer that was released";
constexpr const char* kFix = "keep the owner";

// The cursor a stale call must leave as it was (its bytes may be gone).
struct Cursor {
  std::size_t position, limit, capacity;
  bool operator==(const Cursor&) const = default;
};
Cursor cursorOf(const PlatformBuffer& b) { return {b.position(), b.limit(), b.capacity()}; }

// `call` throws StaleViewError naming `op` and what to do, and `view`'s cursor is unchanged.
void expectStale(PlatformBuffer& view, const std::string& op, const std::function<void()>& call) {
  const Cursor before = cursorOf(view);
  try {
    call();
    ADD_FAILURE() << op << ": expected StaleViewError, nothing was thrown";
  } catch (const StaleViewError& e) {
    const std::string m = e.what();
    EXPECT_EQ(m.rfind(op + " " + kWhat, 0), 0u) << m;
    EXPECT_NE(m.find(kFix), std::string::npos) << m;
    EXPECT_NE(m.find("pool"), std::string::npos) << m;
  } catch (const std::exception& e) {
    ADD_FAILURE() << op << ": wrong exception: " << e.what();
  }
  EXPECT_TRUE(cursorOf(view) == before) << op << " moved the stale view's cursor";
}

std::unique_ptr<PlatformBuffer> ownerWithInts(AllocationZone zone = AllocationZone::Heap) {
  auto b = std::make_unique<PlatformBuffer>(PlatformBuffer::allocate(64, zone));
  for (int i = 0; i < 16; ++i) b->writeInt(i);
  b->resetForRead();
  return b;
}

using MakeView = std::function<PlatformBuffer(PlatformBuffer&)>;
struct ViewKind {
  const char* name;
  MakeView make;
};

std::vector<ViewKind> viewKinds() {
  return {
      {"slice()", [](PlatformBuffer& b) { return b.slice(); }},
      {"slice(i, n)", [](PlatformBuffer& b) { return b.slice(8, 32); }},
      {"readBytes(n)", [](PlatformBuffer& b) { return b.readBytes(32); }},
      {"duplicate()", [](PlatformBuffer& b) { return b.duplicate(); }},
      {"toNativeData()", [](PlatformBuffer& b) { return PlatformBuffer(std::move(b.toNativeData().linearBuffer)); }},
      {"toMutableNativeData()",
       [](PlatformBuffer& b) { return PlatformBuffer(std::move(b.toMutableNativeData().linearBuffer)); }},
      {"slice of a slice", [](PlatformBuffer& b) { return b.slice().slice(4, 16); }},
      {"duplicate of readBytes", [](PlatformBuffer& b) { return b.readBytes(16).duplicate(); }},
  };
}

TEST(CheckedView, LiveViewsOfEveryKindReadTheOwnersBytes) {
  for (const ViewKind& k : viewKinds()) {
    auto owner = ownerWithInts();
    PlatformBuffer v = k.make(*owner);
    EXPECT_FALSE(v.stale()) << k.name;
    EXPECT_FALSE(v.ownsMemory()) << k.name;
    v.setInt(0, 77);
    EXPECT_EQ(v.getInt(0), 77) << k.name;
    EXPECT_NO_THROW(v.requireLive("test")) << k.name;
  }
}

TEST(CheckedView, EveryKindIsStaleOnceTheOwnerIsDestroyed) {
  for (AllocationZone zone : {AllocationZone::Heap, AllocationZone::Direct}) {
    for (const ViewKind& k : viewKinds()) {
      SCOPED_TRACE(k.name);
      auto owner = ownerWithInts(zone);
      PlatformBuffer v = k.make(*owner);
      owner.reset();
      EXPECT_TRUE(v.stale());
      expectStale(v, "readInt", [&] { v.readInt(); });
      expectStale(v, "writeInt", [&] { v.writeInt(1); });
      expectStale(v, "getInt", [&] { v.getInt(0); });
      expectStale(v, "setInt", [&] { v.setInt(0, 1); });
    }
  }
}

// Every byte-touching call, on a stale view, throws before touching a byte.
TEST(CheckedView, EveryAccessOfAStaleViewThrows) {
  auto owner = ownerWithInts();
  PlatformBuffer v = owner->slice();
  PlatformBuffer live = PlatformBuffer::allocate(64);
  owner.reset();
  std::array<std::int32_t, 2> ints{};
  std::array<std::byte, 4> bytes{};
  std::string line;
  const std::vector<std::pair<std::string, std::function<void()>>> calls = {
      {"readByte", [&] { v.readByte(); }},
      {"readLong", [&] { v.readLong(); }},
      {"readDouble", [&] { v.readDouble(); }},
      {"writeShort", [&] { v.writeShort(1); }},
      {"getLong", [&] { v.getLong(8); }},
      {"setDouble", [&] { v.setDouble(8, 1.0); }},
      {"readInt", [&] { v.readInt(ByteOrder::LittleEndian); }},
      {"getInt", [&] { v.getInt(0, ByteOrder::LittleEndian); }},
      {"writeInt", [&] { v.writeInt(1, ByteOrder::LittleEndian); }},
      {"setInt", [&] { v.setInt(0, 1, ByteOrder::LittleEndian); }},
      {"readInts", [&] { v.readInts(ints); }},
      {"writeInts", [&] { v.writeInts(ints); }},
      {"writeBytes", [&] { v.writeBytes(std::span<const std::byte>(bytes)); }},
      {"readBytes", [&] { v.readBytes(4); }},
      {"readByteArray", [&] { v.readByteArray(4); }},
      {"toByteArray", [&] { v.toByteArray(); }},
      {"write(PlatformBuffer&)", [&] { v.write(live); }},
      {"write(PlatformBuffer&) (its source)", [&] { live.write(v); }},
      {"writer", [&] { v.writer(4); }},
      {"reader", [&] { v.reader(4); }},
      {"writeString", [&] { v.writeString("hi"); }},
      {"readString", [&] { v.readString(2); }},
      {"indexOf", [&] { v.indexOf(std::uint8_t{3}); }},
      {"indexOf", [&] { v.indexOf(std::string_view("ab")); }},
      {"mismatch", [&] { v.mismatch(live); }},
      {"mismatch", [&] { live.contentEquals(v); }},
      {"mismatch", [&] { v.compareTo(live); }},
      {"hash", [&] { v.hash(); }},
      {"fill", [&] { v.fill(0); }},
      {"xorMask", [&] { v.xorMask(0x01020304u); }},
      {"compact", [&] { v.compact(); }},
      {"readSignedNumber", [&] { v.readMedium(); }},
      {"readUnsignedNumber", [&] { v.readUnsignedNumber(3); }},
      {"writeSignedNumber", [&] { v.writeSignedNumber(-1, 3); }},
      {"readVarUInt", [&] { v.readVarUInt(); }},
      {"readVarInt", [&] { v.readVarInt(); }},
      {"writeVarUInt", [&] { v.writeVarUInt(300); }},
      {"readVariableByteInteger", [&] { v.readVariableByteInteger(); }},
      {"writeVariableByteInteger", [&] { v.writeVariableByteInteger(300); }},
      {"readLine", [&] { v.readLine(line); }},
      {"readLengthPrefixedString", [&] { v.readLengthPrefixedString(); }},
      {"writeLengthPrefixedString", [&] { v.writeLengthPrefixedString("x"); }},
      {"hexDump", [&] { v.hexDump(); }},
      {"NativeData::bytes", [&] { v.toNativeData().bytes(); }},
  };
  const std::vector<std::byte> liveBefore = live.toByteArray();
  for (const auto& [op, call] : calls) expectStale(v, op, call);
  EXPECT_EQ(live.toByteArray(), liveBefore) << "a failed call changed the live buffer";
  EXPECT_EQ(live.position(), 0u);
}

// Making a view of a stale view touches no byte: the new view is stale too.
TEST(CheckedView, ViewsOfAStaleViewAreStale) {
  auto owner = ownerWithInts();
  PlatformBuffer v = owner->slice();
  owner.reset();
  PlatformBuffer s = v.slice();
  PlatformBuffer d = v.duplicate();
  PlatformBuffer w = v.slice(0, 8);
  for (PlatformBuffer* b : {&s, &d, &w}) expectStale(*b, "readInt", [&] { b->readInt(); });
  expectStale(v, "readBytes", [&] { v.readBytes(4); });
}

TEST(CheckedView, MovingTheOwnerKeepsItsViewsValid) {
  auto owner = ownerWithInts();
  PlatformBuffer v = owner->slice();
  PlatformBuffer moved = std::move(*owner);
  owner.reset();  // the moved-from owner is destroyed: it owns nothing
  EXPECT_EQ(v.getInt(4), 1);
  PlatformBuffer movedAgain;
  movedAgain = std::move(moved);
  EXPECT_EQ(v.readInt(), 0);
  EXPECT_FALSE(v.stale());
  // A view moved around stays the same view.
  PlatformBuffer v2 = std::move(v);
  EXPECT_EQ(v2.readInt(), 1);
  // Releasing the last owner ends them all.
  movedAgain = PlatformBuffer::allocate(8);  // assigned over: the old block is released
  expectStale(v2, "readInt", [&] { v2.readInt(); });
}

TEST(CheckedView, DetachingTheBlockEndsItsViews) {
  PlatformBuffer owner = PlatformBuffer::allocate(32);
  PlatformBuffer v = owner.slice();
  const Block b = BufferAccess::detach(owner);
  expectStale(v, "readInt", [&] { v.readInt(); });
  PlatformBuffer::adopt(b);  // frees it
}

// A view has no block to give: detaching one hands over nothing and leaves it
// a checked view of its owner.
TEST(CheckedView, DetachingAViewLeavesItChecked) {
  auto owner = ownerWithInts();
  PlatformBuffer v = owner->slice();
  const Block b = BufferAccess::detach(v);
  EXPECT_EQ(b.owner, BlockOwner::None);
  EXPECT_EQ(b.ownerState, nullptr);
  EXPECT_EQ(BufferAccess::block(v).ownerState, nullptr);
  EXPECT_EQ(v.getInt(4), 1);
  owner.reset();
  expectStale(v, "getInt", [&] { v.getInt(4); });
}

// A recycled slot serves a new owner: the old view stays stale, the new one works.
TEST(CheckedView, ViewsMadeAfterTheSlotIsReusedWork) {
  auto first = ownerWithInts();
  PlatformBuffer old = first->slice();
  first.reset();
  for (int round = 0; round < 2000; ++round) {  // cycles slots through the thread and shared lists
    auto owner = ownerWithInts();
    PlatformBuffer fresh = owner->slice();
    EXPECT_EQ(fresh.getInt(4 * (round % 16)), round % 16);
    EXPECT_TRUE(old.stale());
  }
  std::vector<std::unique_ptr<PlatformBuffer>> many;
  std::vector<PlatformBuffer> views;
  for (int i = 0; i < 1500; ++i) {
    many.push_back(ownerWithInts());
    views.push_back(many.back()->slice());
  }
  many.clear();  // more slots than a thread keeps: some go to the shared list
  for (PlatformBuffer& view : views) ASSERT_TRUE(view.stale());
  auto again = ownerWithInts();
  PlatformBuffer fresh = again->slice(4, 4);
  EXPECT_EQ(fresh.readInt(), 1);
  expectStale(old, "readInt", [&] { old.readInt(); });
}

TEST(CheckedView, WrappedMemoryIsNotChecked) {
  std::array<std::byte, 16> memory{};
  std::optional<PlatformBuffer> wrapped(PlatformBuffer::wrap(memory));
  wrapped->writeInt(42);
  wrapped->resetForRead();
  PlatformBuffer v = wrapped->slice();
  PlatformBuffer d = v.duplicate();
  wrapped.reset();  // the wrapper owned nothing: the caller's memory is still there
  EXPECT_FALSE(v.stale());
  EXPECT_EQ(v.readInt(), 42);
  EXPECT_EQ(d.getInt(0), 42);
}

TEST(CheckedView, AnOwnerThatMadeNoViewIsNeverStale) {
  PlatformBuffer owner = PlatformBuffer::allocate(16);
  EXPECT_FALSE(owner.stale());
  owner.writeInt(5).resetForRead();
  PlatformBuffer v = owner.slice();
  EXPECT_FALSE(owner.stale());  // an owner is never a checked view itself
  EXPECT_EQ(owner.readInt(), 5);
  EXPECT_EQ(v.readInt(), 5);
}

// Const calls may give the owner its slot from several threads at once; a
// release on one thread is seen by views handed to another (TSan: clean).
TEST(CheckedView, ViewsAcrossThreads) {
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
  GTEST_SKIP() << "this WebAssembly build has no threads (use the wasm-threads preset)";
#endif
  auto owner = ownerWithInts();
  const PlatformBuffer& shared = *owner;
  std::vector<PlatformBuffer> views(4);
  std::vector<std::int32_t> read(2);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < views.size(); ++t) {
    threads.emplace_back([&, t] { views[t] = shared.slice(); });
  }
  // Const reads of the owner while the first views are made: the owner's
  // check must not read what those calls write.
  for (std::size_t t = 0; t < read.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 1000; ++i) read[t] += shared.getInt(8);
    });
  }
  for (auto& th : threads) th.join();
  for (std::int32_t sum : read) EXPECT_EQ(sum, 2000);
  for (PlatformBuffer& v : views) EXPECT_EQ(v.getInt(8), 2);
  std::thread releaser([&] { owner.reset(); });
  releaser.join();
  std::thread reader([&] {
    for (PlatformBuffer& v : views) expectStale(v, "getInt", [&] { v.getInt(8); });
  });
  reader.join();
}

}  // namespace zonebuf::checked_view_test
