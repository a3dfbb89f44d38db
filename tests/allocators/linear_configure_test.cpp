// configure() rules and the exhaustion message. Each test starts from a fresh
// arena (LinearArenaTest), which is how configure() can be exercised repeatedly
// in one process.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/linear_arena_fixture.hpp"
#include "zonebuf/core/platform_buffer.hpp"

namespace zonebuf {
namespace {

using testing::LinearArenaTest;
using ConfigureTest = LinearArenaTest;

using testing::kMB;

template <class Error, class Call>
std::string messageOf(Call&& call) {
  try {
    call();
  } catch (const Error& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("wrong exception type: ") + e.what();
  }
  return "no exception";
}

TEST_F(ConfigureTest, DefaultsReserveSixteenMegabytesAtFirstAllocation) {
  EXPECT_EQ(LinearMemoryAllocator::stats().reserved, 0u);
  {
    auto b = PlatformBuffer::allocate(100, AllocationZone::Direct);
    const LinearMemoryStats s = LinearMemoryAllocator::stats(AllocationZone::Direct);
    EXPECT_EQ(s.reserved, 16 * kMB);
    EXPECT_EQ(s.chunks, 1u);
    EXPECT_EQ(s.initialSizeMB, 16u);
    EXPECT_EQ(s.maxSizeMB, LinearMemoryAllocator::kDefaultMaxSizeMB);
  }
}

TEST_F(ConfigureTest, BeforeFirstUseSetsTheInitialReservation) {
  LinearMemoryAllocator::configure(2, 8);
  auto b = PlatformBuffer::allocate(100, AllocationZone::Direct);
  const LinearMemoryStats s = LinearMemoryAllocator::stats(AllocationZone::Direct);
  EXPECT_EQ(s.reserved, 2 * kMB);
  EXPECT_EQ(s.initialSizeMB, 2u);
  EXPECT_EQ(s.maxSizeMB, 8u);
}

TEST_F(ConfigureTest, AfterFirstAllocationIsRejectedAndChangesNothing) {
  LinearMemoryAllocator::configure(4, 8);
  auto b = PlatformBuffer::allocate(100, AllocationZone::Direct);
  const std::string m = messageOf<InvalidArgumentError>([] { LinearMemoryAllocator::configure(32, 64); });
  EXPECT_EQ(m,
            "LinearMemoryAllocator::configure(initialSizeMB = 32, maxSizeMB = 64) was called after the first "
            "LinearBuffer allocation, when the arena (4MB initial, 8MB max) is already reserved; call it at "
            "startup before any LinearBuffer allocation.");
  const LinearMemoryStats s = LinearMemoryAllocator::stats();
  EXPECT_EQ(s.initialSizeMB, 4u);
  EXPECT_EQ(s.maxSizeMB, 8u);
}

TEST_F(ConfigureTest, ZeroInitialSizeIsRejected) {
  const std::string m = messageOf<InvalidArgumentError>([] { LinearMemoryAllocator::configure(0, 8); });
  EXPECT_EQ(m, "LinearMemoryAllocator::configure(initialSizeMB = 0, maxSizeMB = 8): initialSizeMB must be at "
               "least 1; call it at startup before any LinearBuffer allocation with 1 <= initialSizeMB <= "
               "maxSizeMB <= " + std::to_string(LinearMemoryAllocator::kCeilingLimitMB) + ".");
  EXPECT_EQ(LinearMemoryAllocator::stats().initialSizeMB, 16u);
}

TEST_F(ConfigureTest, InitialAboveMaxIsRejected) {
  const std::string m = messageOf<InvalidArgumentError>([] { LinearMemoryAllocator::configure(64, 32); });
  EXPECT_EQ(m, "LinearMemoryAllocator::configure(initialSizeMB = 64, maxSizeMB = 32): initialSizeMB exceeds "
               "maxSizeMB; call it at startup before any LinearBuffer allocation with 1 <= initialSizeMB <= "
               "maxSizeMB <= " + std::to_string(LinearMemoryAllocator::kCeilingLimitMB) + ".");
  const LinearMemoryStats s = LinearMemoryAllocator::stats();
  EXPECT_EQ(s.initialSizeMB, 16u);
  EXPECT_EQ(s.maxSizeMB, LinearMemoryAllocator::kDefaultMaxSizeMB);
}

TEST_F(ConfigureTest, CeilingBeyondThePlatformIsRejected) {
  const std::size_t tooBig = LinearMemoryAllocator::kCeilingLimitMB + 1;
  const std::string m = messageOf<InvalidArgumentError>([&] { LinearMemoryAllocator::configure(1, tooBig); });
  EXPECT_NE(m.find("maxSizeMB exceeds " + std::to_string(LinearMemoryAllocator::kCeilingLimitMB) + "MB"),
            std::string::npos) << m;
  EXPECT_NE(m.find("call it at startup before any LinearBuffer allocation"), std::string::npos) << m;
}

TEST_F(ConfigureTest, ExhaustionNamesTheRequestTheArenaAndBothFixes) {
  LinearMemoryAllocator::configure(1, 1);
  auto keep = PlatformBuffer::allocate(512 * 1024, AllocationZone::Direct);
  keep.writeInt(0x5a5a5a5a);
  const LinearMemoryStats before = LinearMemoryAllocator::stats();
  const std::string m =
      messageOf<OutOfMemoryError>([] { auto b = PlatformBuffer::allocate(1048576, AllocationZone::Direct); });
  EXPECT_EQ(m.rfind("LinearBuffer allocation of 1048576 bytes exceeded the 1MB linear-memory arena", 0), 0u) << m;
  EXPECT_NE(m.find("Call LinearMemoryAllocator::configure(initialSizeMB = N, maxSizeMB = "), std::string::npos) << m;
  EXPECT_NE(m.find("at startup with a larger value"), std::string::npos) << m;
  EXPECT_NE(m.find("or use AllocationZone::Heap for high-frequency allocation."), std::string::npos) << m;
  const LinearMemoryStats after = LinearMemoryAllocator::stats();
  EXPECT_EQ(after.reserved, before.reserved);
  EXPECT_EQ(after.used, before.used);
  EXPECT_EQ(after.allocations, before.allocations);
  EXPECT_EQ(after.chunks, before.chunks);
  EXPECT_EQ(keep.getInt(0), 0x5a5a5a5a);
}

TEST_F(ConfigureTest, OutOfMemoryErrorIsABadAlloc) {
  LinearMemoryAllocator::configure(1, 1);
  EXPECT_THROW((void)PlatformBuffer::allocate(2 * kMB, AllocationZone::Direct), std::bad_alloc);
  EXPECT_THROW((void)PlatformBuffer::allocate(2 * kMB, AllocationZone::SharedMemory), OutOfMemoryError);
  EXPECT_EQ(LinearMemoryAllocator::stats().used, 0u);
}

TEST_F(ConfigureTest, AFirstRequestLargerThanTheInitialSizeStillFitsUnderTheCeiling) {
  LinearMemoryAllocator::configure(1, 8);
  auto b = PlatformBuffer::allocate(3 * kMB, AllocationZone::Direct);
  EXPECT_EQ(b.capacity(), 3 * kMB);
  EXPECT_LE(LinearMemoryAllocator::stats(AllocationZone::Direct).reserved, 8 * kMB);
}

}  // namespace
}  // namespace zonebuf
