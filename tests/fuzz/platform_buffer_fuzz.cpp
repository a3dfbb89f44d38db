// Differential fuzzer: random op sequences on a PlatformBuffer and on
// ReferenceBuffer must give identical values, identical error types, and
// identical state (position, limit, every byte) after every single op.
#include <fuzzer/FuzzedDataProvider.h>

#include <bit>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>

#include "reference_buffer_model.hpp"
#include "zonebuf/zonebuf.hpp"

using namespace zonebuf;
using zonebuf::fuzz::Outcome;
using zonebuf::testing::outcomeOf;
using zonebuf::fuzz::ReferenceBuffer;

namespace {

[[noreturn]] void mismatch(const char* what, int op) {
  std::fprintf(stderr, "zonebuf fuzz mismatch: %s (op %d)\n", what, op);
  std::abort();
}

void expectSameState(const PlatformBuffer& real, const ReferenceBuffer& model, int op) {
  if (real.position() != model.position) mismatch("position", op);
  if (real.limit() != model.limit) mismatch("limit", op);
  if (real.capacity() != model.capacity()) mismatch("capacity", op);
  for (std::size_t i = 0; i < model.capacity(); ++i) {
    if (std::to_integer<std::uint8_t>(real.data()[i]) != model.bytes[i]) mismatch("bytes", op);
  }
}

std::size_t pickIndex(FuzzedDataProvider& in, std::size_t capacity) {
  switch (in.ConsumeIntegralInRange<int>(0, 3)) {
    case 0: return std::numeric_limits<std::size_t>::max() - in.ConsumeIntegralInRange<std::size_t>(0, 8);
    case 1: return in.ConsumeIntegral<std::size_t>();
    default: return in.ConsumeIntegralInRange<std::size_t>(0, capacity + 9);
  }
}

// Relative/absolute access of one width through the public typed methods.
std::uint64_t readTyped(PlatformBuffer& b, int type) {
  switch (type) {
    case 0: return static_cast<std::uint8_t>(b.readByte());
    case 1: return b.readUnsignedByte();
    case 2: return static_cast<std::uint16_t>(b.readShort());
    case 3: return b.readUnsignedShort();
    case 4: return static_cast<std::uint32_t>(b.readInt());
    case 5: return b.readUnsignedInt();
    case 6: return static_cast<std::uint64_t>(b.readLong());
    case 7: return b.readUnsignedLong();
    case 8: return zonebuf::detail::bitCast<std::uint32_t>(b.readFloat());
    default: return zonebuf::detail::bitCast<std::uint64_t>(b.readDouble());
  }
}
std::uint64_t getTyped(const PlatformBuffer& b, int type, std::size_t i) {
  switch (type) {
    case 0: return static_cast<std::uint8_t>(b.getByte(i));
    case 1: return b.getUnsignedByte(i);
    case 2: return static_cast<std::uint16_t>(b.getShort(i));
    case 3: return b.getUnsignedShort(i);
    case 4: return static_cast<std::uint32_t>(b.getInt(i));
    case 5: return b.getUnsignedInt(i);
    case 6: return static_cast<std::uint64_t>(b.getLong(i));
    case 7: return b.getUnsignedLong(i);
    case 8: return zonebuf::detail::bitCast<std::uint32_t>(b.getFloat(i));
    default: return zonebuf::detail::bitCast<std::uint64_t>(b.getDouble(i));
  }
}
void writeTyped(PlatformBuffer& b, int type, std::uint64_t v) {
  switch (type) {
    case 0: b.writeByte(static_cast<std::int8_t>(v)); break;
    case 1: b.writeUnsignedByte(static_cast<std::uint8_t>(v)); break;
    case 2: b.writeShort(static_cast<std::int16_t>(v)); break;
    case 3: b.writeUnsignedShort(static_cast<std::uint16_t>(v)); break;
    case 4: b.writeInt(static_cast<std::int32_t>(v)); break;
    case 5: b.writeUnsignedInt(static_cast<std::uint32_t>(v)); break;
    case 6: b.writeLong(static_cast<std::int64_t>(v)); break;
    case 7: b.writeUnsignedLong(v); break;
    case 8: b.writeFloat(zonebuf::detail::bitCast<float>(static_cast<std::uint32_t>(v))); break;
    default: b.writeDouble(zonebuf::detail::bitCast<double>(v)); break;
  }
}
void setTyped(PlatformBuffer& b, int type, std::size_t i, std::uint64_t v) {
  switch (type) {
    case 0: b.setByte(i, static_cast<std::int8_t>(v)); break;
    case 1: b.setUnsignedByte(i, static_cast<std::uint8_t>(v)); break;
    case 2: b.setShort(i, static_cast<std::int16_t>(v)); break;
    case 3: b.setUnsignedShort(i, static_cast<std::uint16_t>(v)); break;
    case 4: b.setInt(i, static_cast<std::int32_t>(v)); break;
    case 5: b.setUnsignedInt(i, static_cast<std::uint32_t>(v)); break;
    case 6: b.setLong(i, static_cast<std::int64_t>(v)); break;
    case 7: b.setUnsignedLong(i, v); break;
    case 8: b.setFloat(i, zonebuf::detail::bitCast<float>(static_cast<std::uint32_t>(v))); break;
    default: b.setDouble(i, zonebuf::detail::bitCast<double>(v)); break;
  }
}
constexpr std::size_t kWidth[] = {1, 1, 2, 2, 4, 4, 8, 8, 4, 8};

std::uint64_t truncate(std::uint64_t v, std::size_t width) {
  return width == 8 ? v : v & ((std::uint64_t{1} << (8 * width)) - 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const std::size_t capacity = in.ConsumeIntegralInRange<std::size_t>(0, 96);
  const bool big = in.ConsumeBool();
  const auto zone = static_cast<AllocationZone>(in.ConsumeIntegralInRange<int>(0, 2));
  auto real = PlatformBuffer::allocate(capacity, zone, big ? ByteOrder::BigEndian : ByteOrder::LittleEndian);
  std::memset(real.data(), 0, capacity);
  ReferenceBuffer model(capacity, big);

  for (int op = 0; in.remaining_bytes() > 0 && op < 256; ++op) {
    const int kind = in.ConsumeIntegralInRange<int>(0, 11);
    const int type = in.ConsumeIntegralInRange<int>(0, 9);
    const std::size_t width = kWidth[type];
    std::uint64_t expected = 0, actual = 0;
    Outcome want = Outcome::Ok, got = Outcome::Ok;
    switch (kind) {
      case 0: {  // relative read
        want = model.read(width, expected);
        got = outcomeOf([&] { actual = readTyped(real, type); });
        if (want == Outcome::Ok && got == Outcome::Ok && actual != expected) mismatch("read value", op);
        break;
      }
      case 1: {  // relative write
        const std::uint64_t v = truncate(in.ConsumeIntegral<std::uint64_t>(), width);
        want = model.write(width, v);
        got = outcomeOf([&] { writeTyped(real, type, v); });
        break;
      }
      case 2: {  // absolute get
        const std::size_t i = pickIndex(in, capacity);
        want = model.get(i, width, expected);
        got = outcomeOf([&] { actual = getTyped(real, type, i); });
        if (want == Outcome::Ok && got == Outcome::Ok && actual != expected) mismatch("get value", op);
        break;
      }
      case 3: {  // absolute set
        const std::size_t i = pickIndex(in, capacity);
        const std::uint64_t v = truncate(in.ConsumeIntegral<std::uint64_t>(), width);
        want = model.set(i, width, v);
        got = outcomeOf([&] { setTyped(real, type, i, v); });
        break;
      }
      case 4: {
        const std::size_t n = pickIndex(in, capacity);
        want = model.setPosition(n);
        got = outcomeOf([&] { real.position(n); });
        break;
      }
      case 5: {
        const std::size_t n = pickIndex(in, capacity);
        want = model.setLimit(n);
        got = outcomeOf([&] { real.setLimit(n); });
        break;
      }
      case 6:
        real.resetForRead();
        model.limit = model.position;
        model.position = 0;
        break;
      case 7:
        real.resetForWrite();
        model.position = 0;
        model.limit = model.capacity();
        break;
      case 8: {  // writeBytes: of the input's bytes, or (after an empty string) of the buffer's own
        std::string bytes = in.ConsumeRandomLengthString(40);
        const std::uint8_t* source = reinterpret_cast<const std::uint8_t*>(bytes.data());
        if (bytes.empty() && capacity > 0 && in.ConsumeBool()) {
          // Any run of the buffer, overlapping the destination or not.
          const std::size_t from = in.ConsumeIntegralInRange<std::size_t>(0, capacity);
          const std::size_t n = in.ConsumeIntegralInRange<std::size_t>(0, capacity - from);
          bytes.assign(model.bytes.begin() + static_cast<std::ptrdiff_t>(from),
                       model.bytes.begin() + static_cast<std::ptrdiff_t>(from + n));
          source = reinterpret_cast<const std::uint8_t*>(real.data()) + from;
        }
        want = model.position + bytes.size() > model.limit ? Outcome::Overflow : Outcome::Ok;
        if (want == Outcome::Ok) {
          for (char c : bytes) model.bytes[model.position++] = static_cast<std::uint8_t>(c);
        }
        got = outcomeOf([&] { real.writeBytes(std::span<const std::uint8_t>(source, bytes.size())); });
        break;
      }
      case 9: {  // readBytes view / readByteArray copy / toByteArray
        const std::size_t n = in.ConsumeIntegralInRange<std::size_t>(0, capacity + 2);
        const bool copy = in.ConsumeBool();
        want = model.position + n > model.limit ? Outcome::Underflow : Outcome::Ok;
        std::vector<std::uint8_t> seen;
        got = outcomeOf([&] {
          if (copy) {
            for (auto b : real.readByteArray(n)) seen.push_back(std::to_integer<std::uint8_t>(b));
          } else {
            auto view = real.readBytes(n);
            for (std::size_t i = 0; i < view.capacity(); ++i) seen.push_back(view.getUnsignedByte(i));
          }
        });
        if (want == Outcome::Ok) {
          if (got == Outcome::Ok &&
              seen != std::vector<std::uint8_t>(model.bytes.begin() + static_cast<std::ptrdiff_t>(model.position),
                                                model.bytes.begin() + static_cast<std::ptrdiff_t>(model.position + n)))
            mismatch("readBytes content", op);
          model.position += n;
        }
        break;
      }
      case 10: {  // slice: a view whose writes land in the parent
        auto view = real.slice();
        if (view.capacity() != model.limit - model.position) mismatch("slice capacity", op);
        if (view.byteOrder() != real.byteOrder()) mismatch("slice order", op);
        if (view.capacity() >= width) {
          const std::uint64_t v = truncate(in.ConsumeIntegral<std::uint64_t>(), width);
          setTyped(view, type, 0, v);
          model.store(model.position, width, v);
        }
        break;
      }
      default: {  // strings: UTF-8 out, then read back in a random charset
        const std::string text = in.ConsumeRandomLengthString(24);
        const bool strict = in.ConsumeBool();
        const bool valid = zonebuf::fuzz::referenceIsValidUtf8(reinterpret_cast<const std::uint8_t*>(text.data()),
                                                               text.size());
        if (valid) {
          want = model.position + text.size() > model.limit ? Outcome::Overflow : Outcome::Ok;
          if (want == Outcome::Ok)
            for (char c : text) model.bytes[model.position++] = static_cast<std::uint8_t>(c);
          std::size_t written = 0;
          got = outcomeOf([&] { written = real.writeString(text, Charset::Utf8, strict ? TextPolicy::Strict : TextPolicy::Lenient); });
          if (got == Outcome::Ok && written != text.size()) mismatch("writeString size", op);
        } else {
          // Reading ill-formed bytes: Strict must reject without moving,
          // Lenient must produce valid UTF-8 and advance by exactly n.
          const std::size_t n = std::min(text.size(), model.limit - model.position);
          const bool windowValid = zonebuf::fuzz::referenceIsValidUtf8(model.bytes.data() + model.position, n);
          std::string decoded;
          got = outcomeOf([&] { decoded = real.readString(n, Charset::Utf8, strict ? TextPolicy::Strict : TextPolicy::Lenient); });
          want = (strict && !windowValid) ? Outcome::Malformed : Outcome::Ok;
          if (want == Outcome::Ok) {
            if (got == Outcome::Ok && !zonebuf::fuzz::referenceIsValidUtf8(
                                          reinterpret_cast<const std::uint8_t*>(decoded.data()), decoded.size()))
              mismatch("lenient decode produced ill-formed UTF-8", op);
            model.position += n;
          }
        }
        break;
      }
    }
    if (want != got) mismatch("outcome", op);
    expectSameState(real, model, op);
  }
  return 0;
}
