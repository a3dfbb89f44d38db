// slice() and text: writeString / readString of ASCII, Cyrillic (2-byte,
// with ASCII spaces and punctuation), CJK (3-byte) and emoji (4-byte) UTF-8
// at 16 B and 1 KiB, and UTF-16BE/LE encode (writeString) and decode
// (readString) at 1 KiB. One op = one call (items_per_second); bytes_per_second
// counts the input bytes (the UTF-8 text for writes, the buffer's bytes for
// reads), which the report shows in MB/s.
//
// Harness: every call goes through a non-inlined function taking the buffer
// by reference, as user code holding a buffer member or parameter does.
// Baselines per size, through the same kind of function: memcpy of the same
// number of bytes into the buffer, and a std::string built from the buffer's
// bytes (what readString must do at least) — a codec that neither validated
// nor transcoded would cost that.
#include <benchmark/benchmark.h>

#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include "support/keep.hpp"
#include "support/registry.hpp"
#include "zonebuf/core/text_codec.hpp"
#include "zonebuf/primitives.hpp"
#include "zonebuf/zonebuf.hpp"

namespace zonebuf::bench {
namespace {

constexpr std::size_t kSizes[] = {16, 1024};

struct Script {
  const char* name;
  std::string_view text;  // repeated to fill a sample
};
constexpr Script kScripts[] = {
    {"ascii", "The quick brown fox jumps over the lazy dog. "},
    {"cyrillic", "\xD0\xA1\xD1\x8A\xD0\xB5\xD1\x88\xD1\x8C \xD0\xB6\xD0\xB5 \xD0\xB5\xD1\x89\xD1\x91 "
                 "\xD1\x8D\xD1\x82\xD0\xB8\xD1\x85 \xD0\xBC\xD1\x8F\xD0\xB3\xD0\xBA\xD0\xB8\xD1\x85 "
                 "\xD0\xB1\xD1\x83\xD0\xBB\xD0\xBE\xD0\xBA, \xD0\xB4\xD0\xB0 \xD0\xB2\xD1\x8B\xD0\xBF"
                 "\xD0\xB5\xD0\xB9 \xD1\x87\xD0\xB0\xD1\x8E. "},
    {"cjk", "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE\xE6\x96\x87\xE7\xAB\xA0\xE3\x81\xA8"
            "\xE6\xBC\xA2\xE5\xAD\x97\xE3\x80\x82"},
    {"emoji", "\xF0\x9F\x98\x80\xF0\x9F\x8E\x89\xF0\x9F\x91\x8D\xF0\x9F\x9A\x80"},
};

std::size_t sequenceLength(unsigned char lead) { return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4; }

// Whole code points of the script's text, repeated while the encoding in
// `charset` stays within `bytes`, topped up with 'x' to exactly `bytes`.
std::string sample(std::string_view text, std::size_t bytes, Charset charset = Charset::Utf8) {
  const std::size_t pad = text::encodedSize("x", charset, TextPolicy::Strict);
  std::string s;
  for (std::size_t i = 0;; i = (i + sequenceLength(static_cast<unsigned char>(text[i]))) % text.size()) {
    const std::string_view cp = text.substr(i, sequenceLength(static_cast<unsigned char>(text[i])));
    if (text::encodedSize(s, charset, TextPolicy::Strict) + text::encodedSize(cp, charset, TextPolicy::Strict) >
        bytes) {
      break;
    }
    s += cp;
  }
  while (text::encodedSize(s, charset, TextPolicy::Strict) + pad <= bytes) s += 'x';
  return s;
}

ZONEBUF_NOINLINE std::size_t writeText(PlatformBuffer& buf, std::string_view text, Charset charset) {
  buf.resetForWrite();
  return buf.writeString(text, charset);
}

ZONEBUF_NOINLINE std::string readText(PlatformBuffer& buf, std::size_t bytes, Charset charset) {
  buf.position(0);
  return buf.readString(bytes, charset);
}

ZONEBUF_NOINLINE void copyIn(PlatformBuffer& buf, std::string_view text) {
  std::memcpy(buf.data(), text.data(), text.size());
}

ZONEBUF_NOINLINE std::string copyOut(PlatformBuffer& buf, std::size_t bytes) {
  return std::string(reinterpret_cast<const char*>(buf.data()), bytes);
}

void setCounts(benchmark::State& state, std::size_t bytes) {
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
}

void writeString(benchmark::State& state, std::string text, Charset charset) {
  PlatformBuffer buf = PlatformBuffer::allocate(text::encodedSize(text, charset, TextPolicy::Strict));
  for (auto _ : state) {
    keep(writeText(buf, text, charset));
    benchmark::ClobberMemory();
  }
  setCounts(state, text.size());
}

void readString(benchmark::State& state, std::string text, Charset charset) {
  PlatformBuffer buf = PlatformBuffer::allocate(text::encodedSize(text, charset, TextPolicy::Strict));
  const std::size_t bytes = buf.writeString(text, charset);
  buf.resetForRead();
  for (auto _ : state) {
    std::string s = readText(buf, bytes, charset);
    keep(s.data());
  }
  setCounts(state, bytes);
}

void memcpyWrite(benchmark::State& state, std::size_t size) {
  const std::string text(size, 'a');
  PlatformBuffer buf = PlatformBuffer::allocate(size);
  for (auto _ : state) {
    copyIn(buf, text);
    benchmark::ClobberMemory();
  }
  setCounts(state, size);
}

void memcpyRead(benchmark::State& state, std::size_t size) {
  PlatformBuffer buf = PlatformBuffer::allocate(size);
  std::memset(buf.data(), 'a', size);
  for (auto _ : state) {
    std::string s = copyOut(buf, size);
    keep(s.data());
  }
  setCounts(state, size);
}

void slice(benchmark::State& state, AllocationZone zone) {
  PlatformBuffer buf = PlatformBuffer::allocate(1024, zone);
  buf.position(16);
  for (auto _ : state) {
    PlatformBuffer view = buf.slice();
    benchmark::DoNotOptimize(view);
  }
  state.SetItemsProcessed(state.iterations());
}

ZB_BENCH_REGISTRATION {
  for (AllocationZone zone : kAllZones) add("text/slice/" + std::string(zoneName(zone)), &slice, zone);
  for (std::size_t size : kSizes) {
    const std::string s = sizeLabel(size);
    add("text/memcpy_write/" + s, &memcpyWrite, size);
    add("text/memcpy_read/" + s, &memcpyRead, size);
    for (const Script& script : kScripts) {
      const std::string name = std::string(script.name) + "/" + s;
      add("text/write/" + name, &writeString, sample(script.text, size), Charset::Utf8);
      add("text/read/" + name, &readString, sample(script.text, size), Charset::Utf8);
    }
  }
  constexpr std::pair<Charset, const char*> kUtf16[] = {{Charset::Utf16BigEndian, "BE"},
                                                        {Charset::Utf16LittleEndian, "LE"}};
  for (const auto& [charset, order] : kUtf16) {
    for (const Script& script : kScripts) {
      const std::string name = std::string(order) + "/" + script.name + "/1KiB";
      add("text/utf16_encode/" + name, &writeString, sample(script.text, 1024), charset);
      add("text/utf16_decode/" + name, &readString, sample(script.text, 1024, charset), charset);
    }
  }
}

}  // namespace
}  // namespace zonebuf::bench
