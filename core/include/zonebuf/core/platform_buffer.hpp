// PlatformBuffer: a byte buffer with java.nio cursor semantics, living in one
// allocation zone.
//
// Invariants (hold after every call, successful or not):
//   0 <= position() <= limit() <= capacity()
//   a call that throws has changed nothing: position, limit and bytes are as
//   they were (sizes are validated before any arithmetic, so nothing wraps on
//   wasm32 where size_t is 32 bits).
// Ownership: a buffer made by allocate() owns its block and gives it back to
// the block's allocator when destroyed (move-only RAII). wrap(), slice() and
// readBytes() make non-owning views; a view of an owned buffer is checked
// (StaleViewError once the owner is released: detail/view_guard.hpp), one of
// wrap()-ed memory is not. Reads and writes are inline, bounds-checked with
// one compare, and
// free of virtual calls; error paths are out of line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zonebuf/allocators/block.hpp"
#include "zonebuf/allocators/zone_router.hpp"
#include "zonebuf/core/buffer_reader.hpp"
#include "zonebuf/core/buffer_writer.hpp"
#include "zonebuf/core/byte_order.hpp"
#include "zonebuf/core/charset.hpp"
#include "zonebuf/core/detail/view_guard.hpp"
#include "zonebuf/errors.hpp"

namespace zonebuf {

namespace detail {
// Cold paths: build the message and throw. `op` is the public method name.
[[noreturn, gnu::cold]] void throwUnderflow(const char* op, std::size_t needed, std::size_t position,
                                            std::size_t limit);
[[noreturn, gnu::cold]] void throwOverflow(const char* op, std::size_t needed, std::size_t position,
                                           std::size_t limit);
// `count` elements of `elementSize` bytes each (the product may not fit size_t).
[[noreturn, gnu::cold]] void throwArrayUnderflow(const char* op, std::size_t count, std::size_t elementSize,
                                                 std::size_t position, std::size_t limit);
[[noreturn, gnu::cold]] void throwArrayOverflow(const char* op, std::size_t count, std::size_t elementSize,
                                                std::size_t position, std::size_t limit);
[[noreturn, gnu::cold]] void throwBadIndex(const char* op, std::size_t index, std::size_t width,
                                           std::size_t limit);
[[noreturn, gnu::cold]] void throwSizeTooLarge(std::size_t size, AllocationZone zone);
[[noreturn, gnu::cold]] void throwSelfWrite(const char* op);
}  // namespace detail

struct NativeData;

class PlatformBuffer {
 public:
  // The largest size any zone accepts; larger requests (including negative
  // numbers converted to size_t) are InvalidArgumentError, never a wrap-around.
  static constexpr std::size_t kMaxSize = static_cast<std::size_t>(PTRDIFF_MAX);

  // Allocates `size` bytes in `zone`. Contents are unspecified (not zeroed).
  // Throws InvalidArgumentError if size > kMaxSize, OutOfMemoryError if the
  // zone cannot supply it.
  // Inline so that a Direct allocate + destroy is the arena's bump and rewind.
  [[gnu::always_inline]] static PlatformBuffer allocate(std::size_t size,
                                                        AllocationZone zone = AllocationZone::Heap,
                                                        ByteOrder order = ByteOrder::BigEndian);
  // A non-owning buffer over caller memory (zone Heap); no copy.
  static PlatformBuffer wrap(std::span<std::byte> bytes, ByteOrder order = ByteOrder::BigEndian) noexcept;

  // Adopts a block (used by allocators and the pool). The buffer releases it.
  static PlatformBuffer adopt(const Block& block, ByteOrder order = ByteOrder::BigEndian) noexcept {
    return PlatformBuffer(block.data, block.size, block.zone, order, block.owner, block.ownerState);
  }

