// StreamProcessor: bytes arrive in chunks (pooled leases) that split
// fields; fields come out as if the bytes were one buffer.
//
// Invariants:
//   - The stream holds an ordered list of chunks; available() is the sum of
//     their unconsumed bytes, and every held chunk has at least one.
//   - A chunk whose last byte is consumed goes back to its pool at once (or,
//     for readBuffer, moves into the returned StreamBuffer).
//   - Offsets (peekX(offset), indexOf) count from the first unconsumed byte.
//   - A call that throws consumed nothing and changed no chunk: reads past
//     available() are BufferUnderflowError, bad arguments InvalidArgumentError,
//     Strict text MalformedTextError.
//   - Hot paths (a field inside the head chunk) are inline, one compare, no
//     virtual call; joining chunks is out of line.
// Single-threaded: one thread uses a StreamProcessor at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zonebuf/core/charset.hpp"
#include "zonebuf/core/platform_buffer.hpp"
#include "zonebuf/pool/buffer_pool.hpp"
#include "zonebuf/stream/stream_buffer.hpp"
#include "zonebuf/stream/stream_stats.hpp"

namespace zonebuf {

namespace detail {
[[noreturn]] ZONEBUF_COLD void throwStreamUnderflow(const char* op, std::size_t needed, std::size_t available);
}

struct StreamConfig {
  AllocationZone zone = AllocationZone::Heap;  // for leases the stream takes itself
  ByteOrder order = ByteOrder::BigEndian;      // of reads without an order argument
  std::size_t copyChunkSize = 16 * 1024;       // lease size append(span) copies into
};

class StreamProcessor {
 public:
  static constexpr std::size_t npos = PlatformBuffer::npos;

  explicit StreamProcessor(BufferPool& pool, StreamConfig config = {});
  StreamProcessor(const StreamProcessor&) = delete;
  StreamProcessor& operator=(const StreamProcessor&) = delete;
  // The moved-from stream is empty and usable.
  StreamProcessor(StreamProcessor&& other) noexcept;
  StreamProcessor& operator=(StreamProcessor&&) = delete;
  ~StreamProcessor() = default;

  // Takes the lease without copying; its buffer's [position, limit) are the
  // new bytes. An empty range releases it at once. InvalidArgumentError for
  // an inactive lease.
  void append(PooledBuffer&& lease);
  // Copies the bytes into pooled leases (filling the last one the stream
  // copied into first). OutOfMemoryError from the pool leaves it unchanged.
  void append(std::span<const std::byte> bytes);

  std::size_t available() const noexcept { return available_; }
  bool empty() const noexcept { return available_ == 0; }
  const BufferPool& pool() const noexcept { return *pool_; }
  ByteOrder byteOrder() const noexcept { return order_; }

  // Peeks consume nothing; offset counts from the first unconsumed byte.
  std::int8_t peekByte(std::size_t offset = 0) const { return peekValue<std::int8_t>(offset, order_, "peekByte"); }
  std::uint8_t peekUnsignedByte(std::size_t offset = 0) const { return peekValue<std::uint8_t>(offset, order_, "peekUnsignedByte"); }
  std::int16_t peekShort(std::size_t offset = 0) const { return peekValue<std::int16_t>(offset, order_, "peekShort"); }
  std::int16_t peekShort(std::size_t offset, ByteOrder o) const { return peekValue<std::int16_t>(offset, o, "peekShort"); }
  std::uint16_t peekUnsignedShort(std::size_t offset = 0) const { return peekValue<std::uint16_t>(offset, order_, "peekUnsignedShort"); }
  std::uint16_t peekUnsignedShort(std::size_t offset, ByteOrder o) const { return peekValue<std::uint16_t>(offset, o, "peekUnsignedShort"); }
  std::int32_t peekInt(std::size_t offset = 0) const { return peekValue<std::int32_t>(offset, order_, "peekInt"); }
  std::int32_t peekInt(std::size_t offset, ByteOrder o) const { return peekValue<std::int32_t>(offset, o, "peekInt"); }
  std::uint32_t peekUnsignedInt(std::size_t offset = 0) const { return peekValue<std::uint32_t>(offset, order_, "peekUnsignedInt"); }
  std::uint32_t peekUnsignedInt(std::size_t offset, ByteOrder o) const { return peekValue<std::uint32_t>(offset, o, "peekUnsignedInt"); }
  std::int64_t peekLong(std::size_t offset = 0) const { return peekValue<std::int64_t>(offset, order_, "peekLong"); }
  std::int64_t peekLong(std::size_t offset, ByteOrder o) const { return peekValue<std::int64_t>(offset, o, "peekLong"); }
  std::uint64_t peekUnsignedLong(std::size_t offset = 0) const { return peekValue<std::uint64_t>(offset, order_, "peekUnsignedLong"); }
  std::uint64_t peekUnsignedLong(std::size_t offset, ByteOrder o) const { return peekValue<std::uint64_t>(offset, o, "peekUnsignedLong"); }
  float peekFloat(std::size_t offset = 0) const { return peekValue<float>(offset, order_, "peekFloat"); }
  float peekFloat(std::size_t offset, ByteOrder o) const { return peekValue<float>(offset, o, "peekFloat"); }
  double peekDouble(std::size_t offset = 0) const { return peekValue<double>(offset, order_, "peekDouble"); }
  double peekDouble(std::size_t offset, ByteOrder o) const { return peekValue<double>(offset, o, "peekDouble"); }

