// PoolConfig::fromJson on arbitrary bytes. The model is the contract itself:
// every input either yields a config or throws InvalidArgumentError whose
// message says how to fix it. Any other exception escapes and libFuzzer
// reports it as a crash. An accepted config must survive toJson() ->
// fromJson() unchanged, and (when its caps are modest enough to allocate)
// build a pool that leases and takes back one buffer per zone.
#include <cstdint>
#include <string>
#include <string_view>

#include "live_ranges_model.hpp"
#include "zonebuf/zonebuf.hpp"

using namespace zonebuf;
using zonebuf::fuzz::fail;

namespace {

bool sameConfig(const PoolConfig& a, const PoolConfig& b) {
  return a.threading == b.threading && a.zones == b.zones && a.maxRetainedBytes == b.maxRetainedBytes &&
         a.threadCacheCount == b.threadCacheCount && a.threadCacheBytes == b.threadCacheBytes &&
         a.zeroOnRelease == b.zeroOnRelease && a.idleTrimOperations == b.idleTrimOperations &&
         a.idleTrimMillis == b.idleTrimMillis && a.trace == b.trace && a.leakDetection == b.leakDetection;
}

void exercise(const PoolConfig& config) {
  // A list's slots are allocated at its cap on first use: keep that small here.
  for (const ZonePoolConfig& z : config.zones)
    if (z.maxPerClass > 4096) return;
  if (config.threadCacheCount > 4096) return;
  BufferPool pool(config);
  for (int z = 0; z < kZoneCount; ++z) {
    const auto zone = static_cast<AllocationZone>(z);
    const std::size_t size = pool.classes(zone).sizeOf(0);
    if (size > (std::size_t{1} << 20)) continue;
    PooledBuffer lease = pool.acquire(size, zone);
    if (lease->capacity() < size) fail("lease smaller than its class", z);
    lease->setByte(0, 1);
  }
  const PoolStats s = pool.stats();
  if (s.outstandingLeases != 0 || s.acquisitions != s.hits + s.misses + s.oversize) fail("pool stats", -1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  PoolConfig config;
  try {
    config = PoolConfig::fromJson(text);
  } catch (const InvalidArgumentError& e) {
    const std::string message = e.what();
    if (message.find("PoolConfig") == std::string::npos || message.find("Fix ") == std::string::npos)
      fail("rejection does not say what to fix", 0);
    return 0;
  }
  config.validate();  // an accepted config is valid
  PoolConfig again;
  try {
    again = PoolConfig::fromJson(config.toJson());
  } catch (const InvalidArgumentError&) {
    fail("toJson() of an accepted config was rejected", 1);
  }
  if (!sameConfig(config, again)) fail("toJson()/fromJson() round trip changed the config", 2);
  config.trace = {};  // a fuzzed trace.path would create files anywhere
  exercise(config);
  return 0;
}
