// Uses only the installed headers and libraries. Exits non-zero on any
// mismatch so the test command notices.
#include <zonebuf/zonebuf.hpp>

#include <cstdio>
#include <cstdlib>

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
  std::printf("consumer: %d failure(s)\n", failures);
  return failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