  // Reads consume what they return.
  std::int8_t readByte() { return readValue<std::int8_t>(order_, "readByte"); }
  std::uint8_t readUnsignedByte() { return readValue<std::uint8_t>(order_, "readUnsignedByte"); }
  std::int16_t readShort() { return readValue<std::int16_t>(order_, "readShort"); }
  std::int16_t readShort(ByteOrder o) { return readValue<std::int16_t>(o, "readShort"); }
  std::uint16_t readUnsignedShort() { return readValue<std::uint16_t>(order_, "readUnsignedShort"); }
  std::uint16_t readUnsignedShort(ByteOrder o) { return readValue<std::uint16_t>(o, "readUnsignedShort"); }
  std::int32_t readInt() { return readValue<std::int32_t>(order_, "readInt"); }
  std::int32_t readInt(ByteOrder o) { return readValue<std::int32_t>(o, "readInt"); }
  std::uint32_t readUnsignedInt() { return readValue<std::uint32_t>(order_, "readUnsignedInt"); }
  std::uint32_t readUnsignedInt(ByteOrder o) { return readValue<std::uint32_t>(o, "readUnsignedInt"); }
  std::int64_t readLong() { return readValue<std::int64_t>(order_, "readLong"); }
  std::int64_t readLong(ByteOrder o) { return readValue<std::int64_t>(o, "readLong"); }
  std::uint64_t readUnsignedLong() { return readValue<std::uint64_t>(order_, "readUnsignedLong"); }
  std::uint64_t readUnsignedLong(ByteOrder o) { return readValue<std::uint64_t>(o, "readUnsignedLong"); }
  float readFloat() { return readValue<float>(order_, "readFloat"); }
  float readFloat(ByteOrder o) { return readValue<float>(o, "readFloat"); }
  double readDouble() { return readValue<double>(order_, "readDouble"); }
  double readDouble(ByteOrder o) { return readValue<double>(o, "readDouble"); }

  // Discards n bytes (BufferUnderflowError beyond available()). Inside the
  // head chunk it is three stores; emptying chunks goes out of line.
  void skip(std::size_t n) {
    if (count_ != 0) {
      Chunk& c = head();
      if (n < c.size) [[likely]] {
        c.data += n;
        c.size -= n;
        available_ -= n;
        return;
      }
    }
    skipAcrossChunks(n);
  }
  // Offset of the first match starting at or after `from`, or npos. An empty
  // pattern matches at `from` (when from <= available()).
  std::size_t indexOf(std::uint8_t value, std::size_t from = 0) const noexcept;
  std::size_t indexOf(std::byte value, std::size_t from = 0) const noexcept {
    return indexOf(std::to_integer<std::uint8_t>(value), from);
  }
  std::size_t indexOf(std::span<const std::byte> pattern, std::size_t from = 0) const noexcept;
  std::size_t indexOf(std::string_view pattern, std::size_t from = 0) const noexcept;