  PlatformBuffer() noexcept = default;  // an empty, non-owning, zero-capacity buffer
  PlatformBuffer(const PlatformBuffer&) = delete;
  PlatformBuffer& operator=(const PlatformBuffer&) = delete;
  PlatformBuffer(PlatformBuffer&& other) noexcept { stealFrom(other); }
  PlatformBuffer& operator=(PlatformBuffer&& other) noexcept;
  [[gnu::always_inline]] ~PlatformBuffer() { releaseOwned(); }

  // ---- cursor ---------------------------------------------------------------
  std::size_t capacity() const noexcept { return capacity_; }
  std::size_t position() const noexcept { return position_; }
  std::size_t limit() const noexcept { return limit_; }
  std::size_t remaining() const noexcept { return limit_ - position_; }
  bool hasRemaining() const noexcept { return position_ < limit_; }
  // Throws InvalidArgumentError if n > limit().
  PlatformBuffer& position(std::size_t n);
  // Throws InvalidArgumentError if n > capacity(); a limit below the position
  // moves the position down to it.
  PlatformBuffer& setLimit(std::size_t n);
  // flip: limit = position, position = 0
  PlatformBuffer& resetForRead() noexcept {
    limit_ = position_;
    position_ = 0;
    return *this;
  }
  // clear: position = 0, limit = capacity
  PlatformBuffer& resetForWrite() noexcept {
    position_ = 0;
    limit_ = capacity_;
    return *this;
  }

  AllocationZone zone() const noexcept { return zone_; }
  ByteOrder byteOrder() const noexcept { return order_; }
  PlatformBuffer& setByteOrder(ByteOrder order) noexcept {
    order_ = order;
    swap_ = order != kNativeByteOrder;
    return *this;
  }
  // A checked view whose owner was released: every access throws
  // StaleViewError; requireLive is that check alone (`op` names the caller).
  [[gnu::always_inline]] bool stale() const noexcept {
    // ownerState_, not guard_: an owner's guard_ (viewGen_ 0) may be being set
    // by a const call on another thread, and the check reads the slot pointer
    // whatever viewGen_ is (detail::viewIsStale says why).
    return kCheckedViews && detail::viewIsStale(ownerState_, viewGen_);
  }
  [[gnu::always_inline]] void requireLive(const char* op) const {
    if (stale()) [[unlikely]] detail::throwStaleView(op);
  }
  // True if this buffer releases its memory when destroyed (false for views).
  bool ownsMemory() const noexcept { return owner_ != BlockOwner::None; }
  // Byte 0 of the buffer (not of the position).
  std::byte* data() noexcept { return data_; }
  const std::byte* data() const noexcept { return data_; }
  // The bytes in [position, limit), without moving anything.
  std::span<const std::byte> remainingBytes() const noexcept { return {data_ + position_, remaining()}; }
  std::span<std::byte> remainingMutableBytes() noexcept { return {data_ + position_, remaining()}; }

  // ---- relative reads (advance position; BufferUnderflowError past limit) ---
  std::int8_t readByte() { return read<std::int8_t>("readByte"); }
  std::uint8_t readUnsignedByte() { return read<std::uint8_t>("readUnsignedByte"); }
  std::int16_t readShort() { return read<std::int16_t>("readShort"); }
  std::uint16_t readUnsignedShort() { return read<std::uint16_t>("readUnsignedShort"); }
  std::int32_t readInt() { return read<std::int32_t>("readInt"); }
  std::uint32_t readUnsignedInt() { return read<std::uint32_t>("readUnsignedInt"); }
  std::int64_t readLong() { return read<std::int64_t>("readLong"); }
  std::uint64_t readUnsignedLong() { return read<std::uint64_t>("readUnsignedLong"); }
  float readFloat() { return read<float>("readFloat"); }
  double readDouble() { return read<double>("readDouble"); }

