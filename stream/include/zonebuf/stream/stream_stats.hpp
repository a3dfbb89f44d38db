// StreamStats: a snapshot of one StreamProcessor's books.
// Invariants: chunks and bytesHeld describe what the stream holds now
// (bytesHeld == available()); the counters only grow.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace zonebuf {

struct StreamStats {
  std::size_t chunks = 0;               // leases held now
  std::size_t bytesHeld = 0;            // unconsumed bytes held now
  std::uint64_t chunksAppended = 0;     // leases taken by append (either form)
  std::uint64_t chunksReleased = 0;     // leases handed back to the pool once consumed
  std::uint64_t bytesCopiedIn = 0;      // bytes append(span) copied into leases
  std::uint64_t bytesAssembled = 0;     // bytes copied to join chunks (readBuffer, readString)
  std::uint64_t assembledLeases = 0;    // leases taken for those joins
  std::string toJson() const;
};

}  // namespace zonebuf
