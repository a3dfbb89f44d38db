// zonebuf error types.
//
// Every zonebuf operation either succeeds or throws one of these, and a failed
// operation changes nothing (position, limit, bytes and allocator state stay as
// they were). Messages say what went wrong and what to do about it.
//
// The errors live in the lowest layer (allocators/) because every layer throws
// them; core/ and pool/ re-export this header.
#pragma once

#include <cstddef>
#include <new>
#include <stdexcept>
#include <string>

namespace zonebuf {

// A read needed more bytes than remain before the limit (or index + size > limit).
class BufferUnderflowError : public std::out_of_range {
 public:
  using std::out_of_range::out_of_range;
};

// A write needed more room than remains before the limit.
class BufferOverflowError : public std::out_of_range {
 public:
  using std::out_of_range::out_of_range;
};

// A bad index, size, position, limit or configuration value.
class InvalidArgumentError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Strict text decoding/encoding met an ill-formed sequence.
class MalformedTextError : public std::runtime_error {
 public:
  MalformedTextError(const std::string& message, std::size_t byteOffset)
      : std::runtime_error(message), byteOffset_(byteOffset) {}
  // Offset of the first ill-formed byte within the input that was being coded.
  std::size_t byteOffset() const noexcept { return byteOffset_; }

 private:
  std::size_t byteOffset_;
};

// An access through a view (slice, readBytes, duplicate, NativeData, a
// StreamBuffer) whose buffer was released: its owning PlatformBuffer was
// destroyed, assigned over or detached, or its pool lease went back to the
// pool. Thrown before any byte is touched; nothing changed. A logic error: the
// fix is in the caller (keep the owner alive while its views are used, or copy
// the bytes). Views of wrap()-ed caller memory are not checked.
class StaleViewError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

// A zone could not supply the memory. Derives from std::bad_alloc so code that
// already handles allocation failure handles this too.
class OutOfMemoryError : public std::bad_alloc {
 public:
  explicit OutOfMemoryError(std::string message) : message_(std::move(message)) {}
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  std::string message_;
};

}  // namespace zonebuf
