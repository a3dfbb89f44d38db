// Test support for the stream layer: feeding a StreamProcessor a byte string
// under a given chunking, and snapshots of what a failed call must not change.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

#include "zonebuf/zonebuf.hpp"

namespace zonebuf::testing {

// Appends `bytes` as chunks of the given sizes (the last one takes the rest),
// each in its own lease, so every boundary is a real chunk boundary.
inline void feed(StreamProcessor& s, BufferPool& pool, const std::vector<std::byte>& bytes,
                 const std::vector<std::size_t>& sizes) {
  std::size_t at = 0;
  for (std::size_t i = 0; at < bytes.size(); ++i) {
    const std::size_t n = i < sizes.size() ? std::min(sizes[i], bytes.size() - at) : bytes.size() - at;
    if (n == 0) continue;
    PooledBuffer lease = pool.acquire(n + 3);
    lease->position(3);  // the chunk's bytes start inside its buffer
    std::memcpy(lease->data() + 3, bytes.data() + at, n);
    lease->setLimit(3 + n);
    s.append(std::move(lease));
    at += n;
  }
}

inline std::vector<std::size_t> randomChunking(std::mt19937& rng, std::size_t total, std::size_t maxChunk) {
  std::vector<std::size_t> sizes;
  for (std::size_t at = 0; at < total;) {
    const std::size_t n = 1 + rng() % maxChunk;
    sizes.push_back(n);
    at += n;
  }
  return sizes;
}

struct StreamSnapshot {
  std::size_t available;
  std::size_t chunks;
  std::uint64_t released;
  std::uint64_t assembled;
  static StreamSnapshot of(const StreamProcessor& s) {
    const StreamStats st = s.stats();
    return {s.available(), st.chunks, st.chunksReleased, st.bytesAssembled};
  }
  bool operator==(const StreamSnapshot&) const = default;
};

template <class Error, class Call>
void expectStreamErrorUnchanged(StreamProcessor& s, Call&& call, std::initializer_list<const char*> fragments) {
  const StreamSnapshot before = StreamSnapshot::of(s);
  try {
    call();
    ADD_FAILURE() << "expected an exception, none was thrown";
  } catch (const Error& e) {
    const std::string message = e.what();
    for (const char* f : fragments)
      EXPECT_NE(message.find(f), std::string::npos) << "message '" << message << "' lacks '" << f << "'";
  } catch (const std::exception& e) {
    ADD_FAILURE() << "wrong exception type, message: " << e.what();
  }
  EXPECT_TRUE(StreamSnapshot::of(s) == before) << "a failed call changed the stream";
}

}  // namespace zonebuf::testing
