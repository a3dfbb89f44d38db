// Uses only zonebuf's public headers and libraries, as a downstream project
// would. Exits non-zero on any mismatch so the test command notices.
#include <zonebuf/zonebuf.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#if defined(__linux__) && !defined(__EMSCRIPTEN__)
#include <dlfcn.h>
#endif

int main() {
  using namespace zonebuf;
  int failures = 0;
  auto check = [&](bool ok, const char* what) {
    std::printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    failures += ok ? 0 : 1;
  };
  for (auto zone : {AllocationZone::Heap, AllocationZone::Direct, AllocationZone::SharedMemory}) {
    auto buffer = PlatformBuffer::allocate(64, zone);
    buffer.writeInt(42).writeString("Hello from WASM");
    buffer.resetForRead();
    check(buffer.readInt() == 42, "writeInt/readInt round trip");
    check(buffer.readString(15) == "Hello from WASM", "writeString/readString round trip");
    check(buffer.zone() == zone, "zone recorded");
  }
  try {
    auto small = PlatformBuffer::allocate(2);
    small.writeInt(1);
    check(false, "overflow throws");
  } catch (const BufferOverflowError&) {
    check(true, "overflow throws BufferOverflowError");
  }
  BufferPool pool;
  check(pool.withBuffer(100, AllocationZone::Direct, [](PlatformBuffer& b) { return b.capacity(); }) >= 100,
        "pool lease");
#if ZONEBUF_HAS_PMR
  {
    PoolMemoryResource poolResource(pool);
    ZoneMemoryResource direct(AllocationZone::Direct);
    std::pmr::vector<std::pmr::string> words(&poolResource);
    for (int i = 0; i < 100; ++i) words.emplace_back(std::string(40, 'w') + std::to_string(i));
    std::pmr::string s("through the Direct zone, long enough to allocate", &direct);
    check(std::string_view(words.back()) == std::string(40, 'w') + "99" && s.size() > 40, "pmr containers on zonebuf resources");
  }
#endif
#if defined(__linux__) && !defined(__EMSCRIPTEN__)
  // mimalloc serves the Heap zone privately: the program's malloc is still the C library's.
  Dl_info info{};
  void* (*mallocFn)(std::size_t) = &std::malloc;
  check(dladdr(reinterpret_cast<void*>(mallocFn), &info) != 0 && info.dli_fname != nullptr &&
            std::string(info.dli_fname).find("libc.so") != std::string::npos,
        "malloc is the C library's (mimalloc does not override it)");
#endif
  std::printf("consumer: %d failure(s)\n", failures);
  return failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
