// Two threads that outlive the input: a fuzzer that starts two std::threads
// per input spends most of its time in thread creation under ASan. run(job)
// calls job(0) and job(1) on the two threads at once and returns when both
// are done; the threads wait on a condition variable in between.
//
// Invariant: at most one run() at a time (the fuzzer's thread); a job never
// throws (a mismatch aborts the process).
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace zonebuf::fuzz {

class WorkerCrew {
 public:
  WorkerCrew() {
    for (int i = 0; i < 2; ++i) threads_[i] = std::thread([this, i] { loop(i); });
  }
  ~WorkerCrew() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& t : threads_) t.join();
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
  std::thread threads_[2];
};

}  // namespace zonebuf::fuzz
