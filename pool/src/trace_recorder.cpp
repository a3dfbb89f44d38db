#include "trace_recorder.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>

#include "config_error.hpp"
#include "trace_format.hpp"

namespace zonebuf::detail {

namespace {
constexpr std::size_t kFlushBytes = 64 * 1024;
std::atomic<std::uint64_t> gRecorderSerial{1};
// The calling thread's index in the last recorder it wrote to.
thread_local std::uint64_t tRecorderSerial = 0;
thread_local std::uint16_t tThreadIndex = 0;
}

TraceRecorder::TraceRecorder(const TraceConfig& config, std::uint64_t tickPeriod)
    : path_(config.path),
      sampleEvery_(config.sampleEvery),
      tickPeriod_(tickPeriod),
      serial_(gRecorderSerial.fetch_add(1, std::memory_order_relaxed)) {
  file_ = std::fopen(path_.c_str(), "wb");
  if (file_ == nullptr) {
    throwInvalidField("trace.path", "\"" + path_ + "\"",
                      std::string("cannot be created: ") + std::strerror(errno) +
                          "; give a writable file path (its directory must exist)");
  }
  const std::string header = traceHeader(sampleEvery_, 1, TraceFile::kOpenCount);
  std::fwrite(header.data(), 1, header.size(), file_);
  buffer_.reserve(kFlushBytes);
}

TraceRecorder::~TraceRecorder() { close(); }

void TraceRecorder::onTick(PoolNode* n, std::size_t size) noexcept {
  std::lock_guard lock(mutex_);
  credit_ += tickPeriod_;
  if (credit_ < sampleEvery_) return;
  credit_ -= sampleEvery_;
  sample(n, size);
}

void TraceRecorder::onOversize(PoolNode* n, std::size_t size) noexcept {
  std::lock_guard lock(mutex_);
  if (++oversizeSeen_ % sampleEvery_ == 0) sample(n, size);
}

void TraceRecorder::sample(PoolNode* n, std::size_t size) noexcept {
  if (file_ == nullptr) return;
  ZONEBUF_ASSERT((n->slot.load(std::memory_order_relaxed) & kTraceBit) == 0, "a lease is sampled once");
  const std::uint32_t id = nextId_++;
  ++samples_;
  try {
    live_.push_back(Live{n, id, samples_});
  } catch (...) {
    return;  // out of memory: this one goes unrecorded
  }
  append({TraceRecord::Kind::Acquire, n->zone, threadIndex(), id, size});
  n->fastKey = &gNoFastRelease;
  n->slot.fetch_or(kTraceBit, std::memory_order_relaxed);
}

void TraceRecorder::onRelease(PoolNode* n) noexcept {
  // Atomic: the slot is shared with ~BufferPool (which orphans leased nodes).
  [[maybe_unused]] const std::uint32_t was = n->slot.fetch_and(~kTraceBit, std::memory_order_relaxed);
  ZONEBUF_ASSERT((was & kTraceBit) != 0, "only sampled leases are reported");
  std::lock_guard lock(mutex_);
  auto it = std::find_if(live_.begin(), live_.end(), [n](const Live& l) { return l.node == n; });
  if (it == live_.end()) return;
  const Live l = *it;
  *it = live_.back();
  live_.pop_back();
  if (file_ != nullptr) {
    append({TraceRecord::Kind::Release, n->zone, threadIndex(), l.id, (samples_ - l.samplesAt) * sampleEvery_});
  }
}

void TraceRecorder::append(const TraceRecord& r) noexcept {
  try {
    appendRecord(buffer_, r);
    ++written_;
  } catch (...) {
    return;
  }
  if (buffer_.size() >= kFlushBytes) flush();
}

void TraceRecorder::flush() noexcept {
  if (file_ != nullptr && !buffer_.empty()) std::fwrite(buffer_.data(), 1, buffer_.size(), file_);
  buffer_.clear();
}

std::uint16_t TraceRecorder::threadIndex() noexcept {
  if (tRecorderSerial == serial_) return tThreadIndex;
  const auto id = std::this_thread::get_id();
  const auto it = threads_.find(id);
  std::uint16_t index;
  if (it != threads_.end()) {
    index = it->second;
  } else {
    index = static_cast<std::uint16_t>(threads_.size() < 65535 ? threads_.size() : 65535);
    try {
      threads_.emplace(id, index);
    } catch (...) {
    }
  }
  tRecorderSerial = serial_;
  tThreadIndex = index;
  return index;
}

void TraceRecorder::close() noexcept {
  std::lock_guard lock(mutex_);
  if (file_ == nullptr) return;
  flush();
  const std::uint32_t threads = threads_.empty() ? 1 : static_cast<std::uint32_t>(std::min<std::size_t>(threads_.size(), 65536));
  const std::string header = traceHeader(sampleEvery_, threads, written_);
  std::fseek(file_, 0, SEEK_SET);
  std::fwrite(header.data(), 1, header.size(), file_);
  std::fclose(file_);
  file_ = nullptr;
}

}  // namespace zonebuf::detail
