#include "zonebuf/core/linear_buffer.hpp"

#include <string>

namespace zonebuf {

namespace {
void requireLinearZone(AllocationZone zone, const char* op) {
  if (zone == AllocationZone::Heap) [[unlikely]] {
    throw InvalidArgumentError(std::string(op) +
                               ": a Heap buffer is not a LinearBuffer; allocate it with AllocationZone::Direct or "
                               "AllocationZone::SharedMemory, or use toNativeData() for a zero-copy view of any "
                               "buffer");
  }
}
}  // namespace

LinearBuffer LinearBuffer::allocate(std::size_t size, AllocationZone zone, ByteOrder order) {
  requireLinearZone(zone, "LinearBuffer::allocate");
  return LinearBuffer(PlatformBuffer::allocate(size, zone, order));
}

LinearBuffer LinearBuffer::from(PlatformBuffer&& buffer) {
  requireLinearZone(buffer.zone(), "LinearBuffer::from");
  return LinearBuffer(std::move(buffer));
}

LinearBuffer LinearBuffer::viewOf(PlatformBuffer& buffer) {
  requireLinearZone(buffer.zone(), "LinearBuffer::viewOf");
  return LinearBuffer(buffer.duplicate());  // checked like every view of an owned buffer
}

LinearBuffer LinearBuffer::viewOfRemaining(const PlatformBuffer& buffer) noexcept {
  return LinearBuffer(buffer.slice());
}

}  // namespace zonebuf
