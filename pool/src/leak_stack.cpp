// Capturing and naming the call stack of a leak record. Natively:
// backtrace() (<execinfo.h>, glibc) for Paranoid's whole stack, one return
// address for Sampled, names through dladdr() and the C++ demangler at
// report time only (once per address: they are cached). std::stacktrace would need C++23 (GCC 12 has it only
// under -std=c++23 with -lstdc++_libbacktrace); this library is C++20.
// WebAssembly has neither a return address nor backtrace(): no frames.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "leak_detector.hpp"

#if !defined(__EMSCRIPTEN__)
#include <cxxabi.h>
#include <dlfcn.h>
#include <execinfo.h>
#endif

namespace zonebuf::detail {

#if !defined(__EMSCRIPTEN__)

namespace {

std::string hex(std::uintptr_t v) {
  char text[2 + 16 + 1];
  std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(v));
  return text;
}

std::string demangled(const char* name) {
  int status = 0;
  std::unique_ptr<char, decltype(&std::free)> plain(abi::__cxa_demangle(name, nullptr, nullptr, &status), &std::free);
  return status == 0 && plain ? std::string(plain.get()) : std::string(name);
}

// "ns::f(int)+0x2a", or "libx.so+0x1234" without a dynamic symbol.
std::string frameName(const void* address) {
  const auto at = reinterpret_cast<std::uintptr_t>(address);
  Dl_info info{};
  // A return address may be one past its function's last byte: look up the call.
  if (dladdr(reinterpret_cast<const void*>(at - 1), &info) == 0) return hex(at);
  if (info.dli_sname != nullptr && info.dli_saddr != nullptr) {
    return demangled(info.dli_sname) + "+" + hex(at - reinterpret_cast<std::uintptr_t>(info.dli_saddr));
  }
  std::string module = info.dli_fname != nullptr ? info.dli_fname : "?";
  module = module.substr(module.find_last_of('/') + 1);
  return module + "+" + hex(at - reinterpret_cast<std::uintptr_t>(info.dli_fbase));
}

// frameName, remembered: a report names the same few call sites every time
// (stats() polled for metrics, a fuzzer's checks), and dladdr() with the
// demangler cost microseconds per frame. Bounded (emptied when full); never
// destroyed, since reports may run during static destruction. A cached name
// outlives a dlclose() of its module, which is fine: a lease recorded there
// names code that is gone either way.
std::string cachedFrameName(const void* address) {
  static constexpr std::size_t kMaxNames = 4096;
  static std::mutex& mutex = *new std::mutex;
  static auto& names = *new std::unordered_map<const void*, std::string>;
  {
    std::lock_guard lock(mutex);
    if (auto it = names.find(address); it != names.end()) return it->second;
  }
  std::string name = frameName(address);  // outside the lock: other reports need not wait
  std::lock_guard lock(mutex);
  if (names.size() >= kMaxNames) names.clear();
  names.emplace(address, name);
  return name;
}

}  // namespace

LeakStack captureLeakStack(const void* caller, bool wholeStack) noexcept {
  LeakStack s;
  if (caller == nullptr) return s;
  if (wholeStack) {
    // The frames inside the pool come first; the stack proper starts at `caller`.
    void* raw[LeakStack::kFrames + 8];
    const int n = backtrace(raw, static_cast<int>(std::size(raw)));
    int from = 0;
    while (from < n && raw[from] != caller) ++from;
    if (from < n) {
      for (int i = from; i < n && s.depth < LeakStack::kFrames; ++i) s.frames[s.depth++] = raw[i];
      return s;
    }
  }
  s.frames[0] = caller;
  s.depth = 1;
  return s;
}

std::string describeLeakStack(const LeakStack& stack) {
  if (stack.depth == 0) return std::string(LeakSite::kUnknownSite);
  std::string out;
  for (std::uint32_t i = 0; i < stack.depth; ++i) {
    if (i != 0) out += " <- ";
    out += cachedFrameName(stack.frames[i]);
  }
  return out;
}

#else

LeakStack captureLeakStack(const void*, bool) noexcept { return {}; }
std::string describeLeakStack(const LeakStack&) { return std::string(LeakSite::kUnknownSite); }

#endif

}  // namespace zonebuf::detail
