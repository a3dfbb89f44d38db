// ZoneMemoryResource: real containers in every zone, alignment (up to 64 and
// beyond), equality, cross-thread frees, and errors that are std::bad_alloc
// and change nothing.
#include <gtest/gtest.h>

#include "zonebuf/zonebuf.hpp"

#if ZONEBUF_HAS_PMR

#include <cstring>
#include <new>
#include <thread>

#include "pool/pmr_containers.hpp"

namespace zonebuf {
namespace {

using testing::opaque;
using testing::kPmrZones;

TEST(PmrZoneResource, ContainersWorkInEveryZone) {
  for (auto zone : kPmrZones) {
    SCOPED_TRACE(std::string(zoneName(zone)));
    ZoneMemoryResource r(zone);
    EXPECT_EQ(r.zone(), zone);
    testing::exerciseContainers(r);
  }
}

TEST(PmrZoneResource, LinearZonesGiveEveryByteBack) {
  for (auto zone : {AllocationZone::Direct, AllocationZone::SharedMemory}) {
    ZoneMemoryResource r(zone);
    const std::size_t before = LinearMemoryAllocator::stats(zone).used;
    {
      std::pmr::vector<std::pmr::string> v(&r);
      for (int i = 0; i < 500; ++i) v.emplace_back(100, 'z');
      EXPECT_GT(LinearMemoryAllocator::stats(zone).used, before);
    }
    EXPECT_EQ(LinearMemoryAllocator::stats(zone).used, before);
  }
}

TEST(PmrZoneResource, HonoursEveryPowerOfTwoAlignment) {
  for (auto zone : kPmrZones) {
    ZoneMemoryResource r(zone);
    for (std::size_t align = 1; align <= 4096; align *= 2) {
      for (std::size_t bytes : {0u, 1u, 24u, 100u, 300u, 5000u}) {
        void* p = r.allocate(bytes, align);
        ASSERT_NE(p, nullptr);
        EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % align, 0u) << zoneName(zone) << " " << bytes << "/" << align;
        std::memset(p, 0xA5, bytes);  // every byte is the caller's (ASan checks)
        r.deallocate(p, bytes, align);
      }
    }
  }
}

TEST(PmrZoneResource, EqualityIsTheZone) {
  ZoneMemoryResource heap(AllocationZone::Heap), heap2(AllocationZone::Heap), direct(AllocationZone::Direct);
  EXPECT_TRUE(heap.is_equal(heap2));
  EXPECT_TRUE(heap == heap2);
  EXPECT_FALSE(heap.is_equal(direct));
  EXPECT_FALSE(heap.is_equal(*std::pmr::new_delete_resource()));
  // Equal resources may free each other's memory.
  void* p = direct.allocate(200, 64);
  ZoneMemoryResource(AllocationZone::Direct).deallocate(p, 200, 64);
  void* q = heap.allocate(200, 32);
  heap2.deallocate(q, 200, 32);
}

TEST(PmrZoneResource, MemoryMayBeFreedOnAnotherThread) {
  for (auto zone : kPmrZones) {
    ZoneMemoryResource r(zone);
    std::vector<void*> blocks;
    for (int i = 0; i < 100; ++i) blocks.push_back(r.allocate(48, 16));
    std::thread t([&] {
      for (void* p : blocks) r.deallocate(p, 48, 16);
    });
    t.join();
  }
  const std::size_t used = LinearMemoryAllocator::stats(AllocationZone::Direct).used;
  ZoneMemoryResource r(AllocationZone::Direct);
  r.deallocate(r.allocate(48, 16), 48, 16);  // drains the remote frees
  EXPECT_LE(LinearMemoryAllocator::stats(AllocationZone::Direct).used, used);
}

TEST(PmrZoneResource, ExhaustedZoneIsBadAllocAndChangesNothing) {
  ZoneMemoryResource r(AllocationZone::Direct);
  const auto before = LinearMemoryAllocator::stats(AllocationZone::Direct);
  try {
    (void)r.allocate(opaque(std::size_t{1} << 45), 16);
    FAIL() << "no throw";
  } catch (const std::bad_alloc& e) {
    EXPECT_NE(dynamic_cast<const OutOfMemoryError*>(&e), nullptr);
    EXPECT_NE(std::string(e.what()).find("exceeded"), std::string::npos) << e.what();
  }
  const auto after = LinearMemoryAllocator::stats(AllocationZone::Direct);
  EXPECT_EQ(after.used, before.used);
  EXPECT_EQ(after.allocations, before.allocations);
}

TEST(PmrZoneResource, SizeBeyondTheAddressSpaceIsBadAlloc) {
  for (auto zone : {AllocationZone::Direct, AllocationZone::SharedMemory}) {
    ZoneMemoryResource r(zone);
    const auto before = LinearMemoryAllocator::stats(zone).allocations;
    EXPECT_THROW((void)r.allocate(opaque(SIZE_MAX - 8), 16), OutOfMemoryError);
    try {
      (void)r.allocate(opaque(SIZE_MAX - 8), 64);
    } catch (const std::bad_alloc& e) {
      EXPECT_NE(std::string(e.what()).find("exceeds the address space"), std::string::npos) << e.what();
    }
    EXPECT_EQ(LinearMemoryAllocator::stats(zone).allocations, before);
  }
}

TEST(PmrZoneResource, HeapSizeBeyondTheAddressSpaceIsBadAlloc) {
  ZoneMemoryResource r(AllocationZone::Heap);
  try {
    (void)r.allocate(opaque(SIZE_MAX / 2), 16);
    FAIL() << "no throw";
  } catch (const std::bad_alloc& e) {
    EXPECT_NE(dynamic_cast<const OutOfMemoryError*>(&e), nullptr);
    EXPECT_NE(std::string(e.what()).find("ZoneMemoryResource(Heap) allocation of"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("exceeds the address space"), std::string::npos) << e.what();
  }
}

TEST(PmrZoneResource, RejectsAZoneThatIsNone) {
  try {
    ZoneMemoryResource r(static_cast<AllocationZone>(7));
    FAIL() << "no throw";
  } catch (const InvalidArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("zone 7 is not an AllocationZone"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace zonebuf

#endif  // ZONEBUF_HAS_PMR
