// The inline definitions of PlatformBuffer's members: the per-op
// read/write/get/set templates behind every typed accessor, the bulk array
// copies, buffer-to-buffer write, the checked-once cursor factories, the
// per-call byte-order templates, and construction, allocate(), move and
// block hand-over.
//
// Invariants (PlatformBuffer's, platform_buffer.hpp): 0 <= position <= limit
// <= capacity after every call, and a call that throws has changed nothing.
// Everything here stays visible to every includer of platform_buffer.hpp
// (which includes this file at its end) and the per-op templates stay
// always_inline, so a caller's loop compiles to one compare and one load or
// store per value. Include platform_buffer.hpp, not this file.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "zonebuf/core/platform_buffer.hpp"

namespace zonebuf {

ZONEBUF_ALWAYS_INLINE PlatformBuffer PlatformBuffer::allocate(std::size_t size, AllocationZone zone, ByteOrder order) {
  if (size > kMaxSize) [[unlikely]] detail::throwSizeTooLarge(size, zone);
  return adopt(allocateBlock(size, zone), order);
}

inline PlatformBuffer::PlatformBuffer(std::byte* data, std::size_t capacity, AllocationZone zone, ByteOrder order,
                                      BlockOwner owner, void* ownerState) noexcept
    : data_(data),
      capacity_(capacity),
      limit_(capacity),
      ownerState_(ownerState),
      zone_(zone),
      order_(order),
      owner_(owner),
      swap_(order != kNativeByteOrder) {}

inline PlatformBuffer& PlatformBuffer::operator=(PlatformBuffer&& other) noexcept {
  if (this != &other) {
    releaseOwned();
    stealFrom(other);
  }
  return *this;
}

// Inline, the slot passed on by value: an out-of-line member here, on the
// cold path of every destructor, took the buffer's address, so every
// PlatformBuffer that is destroyed lived in memory — allocate() + destroy
// stored the whole object to the stack and read it back.
ZONEBUF_ALWAYS_INLINE void PlatformBuffer::retireGuard() noexcept {
  ZONEBUF_ASSERT(viewGen_ == ViewGeneration{}, "only an owner retires its view slot");
  detail::retireViewSlot(guard_);
  guard_ = nullptr;
}

ZONEBUF_ALWAYS_INLINE void PlatformBuffer::releaseOwned() noexcept {
  if (owner_ != BlockOwner::None) {
    if (guard_ != nullptr) [[unlikely]] retireGuard();  // before the block can be reused
    releaseBlock(ownedBlock());
  }
}

inline void PlatformBuffer::stealFrom(PlatformBuffer& other) noexcept {
  data_ = other.data_;
  capacity_ = other.capacity_;
  position_ = other.position_;
  limit_ = other.limit_;
  ownerState_ = other.ownerState_;
  zone_ = other.zone_;
  order_ = other.order_;
  owner_ = other.owner_;
  swap_ = other.swap_;
  guard_ = other.guard_;  // an owner's slot moves with it: its views stay valid
  viewGen_ = other.viewGen_;
  other.guard_ = nullptr;
  other.viewGen_ = ViewGeneration{};
  other.data_ = nullptr;
  other.capacity_ = other.position_ = other.limit_ = 0;
  other.owner_ = BlockOwner::None;
  other.ownerState_ = nullptr;
}

inline Block PlatformBuffer::detachBlock() noexcept {
  Block b = ownedBlock();
  if (owner_ == BlockOwner::None) return b;  // a view keeps its slot (ownerState_)
  if (guard_ != nullptr) retireGuard();  // the caller may free the block
  owner_ = BlockOwner::None;
  ownerState_ = nullptr;
  return b;
}

// ---- per-op accessors ---------------------------------------------------------
// The per-op shape (docs/benchmarks.md shows what it compiles to): every
// field is read into a local before the check, so a caller's loop keeps
// them all in registers, and the value goes through detail::storeValue /
// loadValue, which cannot alias them. position_ is stored before the check
// and put back on the cold path: it is then stored on every path out of the
// call, which lets the optimiser sink the store out of a caller's loop (once
// at the loop's exits) instead of storing it per value. A failed call still
// changes nothing.
// Reads: under clang the value is loaded as a character type (memcpy; see
// byte_order.hpp for why not typed), which may alias position_, so the
// position_ store could not move past the next value's load and a caller's
// read loop stored it once per value. advanceAndLoad takes the value's
// address as __restrict, with the position_ store and the load inside it:
// the inliner turns that into alias scopes by which the load cannot read
// position_, and the store leaves the loop (in WebAssembly: once after it).
// The bytes of a buffer never overlap the buffer object (byte_order.hpp).
template <class T>
ZONEBUF_ALWAYS_INLINE T PlatformBuffer::read(const char* op) {
  const std::size_t p = position_;
  const std::size_t lim = checkedLimit();
  const std::byte* const d = data_;
  const bool swap = swap_;
  const std::size_t next = p + sizeof(T);  // p <= limit <= kMaxSize: cannot wrap
  return advanceAndLoad<T>(d + p, next, lim, swap, op);
}

template <class T>
ZONEBUF_ALWAYS_INLINE T PlatformBuffer::advanceAndLoad(const std::byte* __restrict at, std::size_t next,
                                                       std::size_t lim, bool swap, const char* op) {
  position_ = next;
  if (next > lim) [[unlikely]] readFailed(op, sizeof(T));
  return detail::loadValue<T>(at, swap);
}

template <class T>
ZONEBUF_ALWAYS_INLINE PlatformBuffer& PlatformBuffer::write(T v, const char* op) {
  const std::size_t p = position_;
  const std::size_t lim = checkedLimit();
  std::byte* const d = data_;
  const bool swap = swap_;
  const std::size_t next = p + sizeof(T);  // p <= limit <= kMaxSize: cannot wrap
  position_ = next;
  if (next > lim) [[unlikely]] writeFailed(op, sizeof(T));
  detail::storeValue<T>(d + p, v, swap);
  // Again, last: g++ keeps the program order of the stores it sinks, so a
  // value stored after the last position_ store would be stored a second
  // time at the loop's exit (and its address kept live in the loop).
  position_ = next;
  return *this;
}

template <class T>
ZONEBUF_ALWAYS_INLINE T PlatformBuffer::get(std::size_t i, const char* op) const {
  // data_ and swap_ before the view check: loaded after its branch, they
  // were not loop-invariant when g++ unswitches, so the byte-order test
  // stayed inside a caller's setInt/getInt loop (abs_op 0.58x the raw loop).
  const std::byte* const d = data_;
  const bool swap = swap_;
  const std::size_t lim = checkedLimit();
  // The first test is loop-invariant in a caller's loop; the second cannot wrap.
  if (lim < sizeof(T) || i > lim - sizeof(T)) [[unlikely]] indexFailed(op, i, sizeof(T));
  return detail::loadValue<T>(d + i, swap);
}

template <class T>
ZONEBUF_ALWAYS_INLINE PlatformBuffer& PlatformBuffer::set(std::size_t i, T v, const char* op) {
  std::byte* const d = data_;  // before the view check, as in get()
  const bool swap = swap_;
  const std::size_t lim = checkedLimit();
  // The first test is loop-invariant in a caller's loop; the second cannot wrap.
  if (lim < sizeof(T) || i > lim - sizeof(T)) [[unlikely]] indexFailed(op, i, sizeof(T));
  detail::storeValue<T>(d + i, v, swap);
  return *this;
}

// ---- bulk: one bounds check, then a copy (swapped if the orders differ) -------
// The copies assume that source and destination are apart (memcpy, and the
// swap loop's 16-byte steps). Values that lie in the bytes they are copied to
// — a span of this very buffer, as when compacting it — are copied out first,
// on a cold path, so the call still does what it would on a copy.
namespace detail {
[[gnu::always_inline]] inline bool bytesOverlap(const void* a, std::size_t aSize, const void* b,
                                                std::size_t bSize) noexcept {
  // As integers: the ranges may lie in unrelated objects.
  const auto x = reinterpret_cast<std::uintptr_t>(a);
  const auto y = reinterpret_cast<std::uintptr_t>(b);
  return x < y + bSize && y < x + aSize;
}
}  // namespace detail

template <class T>
inline PlatformBuffer& PlatformBuffer::writeArray(std::span<const T> values, const char* op) {
  requireLive(op);
  const std::size_t n = values.size();
  const std::size_t p = position_;
  if (n > (limit_ - p) / sizeof(T)) [[unlikely]]
    detail::throwArrayOverflow(op, n, sizeof(T), p, limit_);
  std::byte* dst = data_ + p;
  if (detail::bytesOverlap(dst, n * sizeof(T), values.data(), n * sizeof(T))) [[unlikely]] {
    return writeArrayFromCopy(values, op);
  }
  if (sizeof(T) == 1 || !swap_) {
    detail::copyBytes(dst, values.data(), n * sizeof(T));
  } else {
    detail::copySwapped<sizeof(T)>(dst, reinterpret_cast<const std::byte*>(values.data()), n);
  }
  position_ = p + n * sizeof(T);
  return *this;
}

template <class T>
inline PlatformBuffer& PlatformBuffer::readArray(std::span<T> out, const char* op) {
  requireLive(op);
  const std::size_t n = out.size();
  const std::size_t p = position_;
  if (n > (limit_ - p) / sizeof(T)) [[unlikely]]
    detail::throwArrayUnderflow(op, n, sizeof(T), p, limit_);
  const std::byte* src = data_ + p;
  if (detail::bytesOverlap(src, n * sizeof(T), out.data(), n * sizeof(T))) [[unlikely]] {
    return readArrayThroughCopy(out, op);
  }
  if (sizeof(T) == 1 || !swap_) {
    detail::copyBytes(out.data(), src, n * sizeof(T));
  } else {
    detail::copySwapped<sizeof(T)>(reinterpret_cast<std::byte*>(out.data()), src, n);
  }
  position_ = p + n * sizeof(T);
  return *this;
}

template <class T>
[[gnu::cold, gnu::noinline]] PlatformBuffer& PlatformBuffer::writeArrayFromCopy(std::span<const T> values,
                                                                                const char* op) {
  const std::vector<T> copy(values.begin(), values.end());
  return writeArray(std::span<const T>(copy), op);
}

template <class T>
[[gnu::cold, gnu::noinline]] PlatformBuffer& PlatformBuffer::readArrayThroughCopy(std::span<T> out, const char* op) {
  std::vector<T> copy(out.size());
  readArray(std::span<T>(copy), op);
  std::copy(copy.begin(), copy.end(), out.begin());
  return *this;
}

inline PlatformBuffer& PlatformBuffer::write(PlatformBuffer& src) {
  requireLive("write(PlatformBuffer&)");
  src.requireLive("write(PlatformBuffer&) (its source)");
  if (&src == this) [[unlikely]] detail::throwSelfWrite("write(PlatformBuffer&)");
  const std::size_t n = src.remaining();
  const std::size_t p = position_;
  if (n > limit_ - p) [[unlikely]] detail::throwOverflow("write(PlatformBuffer&)", n, p, limit_);
  // An empty default-constructed buffer has null data_, and memmove's
  // pointers must be valid even for zero bytes.
  if (n != 0) std::memmove(data_ + p, src.data_ + src.position_, n);
  position_ = p + n;
  src.position_ += n;
  return *this;
}

// ---- checked-once cursors -------------------------------------------------------
inline BufferWriter PlatformBuffer::writer(std::size_t bytes) {
  requireLive("writer");  // checked once, as the bounds are: the cursor itself is not
  const std::size_t p = position_;
  if (bytes > limit_ - p) [[unlikely]] detail::throwOverflow("writer", bytes, p, limit_);
  return BufferWriter(data_, p, bytes, &position_, swap_);
}

inline BufferReader PlatformBuffer::reader(std::size_t bytes) {
  requireLive("reader");  // checked once, as the bounds are: the cursor itself is not
  const std::size_t p = position_;
  if (bytes > limit_ - p) [[unlikely]] detail::throwUnderflow("reader", bytes, p, limit_);
  return BufferReader(data_, p, bytes, &position_, swap_);
}

// ---- per-call byte order (through the public cursor only) ---------------------
template <class T>
inline T PlatformBuffer::readOrdered(ByteOrder o, const char* op) {
  requireLive(op);
  const std::size_t p = position();
  if (limit() - p < sizeof(T)) [[unlikely]] detail::throwUnderflow(op, sizeof(T), p, limit());
  const T v = detail::loadValue<T>(data() + p, o != kNativeByteOrder);
  position(p + sizeof(T));
  return v;
}

template <class T>
inline T PlatformBuffer::getOrdered(std::size_t i, ByteOrder o, const char* op) const {
  requireLive(op);
  if (i > limit() || limit() - i < sizeof(T)) [[unlikely]] detail::throwBadIndex(op, i, sizeof(T), limit());
  return detail::loadValue<T>(data() + i, o != kNativeByteOrder);
}

template <class T>
inline PlatformBuffer& PlatformBuffer::writeOrdered(T v, ByteOrder o, const char* op) {
  requireLive(op);
  const std::size_t p = position();
  if (limit() - p < sizeof(T)) [[unlikely]] detail::throwOverflow(op, sizeof(T), p, limit());
  detail::storeValue<T>(data() + p, v, o != kNativeByteOrder);
  return position(p + sizeof(T));
}

template <class T>
inline PlatformBuffer& PlatformBuffer::setOrdered(std::size_t i, T v, ByteOrder o, const char* op) {
  requireLive(op);
  if (i > limit() || limit() - i < sizeof(T)) [[unlikely]] detail::throwBadIndex(op, i, sizeof(T), limit());
  detail::storeValue<T>(data() + i, v, o != kNativeByteOrder);
  return *this;
}

}  // namespace zonebuf
