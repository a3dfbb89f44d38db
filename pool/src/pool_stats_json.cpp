// PoolStats -> JSON (the input format of tools/pool-tune).
#include <nlohmann/json.hpp>

#include "zonebuf/pool/pool_stats.hpp"

namespace zonebuf {

std::string PoolStats::toJson() const {
  using nlohmann::json;
  json zonesJson = json::object();
  for (int z = 0; z < kZoneCount; ++z) {
    const PoolZoneStats& zs = zones[z];
    json histogram = json::array();
    for (const PoolHistogramBucket& bucket : zs.histogram) {
      histogram.push_back({{"le", bucket.le}, {"count", bucket.count}});
    }
    json classes = json::array();
    for (const PoolClassStats& c : zs.classes) {
      classes.push_back({{"size", c.size},
                         {"acquisitions", c.acquisitions},
                         {"misses", c.misses},
                         {"idle", c.idle},
                         {"live", c.live},
                         {"peakLive", c.peakLive}});
    }
    zonesJson[std::string(zoneName(static_cast<AllocationZone>(z)))] = {{"acquisitions", zs.acquisitions},
                                                                         {"oversize", zs.oversize},
                                                                         {"histogram", histogram},
                                                                         {"classes", classes}};
  }
  const json root = {{"acquisitions", acquisitions},
                     {"hits", hits},
                     {"misses", misses},
                     {"oversize", oversize},
                     {"hitRate", hitRate()},
                     {"pooledNow", pooledNow},
                     {"peakPooled", peakPooled},
                     {"retainedBytes", retainedBytes},
                     {"outstandingLeases", outstandingLeases},
                     {"trimmedBuffers", trimmedBuffers},
                     {"zones", zonesJson}};
  return root.dump(2);
}

}  // namespace zonebuf