  // ---- relative writes (advance position; BufferOverflowError past limit) ---
  PlatformBuffer& writeByte(std::int8_t v) { return write(v, "writeByte"); }
  PlatformBuffer& writeUnsignedByte(std::uint8_t v) { return write(v, "writeUnsignedByte"); }
  PlatformBuffer& writeShort(std::int16_t v) { return write(v, "writeShort"); }
  PlatformBuffer& writeUnsignedShort(std::uint16_t v) { return write(v, "writeUnsignedShort"); }
  PlatformBuffer& writeInt(std::int32_t v) { return write(v, "writeInt"); }
  PlatformBuffer& writeUnsignedInt(std::uint32_t v) { return write(v, "writeUnsignedInt"); }
  PlatformBuffer& writeLong(std::int64_t v) { return write(v, "writeLong"); }
  PlatformBuffer& writeUnsignedLong(std::uint64_t v) { return write(v, "writeUnsignedLong"); }
  PlatformBuffer& writeFloat(float v) { return write(v, "writeFloat"); }
  PlatformBuffer& writeDouble(double v) { return write(v, "writeDouble"); }

  // ---- absolute access (index-based; position untouched) --------------------
  // InvalidArgumentError unless index + width <= limit().
  std::int8_t getByte(std::size_t i) const { return get<std::int8_t>(i, "getByte"); }
  std::uint8_t getUnsignedByte(std::size_t i) const { return get<std::uint8_t>(i, "getUnsignedByte"); }
  std::int16_t getShort(std::size_t i) const { return get<std::int16_t>(i, "getShort"); }
  std::uint16_t getUnsignedShort(std::size_t i) const { return get<std::uint16_t>(i, "getUnsignedShort"); }
  std::int32_t getInt(std::size_t i) const { return get<std::int32_t>(i, "getInt"); }
  std::uint32_t getUnsignedInt(std::size_t i) const { return get<std::uint32_t>(i, "getUnsignedInt"); }
  std::int64_t getLong(std::size_t i) const { return get<std::int64_t>(i, "getLong"); }
  std::uint64_t getUnsignedLong(std::size_t i) const { return get<std::uint64_t>(i, "getUnsignedLong"); }
  float getFloat(std::size_t i) const { return get<float>(i, "getFloat"); }
  double getDouble(std::size_t i) const { return get<double>(i, "getDouble"); }

  PlatformBuffer& setByte(std::size_t i, std::int8_t v) { return set(i, v, "setByte"); }
  PlatformBuffer& setUnsignedByte(std::size_t i, std::uint8_t v) { return set(i, v, "setUnsignedByte"); }
  PlatformBuffer& setShort(std::size_t i, std::int16_t v) { return set(i, v, "setShort"); }
  PlatformBuffer& setUnsignedShort(std::size_t i, std::uint16_t v) { return set(i, v, "setUnsignedShort"); }
  PlatformBuffer& setInt(std::size_t i, std::int32_t v) { return set(i, v, "setInt"); }
  PlatformBuffer& setUnsignedInt(std::size_t i, std::uint32_t v) { return set(i, v, "setUnsignedInt"); }
  PlatformBuffer& setLong(std::size_t i, std::int64_t v) { return set(i, v, "setLong"); }
  PlatformBuffer& setUnsignedLong(std::size_t i, std::uint64_t v) { return set(i, v, "setUnsignedLong"); }
  PlatformBuffer& setFloat(std::size_t i, float v) { return set(i, v, "setFloat"); }
  PlatformBuffer& setDouble(std::size_t i, double v) { return set(i, v, "setDouble"); }

  // ---- checked-once cursors (buffer_writer.hpp, buffer_reader.hpp) ----------
  // A window of the next `bytes` bytes, checked here once; the cursor's calls
  // are unchecked in release builds and move this buffer's position when it
  // commits or is destroyed. BufferOverflowError / BufferUnderflowError,
  // nothing changed, unless bytes <= remaining().
  BufferWriter writer(std::size_t bytes);
  BufferReader reader(std::size_t bytes);

