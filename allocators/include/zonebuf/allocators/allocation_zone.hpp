// The three allocation zones. A zone is a *strategy*, recorded on every block
// and buffer so that memory always goes back to the allocator it came from.
#pragma once

#include <cstdint>
#include <string_view>

namespace zonebuf {

enum class AllocationZone : std::uint8_t {
  Heap,          // mimalloc: high-frequency, compute-heavy work
  Direct,        // bump arena in linear memory: zero-copy JS interop
  SharedMemory,  // Direct's arena over memory shareable beyond one thread/process
};

inline constexpr int kZoneCount = 3;

std::string_view zoneName(AllocationZone zone) noexcept;

// Parses "Heap" / "Direct" / "SharedMemory" (exact spelling). Returns false
// for anything else and leaves `out` untouched.
bool parseZoneName(std::string_view name, AllocationZone& out) noexcept;

}  // namespace zonebuf
