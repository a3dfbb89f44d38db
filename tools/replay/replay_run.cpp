#include "replay_run.hpp"

#include <mimalloc.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <atomic>
#include <memory>
#include <memory_resource>
#include <stdexcept>
#include <string>
#include <mutex>
#include <optional>
#include <thread>

#include "zonebuf/zonebuf.hpp"

namespace zonebuf::replay {

namespace {

// Writes the bytes a user would: the first byte of every page (the whole
// allocation is the user's, and RSS only sees touched pages).
void touch(std::byte* p, std::size_t n) {
  for (std::size_t i = 0; i < n; i += 4096) p[i] = std::byte{1};
}

struct ZoneAllocator {
  AllocationZone zone;
  using Handle = std::optional<PlatformBuffer>;
  void acquire(Handle& h, std::size_t size, AllocationZone) {
    h.emplace(PlatformBuffer::allocate(size, zone));
    touch(h->data(), size);
  }
  void release(Handle& h) { h.reset(); }
};

struct PoolAllocator {
  BufferPool* pool;
  using Handle = PooledBuffer;
  void acquire(Handle& h, std::size_t size, AllocationZone zone) {
    h = pool->acquire(size, zone);
    touch(h->data(), size);
  }
  void release(Handle& h) { h.release(); }
};

struct MimallocAllocator {
  using Handle = void*;
  void acquire(Handle& h, std::size_t size, AllocationZone) {
    h = mi_malloc(size == 0 ? 1 : size);
    if (h == nullptr) throw std::bad_alloc();
    touch(static_cast<std::byte*>(h), size);
  }
  void release(Handle& h) { mi_free(h); }
};

struct PmrAllocator {
  std::pmr::unsynchronized_pool_resource resource;
  struct Handle {
    void* p = nullptr;
    std::size_t size = 0;
  };
  void acquire(Handle& h, std::size_t size, AllocationZone) {
    h = {resource.allocate(size, 16), size};
    touch(static_cast<std::byte*>(h.p), size);
  }
  void release(Handle& h) { resource.deallocate(h.p, h.size, 16); }
};

template <class Allocator>
void runPasses(Allocator& a, const Workload& w, std::size_t passes) {
  std::vector<typename Allocator::Handle> live(w.slots);
  for (std::size_t pass = 0; pass < passes; ++pass) {
    for (const Op& op : w.ops) {
      if (op.acquire) {
        a.acquire(live[op.slot], op.size, op.zone);
      } else {
        a.release(live[op.slot]);
      }
    }
  }
}

// One allocator per thread (a SingleThreaded pool, the unsynchronized pmr
// resource) or one shared by all (the zones, mimalloc, a MultiThreaded pool).
// The process's CPU time: each candidate runs in its own process, so this is
// the replay's own work summed over its threads, and time the machine gave
// to other processes does not count (wall time on a shared CI runner does).
double cpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

template <class MakeAllocator>
double runThreads(const std::vector<Workload>& workloads, std::size_t passes, MakeAllocator make) {
  const double start = cpuSeconds();
  std::vector<std::thread> threads;
  std::exception_ptr failure;
  std::mutex failureMutex;
  for (const Workload& w : workloads) {
    threads.emplace_back([&, wp = &w] {
      try {
        auto a = make();
        runPasses(*a, *wp, passes);
      } catch (...) {
        std::lock_guard lock(failureMutex);
        failure = std::current_exception();
      }
    });
  }
  for (auto& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
  return cpuSeconds() - start;
}

double runCandidate(const Candidate& c, const std::vector<Workload>& w, std::size_t passes) {
  switch (c.kind) {
    case Candidate::Kind::Zone:
      return runThreads(w, passes, [&] { return std::make_unique<ZoneAllocator>(ZoneAllocator{c.zone}); });
    case Candidate::Kind::Mimalloc:
      return runThreads(w, passes, [] { return std::make_unique<MimallocAllocator>(); });
    case Candidate::Kind::PmrUnsync:
      return runThreads(w, passes, [] { return std::make_unique<PmrAllocator>(); });
    case Candidate::Kind::Pool: {
      if (c.config->threading == ThreadingMode::MultiThreaded) {
        BufferPool shared(*c.config);
        return runThreads(w, passes, [&] { return std::make_unique<PoolAllocator>(PoolAllocator{&shared}); });
      }
      std::vector<std::unique_ptr<BufferPool>> pools;
      for (std::size_t i = 0; i < w.size(); ++i) pools.push_back(std::make_unique<BufferPool>(*c.config));
      std::atomic<std::size_t> next{0};
      return runThreads(w, passes, [&] { return std::make_unique<PoolAllocator>(PoolAllocator{pools[next++].get()}); });
    }
  }
  return 0;
}

std::size_t statusKiB(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) return std::stoull(line.substr(std::strlen(key)));
  }
  return 0;
}

// The child: calibrates the pass count on one pass, runs, reports on `fd`.
[[noreturn]] void child(int fd, const Candidate& c, const std::vector<Workload>& w, double minSeconds) {
  std::string out;
  try {
    const std::size_t rssStart = statusKiB("VmRSS:");
    // Calibration (also the warm-up): double the passes until a run takes an
    // eighth of the budget, then one measured run of the whole budget.
    std::size_t passes = 1;
    double seconds = runCandidate(c, w, passes);
    while (seconds < minSeconds / 8 && passes < (std::size_t{1} << 24)) seconds = runCandidate(c, w, passes *= 2);
    passes = std::max<std::size_t>(1, static_cast<std::size_t>(static_cast<double>(passes) * minSeconds / std::max(seconds, 1e-9)));
    seconds = runCandidate(c, w, passes);
    const std::size_t hwm = statusKiB("VmHWM:");
    const double ns = seconds * 1e9 / static_cast<double>(passes * totalOps(w));
    out = "ok " + std::to_string(ns) + " " + std::to_string((hwm > rssStart ? hwm - rssStart : 0) * 1024) + " " +
          std::to_string(passes);
  } catch (const std::exception& e) {
    out = std::string("error ") + e.what();
  }
  (void)!write(fd, out.data(), out.size());
  _exit(0);
}

}  // namespace

Measurement measure(const Candidate& c, const std::vector<Workload>& workloads, double minSeconds) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    close(fds[0]);
    child(fds[1], c, workloads, minSeconds);
  }
  close(fds[1]);
  std::string reply;
  char buf[512];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) reply.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (reply.rfind("ok ", 0) != 0) {
    throw std::runtime_error("candidate " + c.name + " failed: " +
                             (reply.empty() ? "the replay process died (status " + std::to_string(status) + ")"
                                            : reply.substr(reply.find(' ') + 1)));
  }
  Measurement m;
  m.name = c.name;
  std::sscanf(reply.c_str(), "ok %lf %zu %zu", &m.nsPerOp, &m.peakBytes, &m.passes);
  return m;
}

}  // namespace zonebuf::replay