  // ---- bulk typed arrays, in this buffer's byte order (one bounds check) ----
  // These, writeBytes and writeString may be given this buffer's own bytes
  // (a span of them, overlapping the destination or not): the result is that
  // of copying the values out first.
  PlatformBuffer& writeShorts(std::span<const std::int16_t> v) { return writeArray(v, "writeShorts"); }
  PlatformBuffer& writeInts(std::span<const std::int32_t> v) { return writeArray(v, "writeInts"); }
  PlatformBuffer& writeLongs(std::span<const std::int64_t> v) { return writeArray(v, "writeLongs"); }
  PlatformBuffer& writeFloats(std::span<const float> v) { return writeArray(v, "writeFloats"); }
  PlatformBuffer& writeDoubles(std::span<const double> v) { return writeArray(v, "writeDoubles"); }
  // Fills all of `out` (out.size() elements).
  PlatformBuffer& readShorts(std::span<std::int16_t> out) { return readArray(out, "readShorts"); }
  PlatformBuffer& readInts(std::span<std::int32_t> out) { return readArray(out, "readInts"); }
  PlatformBuffer& readLongs(std::span<std::int64_t> out) { return readArray(out, "readLongs"); }
  PlatformBuffer& readFloats(std::span<float> out) { return readArray(out, "readFloats"); }
  PlatformBuffer& readDoubles(std::span<double> out) { return readArray(out, "readDoubles"); }

  // ---- bytes ------------------------------------------------------------------
  PlatformBuffer& writeBytes(std::span<const std::byte> bytes) { return writeArray(bytes, "writeBytes"); }
  PlatformBuffer& writeBytes(std::span<const std::uint8_t> bytes) { return writeArray(bytes, "writeBytes"); }
  // Zero-copy: a non-owning view of the next n bytes (same byte order); advances.
  PlatformBuffer readBytes(std::size_t n);
  // Copy of the next n bytes; advances.
  std::vector<std::byte> readByteArray(std::size_t n);
  // Copies src's remaining bytes here, advancing both. BufferOverflowError
  // (nothing moved) if they do not fit; InvalidArgumentError (nothing moved)
  // if src is this very buffer, whose one position cannot advance twice.
  // Overlapping views (a slice of this buffer) are handled: memmove costs
  // the same as memcpy here, and in WASM both are memory.copy.
  PlatformBuffer& write(PlatformBuffer& src);

  // Zero-copy view of [position, limit): capacity = remaining(), same order and
  // zone, non-owning.
  PlatformBuffer slice() const noexcept;
  // Copy of the remaining bytes; position untouched.
  std::vector<std::byte> toByteArray() const;
  // Zero-copy views of [position, limit) as linear memory (native_data.hpp);
  // position and limit stay put. Any zone: in WebAssembly the Heap lives in
  // linear memory too, natively everything shares one address space.
  NativeData toNativeData() const;
  NativeData toMutableNativeData();

  // ---- text -------------------------------------------------------------------
  // Encodes UTF-8 text into `charset`; returns the bytes written. Rejected
  // before any byte is written if it does not fit (BufferOverflowError) or, in
  // Strict mode, if the input is ill-formed (MalformedTextError).
  std::size_t writeString(std::string_view utf8, Charset charset = Charset::Utf8,
                          TextPolicy policy = TextPolicy::Lenient);
  // Decodes the next byteCount bytes from `charset` into UTF-8; advances.
  std::string readString(std::size_t byteCount, Charset charset = Charset::Utf8,
                         TextPolicy policy = TextPolicy::Lenient);

