// Messages for the buffer's cold error paths. Each says what was attempted,
// the numbers involved, and what to check.
#include <string>

#include "zonebuf/core/platform_buffer.hpp"

namespace zonebuf::detail {

namespace {
std::string cursor(std::size_t position, std::size_t limit) {
  return "(position " + std::to_string(position) + ", limit " + std::to_string(limit) + ")";
}
std::string arrayBytes(std::size_t count, std::size_t elementSize) {
  return std::to_string(count) + " x " + std::to_string(elementSize) + " bytes";
}
}  // namespace

void throwUnderflow(const char* op, std::size_t needed, std::size_t position, std::size_t limit) {
  throw BufferUnderflowError(std::string(op) + " needs " + std::to_string(needed) + " bytes but only " +
                             std::to_string(limit - position) + " remain " + cursor(position, limit) +
                             "; check remaining() before reading");
}

void throwOverflow(const char* op, std::size_t needed, std::size_t position, std::size_t limit) {
  throw BufferOverflowError(std::string(op) + " needs " + std::to_string(needed) + " bytes but only " +
                            std::to_string(limit - position) + " remain " + cursor(position, limit) +
                            "; allocate a larger buffer or check remaining() before writing");
}

void throwArrayUnderflow(const char* op, std::size_t count, std::size_t elementSize, std::size_t position,
                         std::size_t limit) {
  throw BufferUnderflowError(std::string(op) + " needs " + arrayBytes(count, elementSize) + " but only " +
                             std::to_string(limit - position) + " bytes remain " + cursor(position, limit) +
                             "; check remaining() before reading");
}

void throwArrayOverflow(const char* op, std::size_t count, std::size_t elementSize, std::size_t position,
                        std::size_t limit) {
  throw BufferOverflowError(std::string(op) + " needs " + arrayBytes(count, elementSize) + " but only " +
                            std::to_string(limit - position) + " bytes remain " + cursor(position, limit) +
                            "; allocate a larger buffer or check remaining() before writing");
}

void throwBadIndex(const char* op, std::size_t index, std::size_t width, std::size_t limit) {
  throw InvalidArgumentError(std::string(op) + "(index " + std::to_string(index) + ") needs " +
                             std::to_string(width) + " bytes inside the limit " + std::to_string(limit) +
                             "; use an index in [0, limit - " + std::to_string(width) + "]");
}

void throwSelfWrite(const char* op) {
  throw InvalidArgumentError(std::string(op) +
                             ": the source is this buffer itself; to copy bytes within a buffer, write from a "
                             "view of them (slice(i, n) or duplicate()) or use compact()");
}

}  // namespace zonebuf::detail

namespace zonebuf {

// A stale view reaches these through its checked limit of 0 (checkedLimit()).
void PlatformBuffer::readFailed(const char* op, std::size_t width) {
  position_ -= width;
  requireLive(op);
  detail::throwUnderflow(op, width, position_, limit_);
}

void PlatformBuffer::writeFailed(const char* op, std::size_t width) {
  position_ -= width;
  requireLive(op);
  detail::throwOverflow(op, width, position_, limit_);
}

void PlatformBuffer::indexFailed(const char* op, std::size_t index, std::size_t width) const {
  requireLive(op);
  detail::throwBadIndex(op, index, width, limit_);
}

}  // namespace zonebuf
