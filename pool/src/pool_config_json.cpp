// PoolConfig <-> JSON. nlohmann-json stays inside this file: public headers
// never see it.
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "config_error.hpp"
#include "zonebuf/errors.hpp"
#include "zonebuf/pool/pool_config.hpp"

namespace zonebuf {

namespace {

using nlohmann::json;

std::string shown(const json& v) {
  std::string s = v.dump();
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

std::size_t readSize(const json& v, const std::string& field) {
  if (v.is_number_unsigned()) {
    const std::uint64_t u = v.get<std::uint64_t>();
    if (u > std::numeric_limits<std::size_t>::max()) {
      detail::throwInvalidField(field, shown(v), "is too large for this platform's size_t");
    }
    return static_cast<std::size_t>(u);
  }
  if (v.is_number_integer()) detail::throwInvalidField(field, shown(v), "must not be negative");
  detail::throwInvalidField(field, shown(v), std::string("must be a non-negative integer, not a ") + v.type_name());
}

std::size_t readCap(const json& v, const std::string& field) {
  const std::size_t n = readSize(v, field);
  if (n == 0) detail::throwInvalidField(field, "0", "must be at least 1 (a zero cap would disable pooling)");
  return n;
}

bool readBool(const json& v, const std::string& field) {
  if (!v.is_boolean()) {
    detail::throwInvalidField(field, shown(v), std::string("must be true or false, not a ") + v.type_name());
  }
  return v.get<bool>();
}

[[noreturn]] void unknownKey(const std::string& prefix, const std::string& key, const json& v, const char* known) {
  detail::throwInvalidField(prefix + key, shown(v), std::string("is not a known key; known keys here: ") + known);
}

SizeClassSpec readClasses(const json& v, const std::string& field) {
  SizeClassSpec spec;
  if (v.is_array()) {
    if (v.empty()) detail::throwInvalidField(field, "[]", "an explicit class list needs at least one size");
    for (std::size_t i = 0; i < v.size(); ++i) spec.sizes.push_back(readSize(v[i], field + "[" + std::to_string(i) + "]"));
  } else if (v.is_object()) {
    for (const auto& [key, value] : v.items()) {
      if (key == "min") spec.minSize = readSize(value, field + ".min");
      else if (key == "max") spec.maxSize = readSize(value, field + ".max");
      else if (key == "perDoubling") spec.perDoubling = readSize(value, field + ".perDoubling");
      else unknownKey(field + ".", key, value, "min, max, perDoubling");
    }
  } else {
    detail::throwInvalidField(field, shown(v),
                              std::string("must be an object {min, max, perDoubling} or an array of sizes, not a ") +
                                  v.type_name());
  }
  SizeClasses::check(spec, field.c_str());
  return spec;
}

void readZone(const json& v, const std::string& field, ZonePoolConfig& zone) {
  if (!v.is_object()) {
    detail::throwInvalidField(field, shown(v), std::string("must be an object, not a ") + v.type_name());
  }
  for (const auto& [key, value] : v.items()) {
    if (key == "classes") zone.classes = readClasses(value, field + ".classes");
    else if (key == "maxPerClass") zone.maxPerClass = readCap(value, field + ".maxPerClass");
    else unknownKey(field + ".", key, value, "classes, maxPerClass");
  }
}

std::uint32_t readSampleEvery(const json& v, const std::string& field, std::uint32_t most) {
  const std::size_t n = readSize(v, field);
  if (n == 0 || n > most) {
    std::string rule = "must be 1..";
    rule += std::to_string(most);
    rule += " (one sampled acquisition in this many)";
    detail::throwInvalidField(field, shown(v), rule);
  }
  return static_cast<std::uint32_t>(n);
}

// leakDetection: {"level": "disabled" | "sampled" | "paranoid", "sampleEvery": N};
// both keys optional (the defaults of LeakDetectionConfig).
LeakDetectionConfig readLeakDetection(const json& v) {
  if (!v.is_object()) {
    detail::throwInvalidField("leakDetection", shown(v),
                              std::string("must be an object {level, sampleEvery}, not a ") + v.type_name());
  }
  LeakDetectionConfig l;
  for (const auto& [key, value] : v.items()) {
    if (key == "level") {
      bool known = false;
      for (const LeakDetectionLevel level :
           {LeakDetectionLevel::Disabled, LeakDetectionLevel::Sampled, LeakDetectionLevel::Paranoid}) {
        if (value.is_string() && value.get<std::string>() == leakLevelName(level)) {
          l.level = level;
          known = true;
        }
      }
      if (!known) detail::throwInvalidField("leakDetection.level", shown(value), "must be \"disabled\", \"sampled\" or \"paranoid\"");
    } else if (key == "sampleEvery") {
      l.sampleEvery = readSampleEvery(value, "leakDetection.sampleEvery", LeakDetectionConfig::kMaxSampleEvery);
    } else {
      unknownKey("leakDetection.", key, value, "level, sampleEvery");
    }
  }
  return l;
}

// trace: {"path": "...", "sampleEvery": N}; a path is required (an empty
// one would silently record nothing).
TraceConfig readTrace(const json& v) {
  if (!v.is_object()) {
    detail::throwInvalidField("trace", shown(v), std::string("must be an object {path, sampleEvery}, not a ") + v.type_name());
  }
  TraceConfig t;
  bool hasPath = false;
  for (const auto& [key, value] : v.items()) {
    if (key == "path") {
      if (!value.is_string() || value.get<std::string>().empty()) {
        detail::throwInvalidField("trace.path", shown(value), "must be a non-empty string (the trace file to write)");
      }
      t.path = value.get<std::string>();
      hasPath = true;
    } else if (key == "sampleEvery") {
      t.sampleEvery = readSampleEvery(value, "trace.sampleEvery", TraceConfig::kMaxSampleEvery);
    } else {
      unknownKey("trace.", key, value, "path, sampleEvery");
    }
  }
  if (!hasPath) detail::throwInvalidField("trace", shown(v), "needs a \"path\" (the trace file to write)");
  return t;
}

const char* threadingName(ThreadingMode m) {
  return m == ThreadingMode::MultiThreaded ? "MultiThreaded" : "SingleThreaded";
}

json classesJson(const SizeClassSpec& spec) {
  if (!spec.sizes.empty()) return json(spec.sizes);
  return json{{"min", spec.minSize}, {"max", spec.maxSize}, {"perDoubling", spec.perDoubling}};
}

}  // namespace

PoolConfig PoolConfig::fromJson(std::string_view text) {
  json root;
  try {
    root = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    throw InvalidArgumentError("PoolConfig JSON is malformed at byte " + std::to_string(e.byte) + ": " + e.what() +
                               ". Fix the JSON text (see docs/pool.md for the format).");
  } catch (const json::exception& e) {  // e.g. out_of_range 406: a number too large for a double
    throw InvalidArgumentError(std::string("PoolConfig JSON cannot be read: ") + e.what() +
                               ". Fix the JSON text (see docs/pool.md for the format).");
  }
  if (!root.is_object()) {
    detail::throwInvalidField("(root)", shown(root), std::string("must be a JSON object, not a ") + root.type_name());
  }
  PoolConfig config;
  const json* zonesNode = nullptr;
  for (const auto& [key, value] : root.items()) {
    if (key == "threading") {
      if (value == "SingleThreaded") config.threading = ThreadingMode::SingleThreaded;
      else if (value == "MultiThreaded") config.threading = ThreadingMode::MultiThreaded;
      else detail::throwInvalidField("threading", shown(value), "must be \"SingleThreaded\" or \"MultiThreaded\"");
    } else if (key == "classes") {
      config.classes(readClasses(value, "classes"));
    } else if (key == "maxPerClass") {
      const std::size_t cap = readCap(value, "maxPerClass");
      for (auto& z : config.zones) z.maxPerClass = cap;
    } else if (key == "zones") {
      zonesNode = &value;  // applied last: per-zone settings override the top-level ones
    } else if (key == "maxRetainedBytes") {
      config.maxRetainedBytes = readCap(value, "maxRetainedBytes");
    } else if (key == "threadCacheCount") {
      config.threadCacheCount = readCap(value, "threadCacheCount");
    } else if (key == "threadCacheBytes") {
      config.threadCacheBytes = readCap(value, "threadCacheBytes");
    } else if (key == "zeroOnRelease") {
      config.zeroOnRelease = readBool(value, "zeroOnRelease");
    } else if (key == "idleTrimOperations") {
      config.idleTrimOperations = readSize(value, "idleTrimOperations");
    } else if (key == "idleTrimMillis") {
      config.idleTrimMillis = readSize(value, "idleTrimMillis");
    } else if (key == "trace") {
      config.trace = readTrace(value);
    } else if (key == "leakDetection") {
      config.leakDetection = readLeakDetection(value);
    } else {
      unknownKey("", key, value,
                 "threading, classes, maxPerClass, zones, maxRetainedBytes, threadCacheCount, threadCacheBytes, "
                 "zeroOnRelease, idleTrimOperations, idleTrimMillis, trace, leakDetection");
    }
  }
  if (zonesNode != nullptr) {
    if (!zonesNode->is_object()) {
      detail::throwInvalidField("zones", shown(*zonesNode), std::string("must be an object, not a ") + zonesNode->type_name());
    }
    for (const auto& [name, value] : zonesNode->items()) {
      AllocationZone zone;
      if (!parseZoneName(name, zone)) {
        detail::throwInvalidField("zones." + name, shown(value),
                                  "'" + name + "' is not a zone name; use Heap, Direct or SharedMemory");
      }
      readZone(value, "zones." + name, config.zone(zone));
    }
  }
  config.validate();
  return config;
}

PoolConfig PoolConfig::fromFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    throw InvalidArgumentError("PoolConfig file '" + path + "' cannot be read: " +
                               (err != 0 ? std::strerror(err) : "open failed") +
                               ". Check the path and its permissions.");
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    throw InvalidArgumentError("PoolConfig file '" + path + "' cannot be read: I/O error. Check the file.");
  }
  try {
    return fromJson(text.str());
  } catch (const InvalidArgumentError& e) {
    throw InvalidArgumentError(std::string(e.what()) + " (in file '" + path + "')");
  }
}

std::string PoolConfig::toJson() const {
  json zonesJson = json::object();
  for (int z = 0; z < kZoneCount; ++z) {
    zonesJson[std::string(zoneName(static_cast<AllocationZone>(z)))] = {
        {"classes", classesJson(zones[z].classes)}, {"maxPerClass", zones[z].maxPerClass}};
  }
  json root = {{"threading", threadingName(threading)},
                     {"zones", zonesJson},
                     {"maxRetainedBytes", maxRetainedBytes},
                     {"threadCacheCount", threadCacheCount},
                     {"threadCacheBytes", threadCacheBytes},
                     {"zeroOnRelease", zeroOnRelease},
                     {"idleTrimOperations", idleTrimOperations},
                     {"idleTrimMillis", idleTrimMillis},
                     {"leakDetection", {{"level", std::string(leakLevelName(leakDetection.level))}, {"sampleEvery", leakDetection.sampleEvery}}}};
  if (trace.enabled()) root["trace"] = {{"path", trace.path}, {"sampleEvery", trace.sampleEvery}};
  return root.dump(2);
}

}  // namespace zonebuf
