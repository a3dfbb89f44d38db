// The differential op script shared by the stream fuzzer (tests/fuzz/
// stream_fuzz.cpp) and its GoogleTest replay: the same ops run against a
// StreamProcessor fed a random chunking of the input and against one flat
// PlatformBuffer over the whole input; after every op the values, the error
// type and the consumed count must agree. `Source` supplies the choices
// (FuzzedDataProvider or a seeded generator).
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "../support/error_outcome.hpp"
#include "zonebuf/zonebuf.hpp"

namespace zonebuf::streamscript {

using testing::Outcome;
using testing::outcomeOf;

[[noreturn]] inline void mismatch(const char* what, int op, int kind) {
  std::fprintf(stderr, "zonebuf stream script mismatch: %s (op %d, kind %d)\n", what, op, kind);
  std::abort();
}

// Source: uint(lo, hi) -> a value in [lo, hi]; bytes(n) -> n bytes.
template <class Source>
void run(Source& in, BufferPool& pool) {
  const std::vector<std::byte> input = in.bytes(in.uint(0, 300));
  PlatformBuffer flat = PlatformBuffer::wrap(std::span<std::byte>(const_cast<std::byte*>(input.data()), input.size()));
  const ByteOrder order = in.uint(0, 1) ? ByteOrder::LittleEndian : ByteOrder::BigEndian;
  StreamProcessor stream(pool, StreamConfig{AllocationZone::Heap, order, 1 + in.uint(0, 40)});
  // Feed a random chunking: leases (offset inside their buffer) or copies.
  for (std::size_t at = 0; at < input.size();) {
    const std::size_t n = std::min<std::size_t>(1 + in.uint(0, 24), input.size() - at);
    if (in.uint(0, 1)) {
      const std::size_t pad = in.uint(0, 5);
      PooledBuffer lease = pool.acquire(n + pad);
      std::memcpy(lease->data() + pad, input.data() + at, n);
      lease->setLimit(pad + n).position(pad);
      stream.append(std::move(lease));
    } else {
      stream.append(std::span<const std::byte>(input.data() + at, n));
    }
    at += n;
  }
  if (stream.available() != input.size()) mismatch("available after feeding", -1, -1);
  const bool swap = order != kNativeByteOrder;
  (void)swap;
  for (int op = 0; op < 64 && in.uint(0, 9) != 0; ++op) {
    const std::size_t base = flat.position();
    const int kind = static_cast<int>(in.uint(0, 13));
    const ByteOrder o = in.uint(0, 1) ? ByteOrder::LittleEndian : ByteOrder::BigEndian;
    double sv = 0, fv = 0;
    std::string ss, fs;
    Outcome so = Outcome::Ok, fo = Outcome::Ok;
    auto bits = [](auto v) {
      std::uint64_t b = 0;
      std::memcpy(&b, &v, sizeof v);
      return static_cast<double>(b);
    };
    switch (kind) {
      case 0: so = outcomeOf([&] { sv = stream.readByte(); }); fo = outcomeOf([&] { fv = flat.readByte(); }); break;
      case 1: so = outcomeOf([&] { sv = stream.readShort(o); }); fo = outcomeOf([&] { fv = flat.readShort(o); }); break;
      case 2: so = outcomeOf([&] { sv = stream.readUnsignedInt(o); }); fo = outcomeOf([&] { fv = flat.readUnsignedInt(o); }); break;
      case 3: so = outcomeOf([&] { sv = bits(stream.readLong(o)); }); fo = outcomeOf([&] { fv = bits(flat.readLong(o)); }); break;
      case 4: so = outcomeOf([&] { sv = bits(stream.readDouble(o)); }); fo = outcomeOf([&] { fv = bits(flat.readDouble(o)); }); break;
      case 5: so = outcomeOf([&] { sv = bits(stream.readFloat()); }); fo = outcomeOf([&] { fv = bits(flat.readFloat(order)); }); break;
      case 6: {
        const std::size_t off = in.uint(0, 40);
        so = outcomeOf([&] { sv = stream.peekInt(off, o); });
        // A peek past the end is the stream's underflow; the flat buffer says it with an index error.
        fo = outcomeOf([&] { fv = flat.getInt(base + off, o); });
        if (fo == Outcome::InvalidArgument) fo = Outcome::Underflow;
        break;
      }
      case 7: {
        const std::size_t off = in.uint(0, 40);
        so = outcomeOf([&] { sv = bits(stream.peekUnsignedLong(off)); });
        fo = outcomeOf([&] { fv = bits(flat.getUnsignedLong(base + off, order)); });
        if (fo == Outcome::InvalidArgument) fo = Outcome::Underflow;
        break;
      }
      case 8: {
        const std::size_t n = in.uint(0, 50);
        so = outcomeOf([&] { stream.skip(n); });
        fo = outcomeOf([&] { flat.skip(n); });
        break;
      }
      case 9: {
        const auto v = static_cast<std::uint8_t>(in.uint(0, 255));
        const std::size_t from = in.uint(0, 20);
        sv = static_cast<double>(stream.indexOf(v, from));
        PlatformBuffer view = flat.duplicate();
        std::size_t f = PlatformBuffer::npos;
        if (from <= flat.remaining()) {
          view.position(base + from);
          f = view.indexOf(v);
        }
        fv = static_cast<double>(f == PlatformBuffer::npos ? f : f - base);
        break;
      }
      case 10: {
        const std::vector<std::byte> pat = in.bytes(in.uint(0, 4));
        sv = static_cast<double>(stream.indexOf(std::span<const std::byte>(pat)));
        const std::size_t f = flat.indexOf(std::span<const std::byte>(pat));
        fv = static_cast<double>(f == PlatformBuffer::npos ? f : f - base);
        break;
      }
      case 11: {
        const std::size_t n = in.uint(0, 40);
        so = outcomeOf([&] {
          StreamBuffer b = stream.readBuffer(n);
          ss.assign(reinterpret_cast<const char*>(b->data()), b->remaining());
        });
        fo = outcomeOf([&] {
          PlatformBuffer v = flat.readBytes(n);
          fs.assign(reinterpret_cast<const char*>(v.data()), v.remaining());
        });
        break;
      }
      case 12: {
        const std::size_t n = in.uint(0, 40);
        const TextPolicy p = in.uint(0, 1) ? TextPolicy::Strict : TextPolicy::Lenient;
        const Charset cs = in.uint(0, 1) ? Charset::Utf8 : Charset::Utf16LittleEndian;
        so = outcomeOf([&] { ss = stream.readString(n, cs, p); });
        fo = outcomeOf([&] { fs = flat.readString(n, cs, p); });
        break;
      }
      default: {
        const std::size_t n = in.uint(0, 40);
        PlatformBuffer dst = PlatformBuffer::allocate(in.uint(0, 40));
        so = outcomeOf([&] { stream.readInto(dst, n); });
        ss.assign(reinterpret_cast<const char*>(dst.data()), dst.position());
        PlatformBuffer dst2 = PlatformBuffer::allocate(dst.capacity());
        fo = outcomeOf([&] {
          if (n > flat.remaining()) detail::throwUnderflow("readInto", n, flat.position(), flat.limit());
          if (n > dst2.remaining()) detail::throwOverflow("readInto", n, dst2.position(), dst2.limit());
          dst2.write(flat.slice(flat.position(), n).resetForWrite());
          flat.skip(n);
        });
        fs.assign(reinterpret_cast<const char*>(dst2.data()), dst2.position());
        break;
      }
    }
    if (so != fo) mismatch("outcome", op, kind);
    if (so == Outcome::Ok && (sv != fv || ss != fs)) mismatch("value", op, kind);
    if (stream.available() != flat.remaining()) mismatch("consumed count", op, kind);
    if (stream.stats().bytesHeld != flat.remaining()) mismatch("stats().bytesHeld", op, kind);
  }
  stream.clear();
}

}  // namespace zonebuf::streamscript
