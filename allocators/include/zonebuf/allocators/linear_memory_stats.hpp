// A snapshot of the linear arenas (Direct and SharedMemory).
//
// Byte counts are reserved sizes (each block rounded up to its size class).
// Invariants of one quiescent snapshot: used + freeListBytes <= carved <= reserved;
// resident + released <= reserved (natively resident also leaves out the
// never-touched tail of the newest chunk; in WebAssembly resident == reserved
// and released == 0: linear memory cannot shrink).
#pragma once

#include <cstddef>

namespace zonebuf {

struct LinearMemoryStats {
  std::size_t reserved = 0;       // bytes of arena chunks obtained from the system
  std::size_t resident = 0;       // reserved bytes not given back to the system (touched or
                                  // carved: an upper bound of what counts in RSS, to a page per range)
  std::size_t released = 0;       // bytes given back to the system by trim(), not reused since
  std::size_t carved = 0;         // bytes handed to thread arenas as spans
  std::size_t used = 0;           // bytes of live blocks
  std::size_t peak = 0;           // sum of each thread arena's high-water of `used`
                                  // (exactly the peak when one thread allocates)
  std::size_t freeListBytes = 0;  // released bytes waiting for reuse in free lists
  std::size_t allocations = 0;    // blocks handed out since startup
  std::size_t reuses = 0;         // of those, served from a free list
  std::size_t remoteFrees = 0;    // blocks released by a thread other than their owner
  std::size_t chunks = 0;         // arena chunks (1 until the arena grows)
  std::size_t threadArenas = 0;   // per-thread arenas ever created (reused after thread exit)
  std::size_t scopeOverruns = 0;  // Scopes that ended with a block still live (nothing rewound)
  std::size_t extensions = 0;     // blocks grown in place by tryExtend (not counted in allocations)
  std::size_t initialSizeMB = 0;  // the configuration in force
  std::size_t maxSizeMB = 0;
};

}  // namespace zonebuf