  // n bytes as one buffer: zero-copy when they lie in one chunk, else one
  // pooled lease holding them (see StreamBuffer for lifetimes).
  StreamBuffer readBuffer(std::size_t n);
  // Copies the next n bytes to dst at its position (advancing both);
  // BufferOverflowError if dst lacks room, BufferUnderflowError if the
  // stream lacks bytes.
  void readInto(PlatformBuffer& dst, std::size_t n);
  // Decodes the next byteCount bytes (joined if they span chunks).
  std::string readString(std::size_t byteCount, Charset charset = Charset::Utf8,
                         TextPolicy policy = TextPolicy::Lenient);
  // The unconsumed bytes of the first chunk (empty when nothing is held):
  // for writev-style output without copying.
  std::span<const std::byte> front() const noexcept {
    return count_ == 0 ? std::span<const std::byte>{} : std::span<const std::byte>(head().data, head().size);
  }
  // Releases every chunk.
  void clear() noexcept;

  StreamStats stats() const noexcept;

 private:
  struct Chunk {
    PooledBuffer lease;
    std::byte* data = nullptr;  // first unconsumed byte
    std::size_t size = 0;       // unconsumed bytes (> 0 while held)
    bool copyTarget = false;    // made by append(span): its spare capacity may be filled
  };

  const Chunk& head() const noexcept { return ring_[head_]; }
  Chunk& head() noexcept { return ring_[head_]; }
  const Chunk& at(std::size_t i) const noexcept { return ring_[(head_ + i) & (ring_.size() - 1)]; }
  Chunk& at(std::size_t i) noexcept { return ring_[(head_ + i) & (ring_.size() - 1)]; }

  template <class T>
  [[gnu::always_inline]] T peekValue(std::size_t offset, ByteOrder o, const char* op) const {
    if (offset > available_ || available_ - offset < sizeof(T)) [[unlikely]]
      detail::throwStreamUnderflow(op, offset > available_ ? sizeof(T) : offset + sizeof(T), available_);
    if (offset + sizeof(T) <= head().size) [[likely]]
      return detail::loadValue<T>(head().data + offset, o != kNativeByteOrder);
    std::byte tmp[sizeof(T)];
    gather(offset, tmp, sizeof(T));
    return detail::loadValue<T>(tmp, o != kNativeByteOrder);
  }
  template <class T>
  [[gnu::always_inline]] T readValue(ByteOrder o, const char* op) {
    if (available_ < sizeof(T)) [[unlikely]] detail::throwStreamUnderflow(op, sizeof(T), available_);
    Chunk& c = head();
    // Strictly inside: the fast path never empties a chunk.
    if (sizeof(T) < c.size) [[likely]] {
      const T v = detail::loadValue<T>(c.data, o != kNativeByteOrder);
      c.data += sizeof(T);
      c.size -= sizeof(T);
      available_ -= sizeof(T);
      return v;
    }
    std::byte tmp[sizeof(T)];
    gather(0, tmp, sizeof(T));
    consume(sizeof(T));
    return detail::loadValue<T>(tmp, o != kNativeByteOrder);
  }

  // Copies n bytes starting at offset (all available) to out.
  void gather(std::size_t offset, std::byte* out, std::size_t n) const noexcept;
  // Drops n available bytes, releasing emptied chunks.
  void consume(std::size_t n) noexcept;
  void popHead() noexcept;
  void skipAcrossChunks(std::size_t n);
  void pushChunk(Chunk&& c);
  // Matches of a pattern that starts in chunk i and crosses its end.
  bool matchesAt(std::size_t chunk, std::size_t offsetInChunk, std::span<const std::byte> pattern) const noexcept;

  BufferPool* pool_;
  StreamConfig config_;
  ByteOrder order_;
  std::vector<Chunk> ring_;  // power-of-two capacity; grows, never shrinks (no allocation in steady state)
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  std::size_t available_ = 0;
  std::uint64_t chunksAppended_ = 0;
  std::uint64_t chunksReleased_ = 0;
  std::uint64_t bytesCopiedIn_ = 0;
  std::uint64_t bytesAssembled_ = 0;
  std::uint64_t assembledLeases_ = 0;
};

}  // namespace zonebuf