 protected:
  // The per-op accessors behind every typed call; definitions and the shape
  // they compile to: detail/platform_buffer_inline.hpp.
  template <class T>
  ZONEBUF_ALWAYS_INLINE T read(const char* op);
  // read()'s store of position_ and load of the value, in one __restrict scope
  // (detail/platform_buffer_inline.hpp says why).
  template <class T>
  ZONEBUF_ALWAYS_INLINE T advanceAndLoad(const std::byte* __restrict at, std::size_t next, std::size_t lim, bool swap,
                                         const char* op);
  template <class T>
  ZONEBUF_ALWAYS_INLINE PlatformBuffer& write(T v, const char* op);
  template <class T>
  ZONEBUF_ALWAYS_INLINE T get(std::size_t i, const char* op) const;
  template <class T>
  ZONEBUF_ALWAYS_INLINE PlatformBuffer& set(std::size_t i, T v, const char* op);
  template <class T>
  PlatformBuffer& writeArray(std::span<const T> values, const char* op);
  template <class T>
  PlatformBuffer& readArray(std::span<T> out, const char* op);
  // writeArray/readArray when the values lie in the bytes they are copied to.
  template <class T>
  PlatformBuffer& writeArrayFromCopy(std::span<const T> values, const char* op);
  template <class T>
  PlatformBuffer& readArrayThroughCopy(std::span<T> out, const char* op);

  PlatformBuffer(std::byte* data, std::size_t capacity, AllocationZone zone, ByteOrder order, BlockOwner owner,
                 void* ownerState) noexcept;

  // Cold paths of read()/write(): put position_ back (it was advanced by
  // `width` before the check) and throw (StaleViewError if stale). Members, so the hot path needs no
  // register for the old position.
  [[noreturn]] ZONEBUF_COLD void readFailed(const char* op, std::size_t width);
  [[noreturn]] ZONEBUF_COLD void writeFailed(const char* op, std::size_t width);

  // A view's block has no owner and no owner state (its ownerState_ is a slot).
  Block ownedBlock() const noexcept {
    return Block{data_, capacity_, zone_, owner_, owner_ != BlockOwner::None ? ownerState_ : nullptr};
  }
  // Gives up ownership without releasing (the caller took the block).
  Block detachBlock() noexcept;

 private:
  [[gnu::always_inline]] void releaseOwned() noexcept;
  void stealFrom(PlatformBuffer& other) noexcept;
  // A non-owning view of [p, p + n) in this buffer's zone and order, checked
  // as this buffer's views are (platform_buffer_views.cpp).
  PlatformBuffer viewAt(const std::byte* p, std::size_t n) const noexcept;
  [[gnu::always_inline]] void retireGuard() noexcept;  // an owner's release: its views go stale
  [[noreturn]] ZONEBUF_COLD void indexFailed(const char* op, std::size_t index, std::size_t width) const;
  // The per-op accessors' limit: 0 if stale, so one compare checks both
  // (the cold paths tell which), hoisted out of a caller's loop. limit_ is
  // loaded on both paths, or the loop reloads it.
  [[gnu::always_inline]] std::size_t checkedLimit() const noexcept {
    const std::size_t lim = limit_;
    return stale() ? 0 : lim;
  }

  std::byte* data_ = nullptr;
  std::size_t capacity_ = 0;
  std::size_t position_ = 0;
  std::size_t limit_ = 0;
  // An owner: its block owner's state (Block::ownerState). A checked view:
  // its owner's slot (detail::ViewSlot), set once when it is made. Else null.
  void* ownerState_ = nullptr;
  AllocationZone zone_ = AllocationZone::Heap;
  ByteOrder order_ = ByteOrder::BigEndian;
  BlockOwner owner_ = BlockOwner::None;
  bool swap_ = kNativeByteOrder != ByteOrder::BigEndian;
  // Checked views (detail/view_guard.hpp). An owner: its slot once it made a
  // view (set lazily by const calls, atomically), viewGen_ 0. A checked view:
  // nullptr and the generation it was made at (its slot is in ownerState_).
  // Anything else: nullptr, 0.
  mutable detail::ViewSlot* guard_ = nullptr;
  ViewGeneration viewGen_{};

  friend class BufferAccess;  // lets allocators/pool reach the owned block

