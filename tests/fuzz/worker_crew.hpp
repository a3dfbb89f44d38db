// Two threads that outlive the input: a fuzzer that starts two std::threads
// per input spends most of its time in thread creation under ASan. run(job)
// calls job(0) and job(1) on the two threads at once and returns when both
// are done; the threads wait on a condition variable in between.
// SmallThread: every thread the pool fuzzer starts, on a 256 KiB stack
// instead of the default 8 MiB: ASan clears a thread's stack shadow (1/8 of
// the stack) when it exits, and that was most of what starting and joining
// one cost. (The workers' frames take a few KiB.)
//
// Invariant: at most one run() at a time (the fuzzer's thread); a job never
// throws (a mismatch aborts the process).
#pragma once

#include <pthread.h>

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>

namespace zonebuf::fuzz {

class SmallThread {
 public:
  explicit SmallThread(std::function<void()> fn) : fn_(std::move(fn)) {
    pthread_attr_t attr;
    if (pthread_attr_init(&attr) != 0 || pthread_attr_setstacksize(&attr, kStackBytes) != 0 ||
        pthread_create(&thread_, &attr, &SmallThread::start, this) != 0) {
      std::fprintf(stderr, "zonebuf fuzz: cannot start a thread\n");
      std::abort();
    }
    pthread_attr_destroy(&attr);
  }
  ~SmallThread() { pthread_join(thread_, nullptr); }
  SmallThread(const SmallThread&) = delete;
  SmallThread& operator=(const SmallThread&) = delete;

 private:
  static constexpr std::size_t kStackBytes = 256 * 1024;
  static void* start(void* self) {
    static_cast<SmallThread*>(self)->fn_();
    return nullptr;
  }
  std::function<void()> fn_;
  pthread_t thread_;
};

class WorkerCrew {
 public:
  WorkerCrew() : threads_{SmallThread([this] { loop(0); }), SmallThread([this] { loop(1); })} {}
  ~WorkerCrew() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    // ~SmallThread joins.
  }
  WorkerCrew(const WorkerCrew&) = delete;
  WorkerCrew& operator=(const WorkerCrew&) = delete;

  void run(const std::function<void(int)>& job) {
    std::unique_lock lock(mutex_);
    job_ = &job;
    done_ = 0;
    ++generation_;
    wake_.notify_all();
    finished_.wait(lock, [this] { return done_ == 2; });
    job_ = nullptr;
  }

 private:
  void loop(int index) {
    unsigned seen = 0;
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
      const std::function<void(int)>* job = job_;
      lock.unlock();
      (*job)(index);
      lock.lock();
      if (++done_ == 2) finished_.notify_one();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_, finished_;
  const std::function<void(int)>* job_ = nullptr;
  unsigned generation_ = 0;
  int done_ = 0;
  bool stopping_ = false;
  SmallThread threads_[2];  // last: destroyed (joined) first, while the rest still lives
};

}  // namespace zonebuf::fuzz
