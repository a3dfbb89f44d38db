// Leases in transit between threads (the threaded JS package; docs/js.md,
// js/src/transfer.mjs): a table of slots in linear memory, so that a worker
// that shares the memory, but has no module instance of its own, can adopt a
// lease, use its bytes and give it back with atomic operations from JS.
//
// Each slot is a PooledBuffer (C++ only) and kWords words that
// JS reads: the tag (check << 2 | state), then the buffer's data address,
// capacity, position, limit and byte order. States:
//   Free --park (C++, owner thread)--> Sent --adopt (JS, any thread)--> Adopted
//   Adopted --transfer (JS)--> Sent (a new check value)
//   Adopted --release (JS)--> Returned --reclaim (C++, owner thread)--> Free
//   Adopted --unpark (C++, owner thread: the owner adopted it)--> Free
// Invariants: only the owner thread (the one that calls into the module)
// runs the C++ transitions, and only they touch the PooledBuffers; a tag
// changes only by a compare-exchange that expects the current check value,
// so a message whose check no longer matches (forged, adopted twice, passed
// on, released) changes nothing; check values are never 0 and not reused
// before 2^30 transfers.
#include <emscripten/bind.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include "js_error.hpp"
#include "zonebuf/errors.hpp"
#include "zonebuf/primitives.hpp"
#include "zonebuf/pool/pooled_buffer.hpp"

using namespace emscripten;

namespace zonebuf::js {
namespace {

constexpr std::uint32_t kSlots = 256;
enum Word : std::uint32_t { kTag, kData, kCapacity, kPosition, kLimit, kLittleEndian, kWords = 8 };
enum State : std::uint32_t { kFree, kSent, kAdopted, kReturned };
// Header words before the slots: leases returned so far (JS adds one per
// release, wrapping), the last check value handed out, a magic number and
// the slot count (a worker finds the table from a message's address alone),
// and a random token the module's JS writes at start (a memory posted to
// another thread arrives as a new object: the token tells which module's it is).
enum Header : std::uint32_t { kReturnedCount, kLastCheck, kMagic, kSlotCount, kToken, kHeaderWords = 8 };
constexpr std::uint32_t kTableMagic = 0x7a627472;  // 'zbtr'; js/src/transfer.mjs

constexpr std::uint32_t stateOf(std::uint32_t tag) { return tag & 3u; }

struct TransferTable {
  std::array<std::atomic<std::uint32_t>, kHeaderWords + kSlots * kWords> words{};
  std::array<PooledBuffer, kSlots> leases;
  std::uint32_t reclaimedCount = 0;  // kReturnedCount at the last reclaim

  std::atomic<std::uint32_t>& word(std::uint32_t slot, Word w) { return words[kHeaderWords + slot * kWords + w]; }
  // 30 bits (the tag's upper bits), never 0 (a free slot's tag); as passOn in transfer.mjs.
  std::uint32_t nextCheck() {
    std::uint32_t check;
    do check = (words[kLastCheck].fetch_add(1) + 1) & 0x3fffffffu;
    while (check == 0);
    return check;
  }
};

// Never destroyed: leases still in transit at exit are the process's.
TransferTable& table() {
  static TransferTable* t = [] {
    auto* created = new TransferTable();
    created->words[kMagic].store(kTableMagic);
    created->words[kSlotCount].store(kSlots);
    return created;
  }();
  return *t;
}

[[noreturn]] void throwTableFull() {
  throw OutOfMemoryError("PooledBuffer.transfer: " + std::to_string(kSlots) +
                         " leases are already in transit to other threads; release or adopt some first");
}

// Moves the lease into a free slot (its views go stale, as at a release):
// the slot index; the check value is in the slot's tag.
std::uint32_t park(PooledBuffer& lease) {
  PlatformBuffer& b = lease.buffer();  // InvalidArgumentError for an empty lease
  TransferTable& t = table();
  for (std::uint32_t slot = 0; slot < kSlots; ++slot) {
    if (t.word(slot, kTag).load() != kFree) continue;
    ZONEBUF_ASSERT(!t.leases[slot].active(), "a free slot holds no lease");
    BufferAccess::endViews(b);
    t.word(slot, kData).store(static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(b.data())));
    t.word(slot, kCapacity).store(static_cast<std::uint32_t>(b.capacity()));
    t.word(slot, kPosition).store(static_cast<std::uint32_t>(b.position()));
    t.word(slot, kLimit).store(static_cast<std::uint32_t>(b.limit()));
    t.word(slot, kLittleEndian).store(b.byteOrder() == ByteOrder::LittleEndian ? 1u : 0u);
    t.leases[slot] = std::move(lease);
    t.word(slot, kTag).store(t.nextCheck() << 2 | kSent);  // publishes the words above
    return slot;
  }
  throwTableFull();
}

// The owner adopted the lease in `slot` (JS moved its tag to Adopted with
// the message's check): the lease, with the cursor its last holder left.
PooledBuffer unpark(std::uint32_t slot) {
  TransferTable& t = table();
  if (slot >= kSlots || stateOf(t.word(slot, kTag).load()) != kAdopted) {
    throw InvalidArgumentError("zonebuf JS: slot " + std::to_string(slot) + " holds no adopted lease");
  }
  PooledBuffer lease = std::move(t.leases[slot]);
  PlatformBuffer& b = lease.buffer();
  const std::size_t limit = t.word(slot, kLimit).load(), position = t.word(slot, kPosition).load();
  if (limit <= b.capacity() && position <= limit) {  // as JS checked them; else the lease's own
    b.setLimit(limit);
    b.position(position);
  }
  t.word(slot, kTag).store(kFree);
  return lease;
}

// Gives the leases workers released back to their pools: how many.
std::uint32_t reclaim() {
  TransferTable& t = table();
  const std::uint32_t returned = t.words[kReturnedCount].load();
  if (returned == t.reclaimedCount) return 0;
  t.reclaimedCount = returned;
  std::uint32_t n = 0;
  for (std::uint32_t slot = 0; slot < kSlots; ++slot) {
    if (stateOf(t.word(slot, kTag).load()) != kReturned) continue;
    ZONEBUF_ASSERT(t.leases[slot].active(), "a returned slot holds its lease until it is reclaimed");
    t.leases[slot].release();
    t.word(slot, kTag).store(kFree);
    ++n;
  }
  return n;
}

}  // namespace
}  // namespace zonebuf::js

EMSCRIPTEN_BINDINGS(zonebuf_lease_transfer) {
  using namespace zonebuf::js;
  function("__zbTransferTable", optional_override([] {
             val layout = val::object();
             layout.set("address", reinterpret_cast<std::uintptr_t>(table().words.data()));
             layout.set("slots", kSlots);
             layout.set("headerWords", static_cast<std::uint32_t>(kHeaderWords));
             layout.set("slotWords", static_cast<std::uint32_t>(kWords));
             return layout;
           }));
  function("__zbTransferPark", optional_override([](zonebuf::PooledBuffer& lease) {
             return guarded([&] { return park(lease); });
           }));
  function("__zbTransferUnpark", optional_override([](std::uint32_t slot) {
             return guarded([&] { return unpark(slot); });
           }));
  function("__zbTransferReclaim", optional_override([] { return guarded([] { return reclaim(); }); }));
}