  // --- Search, compare and parsing conveniences (core/src/buffer_search.cpp, buffer_cursor_ext.cpp,
  // buffer_numbers.cpp, buffer_varint.cpp, buffer_text_ext.cpp; docs/stream.md) ---
  // They work on [position, limit) through the public cursor only, and a call
  // that throws has changed nothing (position, limit, bytes).
 public:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  // Search (vectorised): the absolute index (for getX(i)) of the first match
  // starting in [position, limit), or npos. An empty pattern matches at position().
  std::size_t indexOf(std::uint8_t value) const;
  std::size_t indexOf(std::byte value) const { return indexOf(std::to_integer<std::uint8_t>(value)); }
  std::size_t indexOf(std::span<const std::byte> pattern) const;
  std::size_t indexOf(std::string_view pattern) const;
  // Compare this buffer's remaining bytes with other's (vectorised).
  // mismatch: offset from position() of the first differing byte; when one is
  // a prefix of the other, the shorter length; npos when equal (java.nio).
  std::size_t mismatch(const PlatformBuffer& other) const;
  bool contentEquals(const PlatformBuffer& other) const;
  // Unsigned lexicographic order; a proper prefix is smaller. <0, 0 or >0.
  int compareTo(const PlatformBuffer& other) const;
  // XXH64 (seed 0) of the remaining bytes: stable across builds and hosts.
  std::uint64_t hash() const;

  // Advances by n; BufferUnderflowError past the limit.
  PlatformBuffer& skip(std::size_t n);
  // A saved position: reset(m) returns to it. A token, not buffer state, so
  // it survives moves and flips; reset() checks it is still <= limit().
  struct Mark {
    std::size_t position;
  };
  Mark mark() const noexcept { return Mark{position()}; }
  PlatformBuffer& reset(Mark m);  // InvalidArgumentError if m.position > limit()
  // java.nio compact: moves [position, limit) to 0, then position =
  // remaining, limit = capacity.
  PlatformBuffer& compact();
  // An independent cursor (same position, limit, order, zone) over the same
  // bytes; non-owning, like slice().
  PlatformBuffer duplicate() const noexcept;
  // Non-owning view of [index, index + length); InvalidArgumentError unless
  // index + length <= limit().
  PlatformBuffer slice(std::size_t index, std::size_t length) const;
  // Both act on [position, limit) and leave position untouched.
  PlatformBuffer& fill(std::uint8_t value);
  // WebSocket masking (RFC 6455 5.3): remaining byte j ^= key byte
  // (offset + j) % 4, key bytes in wire order (key >> 24 first). `offset`
  // continues a payload masked in pieces.
  PlatformBuffer& xorMask(std::uint32_t key, std::size_t offset = 0);

