#include "replay_report.hpp"

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "zonebuf/errors.hpp"

namespace zonebuf::replay {

namespace {
constexpr const char* kFormat = "zonebuf-replay/1";
constexpr double kPeakSlackBytes = 1024.0 * 1024.0;

std::string fixed(double v, int digits) {
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", digits, v);
  return b;
}
}  // namespace

void markBest(Report& r) {
  Measurement* best = nullptr;
  for (Measurement& m : r.candidates) {
    m.best = false;
    if (m.name.rfind("pool:", 0) != 0) continue;
    if (best == nullptr || m.nsPerOp < best->nsPerOp ||
        (m.nsPerOp == best->nsPerOp && m.peakBytes < best->peakBytes)) {
      best = &m;
    }
  }
  if (best != nullptr) best->best = true;
}

std::string table(const Report& r) {
  std::ostringstream o;
  o << "trace " << r.trace << ": " << r.records << " records, " << r.threads << " thread(s), sampleEvery "
    << r.sampleEvery << ", " << r.opsPerPass << " operations per pass\n";
  char line[256];
  std::snprintf(line, sizeof line, "%-32s %12s %14s %8s\n", "candidate", "ns/op", "peak KiB", "passes");
  o << line;
  for (const Measurement& m : r.candidates) {
    std::snprintf(line, sizeof line, "%-32s %12s %14zu %8zu%s\n", m.name.c_str(), fixed(m.nsPerOp, 1).c_str(),
                  m.peakBytes / 1024, m.passes, m.best ? "  <- best config" : "");
    o << line;
  }
  return o.str();
}

std::string toJson(const Report& r) {
  nlohmann::json doc = {{"format", kFormat},       {"trace", r.trace},
                        {"records", r.records},    {"threads", r.threads},
                        {"sampleEvery", r.sampleEvery}, {"opsPerPass", r.opsPerPass}};
  nlohmann::json list = nlohmann::json::array();
  for (const Measurement& m : r.candidates) {
    list.push_back({{"name", m.name}, {"nsPerOp", m.nsPerOp}, {"peakBytes", m.peakBytes}, {"passes", m.passes},
                    {"best", m.best}});
    if (m.best) doc["best"] = m.name;
  }
  doc["candidates"] = list;
  return doc.dump(1) + "\n";
}

std::size_t compare(const Report& now, const std::string& oldPath, double threshold, std::string& lines) {
  std::ifstream in(oldPath);
  if (!in) throw InvalidArgumentError("--compare: cannot read '" + oldPath + "'");
  nlohmann::json old;
  try {
    old = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw InvalidArgumentError("--compare: '" + oldPath + "' is not JSON: " + e.what());
  }
  if (!old.is_object() || old.value("format", "") != kFormat || !old.contains("candidates") ||
      !old["candidates"].is_array()) {
    throw InvalidArgumentError("--compare: '" + oldPath + "' is not a " + kFormat +
                               " document (write one with tools/zonebuf replay TRACE --json)");
  }
  std::size_t regressions = 0;
  for (const Measurement& m : now.candidates) {
    for (const auto& o : old["candidates"]) {
      if (!o.is_object() || o.value("name", "") != m.name) continue;
      const double oldNs = o.value("nsPerOp", 0.0);
      const double oldPeak = o.value("peakBytes", 0.0);
      const bool slower = oldNs > 0 && m.nsPerOp > oldNs * (1 + threshold);
      const bool bigger = static_cast<double>(m.peakBytes) > oldPeak * (1 + threshold) + kPeakSlackBytes;
      regressions += (slower || bigger) ? 1 : 0;
      lines += std::string(slower || bigger ? "REGRESSION " : "ok         ") + m.name + ": ns/op " +
               fixed(oldNs, 1) + " -> " + fixed(m.nsPerOp, 1) + ", peak KiB " +
               std::to_string(static_cast<std::size_t>(oldPeak) / 1024) + " -> " +
               std::to_string(m.peakBytes / 1024) + (slower ? " (slower)" : "") + (bigger ? " (more memory)" : "") +
               "\n";
    }
  }
  return regressions;
}

}  // namespace zonebuf::replay
