// PoolStats -> JSON (the input format of tools/pool-tune).
#include <nlohmann/json.hpp>

#include "zonebuf/pool/pool_stats.hpp"

namespace zonebuf {

namespace {

nlohmann::json leaksJson(const LeakReport& r) {
  nlohmann::json sites = nlohmann::json::array();
  for (const LeakSite& s : r.sites) {
    sites.push_back({{"site", s.site},
                     {"count", s.count},
                     {"bytes", s.bytes},
                     {"oldestAgeAcquisitions", s.oldestAgeAcquisitions},
                     {"oldestAgeMillis", s.oldestAgeMillis}});
  }
  return {{"level", std::string(leakLevelName(r.level))},
          {"sampleEvery", r.sampleEvery},
          {"sites", sites},
          {"unsampled", {{"count", r.unsampledCount}, {"bytes", r.unsampledBytes}}}};
}

}  // namespace

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
                     {"zones", zonesJson},
                     {"leaks", leaksJson(leaks)}};
  return root.dump(2);
}

}  // namespace zonebuf