  // Per-call byte order (the buffer's own order is untouched).
  std::int16_t readShort(ByteOrder o) { return readOrdered<std::int16_t>(o, "readShort"); }
  std::uint16_t readUnsignedShort(ByteOrder o) { return readOrdered<std::uint16_t>(o, "readUnsignedShort"); }
  std::int32_t readInt(ByteOrder o) { return readOrdered<std::int32_t>(o, "readInt"); }
  std::uint32_t readUnsignedInt(ByteOrder o) { return readOrdered<std::uint32_t>(o, "readUnsignedInt"); }
  std::int64_t readLong(ByteOrder o) { return readOrdered<std::int64_t>(o, "readLong"); }
  std::uint64_t readUnsignedLong(ByteOrder o) { return readOrdered<std::uint64_t>(o, "readUnsignedLong"); }
  float readFloat(ByteOrder o) { return readOrdered<float>(o, "readFloat"); }
  double readDouble(ByteOrder o) { return readOrdered<double>(o, "readDouble"); }
  std::int16_t getShort(std::size_t i, ByteOrder o) const { return getOrdered<std::int16_t>(i, o, "getShort"); }
  std::uint16_t getUnsignedShort(std::size_t i, ByteOrder o) const { return getOrdered<std::uint16_t>(i, o, "getUnsignedShort"); }
  std::int32_t getInt(std::size_t i, ByteOrder o) const { return getOrdered<std::int32_t>(i, o, "getInt"); }
  std::uint32_t getUnsignedInt(std::size_t i, ByteOrder o) const { return getOrdered<std::uint32_t>(i, o, "getUnsignedInt"); }
  std::int64_t getLong(std::size_t i, ByteOrder o) const { return getOrdered<std::int64_t>(i, o, "getLong"); }
  std::uint64_t getUnsignedLong(std::size_t i, ByteOrder o) const { return getOrdered<std::uint64_t>(i, o, "getUnsignedLong"); }
  float getFloat(std::size_t i, ByteOrder o) const { return getOrdered<float>(i, o, "getFloat"); }
  double getDouble(std::size_t i, ByteOrder o) const { return getOrdered<double>(i, o, "getDouble"); }
  PlatformBuffer& writeShort(std::int16_t v, ByteOrder o) { return writeOrdered(v, o, "writeShort"); }
  PlatformBuffer& writeUnsignedShort(std::uint16_t v, ByteOrder o) { return writeOrdered(v, o, "writeUnsignedShort"); }
  PlatformBuffer& writeInt(std::int32_t v, ByteOrder o) { return writeOrdered(v, o, "writeInt"); }
  PlatformBuffer& writeUnsignedInt(std::uint32_t v, ByteOrder o) { return writeOrdered(v, o, "writeUnsignedInt"); }
  PlatformBuffer& writeLong(std::int64_t v, ByteOrder o) { return writeOrdered(v, o, "writeLong"); }
  PlatformBuffer& writeUnsignedLong(std::uint64_t v, ByteOrder o) { return writeOrdered(v, o, "writeUnsignedLong"); }
  PlatformBuffer& writeFloat(float v, ByteOrder o) { return writeOrdered(v, o, "writeFloat"); }
  PlatformBuffer& writeDouble(double v, ByteOrder o) { return writeOrdered(v, o, "writeDouble"); }
  PlatformBuffer& setShort(std::size_t i, std::int16_t v, ByteOrder o) { return setOrdered(i, v, o, "setShort"); }
  PlatformBuffer& setUnsignedShort(std::size_t i, std::uint16_t v, ByteOrder o) { return setOrdered(i, v, o, "setUnsignedShort"); }
  PlatformBuffer& setInt(std::size_t i, std::int32_t v, ByteOrder o) { return setOrdered(i, v, o, "setInt"); }
  PlatformBuffer& setUnsignedInt(std::size_t i, std::uint32_t v, ByteOrder o) { return setOrdered(i, v, o, "setUnsignedInt"); }
  PlatformBuffer& setLong(std::size_t i, std::int64_t v, ByteOrder o) { return setOrdered(i, v, o, "setLong"); }
  PlatformBuffer& setUnsignedLong(std::size_t i, std::uint64_t v, ByteOrder o) { return setOrdered(i, v, o, "setUnsignedLong"); }
  PlatformBuffer& setFloat(std::size_t i, float v, ByteOrder o) { return setOrdered(i, v, o, "setFloat"); }
  PlatformBuffer& setDouble(std::size_t i, double v, ByteOrder o) { return setOrdered(i, v, o, "setDouble"); }

