// Differential fuzzer: the op script of tests/stream/stream_op_script.hpp
// with libFuzzer's choices. The same ops run against a StreamProcessor fed
// a random chunking (leases and copies) and against one flat PlatformBuffer:
// the values, error types and consumed counts must agree after every op.
#include <fuzzer/FuzzedDataProvider.h>

#include "../stream/stream_op_script.hpp"

namespace {

struct FuzzSource {
  FuzzedDataProvider& in;
  std::size_t uint(std::size_t lo, std::size_t hi) { return in.ConsumeIntegralInRange<std::size_t>(lo, hi); }
  std::vector<std::byte> bytes(std::size_t n) {
    std::vector<std::uint8_t> raw = in.ConsumeBytes<std::uint8_t>(n);
    raw.resize(n);  // past the end of the input: zeros
    std::vector<std::byte> out(n);
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::byte>(raw[i]);
    return out;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static zonebuf::BufferPool pool;
  FuzzedDataProvider in(data, size);
  FuzzSource src{in};
  zonebuf::streamscript::run(src, pool);
  return 0;
}