  // 24-bit and n-byte (1..8) integers; InvalidArgumentError for a byteCount
  // outside 1..8 or a value that does not fit, BufferUnderflowError /
  // BufferOverflowError past the limit.
  std::int32_t readMedium() { return static_cast<std::int32_t>(readSignedNumber(3)); }
  std::uint32_t readUnsignedMedium() { return static_cast<std::uint32_t>(readUnsignedNumber(3)); }
  PlatformBuffer& writeMedium(std::int32_t v) { return writeSignedNumber(v, 3); }
  PlatformBuffer& writeUnsignedMedium(std::uint32_t v) { return writeUnsignedNumber(v, 3); }
  std::uint64_t readUnsignedNumber(std::size_t byteCount) { return readUnsignedNumber(byteCount, byteOrder()); }
  std::uint64_t readUnsignedNumber(std::size_t byteCount, ByteOrder order);
  std::int64_t readSignedNumber(std::size_t byteCount) { return readSignedNumber(byteCount, byteOrder()); }
  std::int64_t readSignedNumber(std::size_t byteCount, ByteOrder order);
  PlatformBuffer& writeUnsignedNumber(std::uint64_t v, std::size_t byteCount) {
    return writeUnsignedNumber(v, byteCount, byteOrder());
  }
  PlatformBuffer& writeUnsignedNumber(std::uint64_t v, std::size_t byteCount, ByteOrder order);
  PlatformBuffer& writeSignedNumber(std::int64_t v, std::size_t byteCount) {
    return writeSignedNumber(v, byteCount, byteOrder());
  }
  PlatformBuffer& writeSignedNumber(std::int64_t v, std::size_t byteCount, ByteOrder order);

  // Varints. LEB128 (protobuf): at most 10 bytes; a truncated one is
  // BufferUnderflowError, an 11th byte or bits beyond 64 InvalidArgumentError.
  // Zigzag maps 0, -1, 1, -2 ... to 0, 1, 2, 3 ...
  std::uint64_t readVarUInt();
  std::int64_t readVarInt();
  PlatformBuffer& writeVarUInt(std::uint64_t v);
  PlatformBuffer& writeVarInt(std::int64_t v);
  static std::size_t varUIntSize(std::uint64_t v) noexcept;
  // MQTT 5 Variable Byte Integer (1.5.5): 1..4 bytes, at most 268,435,455.
  // A fifth byte is always InvalidArgumentError; a non-minimal encoding is
  // one under Strict only.
  static constexpr std::uint32_t kMaxVariableByteInteger = 268'435'455;
  std::uint32_t readVariableByteInteger(TextPolicy policy = TextPolicy::Strict);
  PlatformBuffer& writeVariableByteInteger(std::uint32_t v);  // InvalidArgumentError above the max
  static std::size_t variableByteIntegerSize(std::uint32_t v);  // InvalidArgumentError above the max

  // Text. readLine: the next line without its LF or CRLF, decoded from UTF-8;
  // false (nothing consumed) when no LF remains.
  bool readLine(std::string& line, TextPolicy policy = TextPolicy::Lenient);
  // u16 big-endian byte length, then that many UTF-8 bytes (MQTT 1.5.4),
  // whatever the buffer's order. write returns the bytes written (2 + text);
  // InvalidArgumentError above 65,535 text bytes.
  std::string readLengthPrefixedString(TextPolicy policy = TextPolicy::Lenient);
  std::size_t writeLengthPrefixedString(std::string_view utf8, TextPolicy policy = TextPolicy::Lenient);
  // Diagnostics: "00000010  48 65 ...  |He...|" lines for the remaining bytes
  // (offsets are absolute indices), at most maxBytes of them.
  std::string hexDump(std::size_t maxBytes = 4096) const;

 private:
  // Per-call byte order; definitions in detail/platform_buffer_inline.hpp.
  template <class T>
  T readOrdered(ByteOrder o, const char* op);
  template <class T>
  T getOrdered(std::size_t i, ByteOrder o, const char* op) const;
  template <class T>
  PlatformBuffer& writeOrdered(T v, ByteOrder o, const char* op);
  template <class T>
  PlatformBuffer& setOrdered(std::size_t i, T v, ByteOrder o, const char* op);
  // --- end of search, compare and parsing conveniences ---
};


}  // namespace zonebuf

// The inline member definitions: one include gives every caller the hot paths.
#include "zonebuf/core/detail/platform_buffer_inline.hpp"
// BufferAccess: the block and view hooks of the layers that manage memory.
#include "zonebuf/core/detail/buffer_access.hpp"
