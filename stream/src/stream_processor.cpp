// StreamProcessor: the chunk ring, appends, consumption and joins.
#include "zonebuf/stream/stream_processor.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

#include "zonebuf/core/text_codec.hpp"

namespace zonebuf {

namespace detail {
void throwStreamUnderflow(const char* op, std::size_t needed, std::size_t available) {
  throw BufferUnderflowError("StreamProcessor::" + std::string(op) + " needs " + std::to_string(needed) +
                             " bytes but only " + std::to_string(available) +
                             " are available; append more input or check available() first");
}
}  // namespace detail

StreamProcessor::StreamProcessor(BufferPool& pool, StreamConfig config)
    : pool_(&pool), config_(config), order_(config.order) {
  if (config_.copyChunkSize == 0) {
    throw InvalidArgumentError("StreamConfig::copyChunkSize is 0; use a positive lease size such as 16384");
  }
}

StreamProcessor::StreamProcessor(StreamProcessor&& other) noexcept
    : pool_(other.pool_),
      config_(other.config_),
      order_(other.order_),
      ring_(std::move(other.ring_)),
      head_(std::exchange(other.head_, 0)),
      count_(std::exchange(other.count_, 0)),
      available_(std::exchange(other.available_, 0)),
      chunksAppended_(other.chunksAppended_),
      chunksReleased_(other.chunksReleased_),
      bytesCopiedIn_(other.bytesCopiedIn_),
      bytesAssembled_(other.bytesAssembled_),
      assembledLeases_(other.assembledLeases_) {
  other.ring_.clear();
}

void StreamProcessor::pushChunk(Chunk&& c) {
  if (count_ == ring_.size()) {
    // Grow to the next power of two, unrolling the ring in order.
    std::vector<Chunk> bigger(std::max<std::size_t>(8, ring_.size() * 2));
    for (std::size_t i = 0; i < count_; ++i) bigger[i] = std::move(at(i));
    ring_ = std::move(bigger);
    head_ = 0;
  }
  at(count_) = std::move(c);
  ++count_;
  available_ += at(count_ - 1).size;
  ++chunksAppended_;
}

void StreamProcessor::append(PooledBuffer&& lease) {
  if (!lease.active()) {
    throw InvalidArgumentError("StreamProcessor::append(PooledBuffer&&) got an empty lease (released or moved from)");
  }
  PlatformBuffer& b = lease.buffer();
  const std::size_t n = b.remaining();
  if (n == 0) {
    lease.release();
    return;
  }
  Chunk c;
  c.data = b.data() + b.position();
  c.size = n;
  c.lease = std::move(lease);
  pushChunk(std::move(c));
}

void StreamProcessor::append(std::span<const std::byte> bytes) {
  // Fill the spare room of the last chunk this method made, then new leases.
  const std::size_t countBefore = count_;
  const std::size_t availableBefore = available_;
  const std::uint64_t appendedBefore = chunksAppended_;
  std::size_t lastSizeBefore = 0;
  std::size_t done = 0;
  if (count_ != 0 && at(count_ - 1).copyTarget) {
    Chunk& last = at(count_ - 1);
    PlatformBuffer& b = last.lease.buffer();
    lastSizeBefore = last.size;
    const auto room = static_cast<std::size_t>(b.data() + b.capacity() - (last.data + last.size));
    done = std::min(room, bytes.size());
    if (done != 0) std::memcpy(last.data + last.size, bytes.data(), done);
    last.size += done;
    available_ += done;
  }
  try {
    while (done < bytes.size()) {
      PooledBuffer lease = pool_->acquire(config_.copyChunkSize, config_.zone);
      PlatformBuffer& b = lease.buffer();
      const std::size_t n = std::min(b.capacity(), bytes.size() - done);
      std::memcpy(b.data(), bytes.data() + done, n);
      done += n;
      Chunk c;
      c.data = b.data();
      c.size = n;
      c.copyTarget = true;
      c.lease = std::move(lease);
      pushChunk(std::move(c));
    }
  } catch (...) {
    // The pool (or the ring) ran out: undo, so the stream is as it was.
    while (count_ > countBefore) {
      at(--count_) = Chunk();
    }
    if (count_ != 0 && at(count_ - 1).copyTarget) at(count_ - 1).size = lastSizeBefore;
    available_ = availableBefore;
    chunksAppended_ = appendedBefore;
    throw;
  }
  bytesCopiedIn_ += bytes.size();
}

void StreamProcessor::popHead() noexcept {
  Chunk& c = head();
  c.lease = PooledBuffer();  // back to the pool now
  c.data = nullptr;
  c.size = 0;
  c.copyTarget = false;
  head_ = (head_ + 1) & (ring_.size() - 1);
  --count_;
}

void StreamProcessor::consume(std::size_t n) noexcept {
  ZONEBUF_ASSERT(n <= available_);
  available_ -= n;
  while (n != 0) {
    Chunk& c = head();
    if (n < c.size) {
      c.data += n;
      c.size -= n;
      return;
    }
    n -= c.size;
    popHead();
    ++chunksReleased_;
  }
}

void StreamProcessor::gather(std::size_t offset, std::byte* out, std::size_t n) const noexcept {
  ZONEBUF_ASSERT(offset <= available_ && n <= available_ - offset);
  if (n == 0) return;  // offset may equal available_: there is no chunk to start in
  std::size_t i = 0;
  while (offset >= at(i).size) offset -= at(i++).size;
  while (n != 0) {
    const Chunk& c = at(i++);
    const std::size_t take = std::min(n, c.size - offset);
    std::memcpy(out, c.data + offset, take);
    out += take;
    n -= take;
    offset = 0;
  }
}

void StreamProcessor::skipAcrossChunks(std::size_t n) {
  if (n > available_) [[unlikely]] detail::throwStreamUnderflow("skip", n, available_);
  consume(n);
}

StreamBuffer StreamProcessor::readBuffer(std::size_t n) {
  if (n > available_) [[unlikely]] detail::throwStreamUnderflow("readBuffer", n, available_);
  // Checked views of the lease that holds the bytes (StaleViewError once it
  // went back to the pool). A lease's buffer stays put when the lease moves.
  auto viewOf = [&](PooledBuffer& lease, const std::byte* p) {
    return BufferAccess::viewAt(lease.buffer(), p, n, order_);
  };
  if (n == 0) return StreamBuffer(PooledBuffer(), PlatformBuffer(), StreamBuffer::Kind::View);
  Chunk& c = head();
  if (n < c.size) {
    StreamBuffer out(PooledBuffer(), viewOf(c.lease, c.data), StreamBuffer::Kind::View);
    c.data += n;
    c.size -= n;
    available_ -= n;
    return out;
  }
  if (n == c.size) {
    PlatformBuffer view = viewOf(c.lease, c.data);
    StreamBuffer out(std::move(c.lease), std::move(view), StreamBuffer::Kind::Chunk);
    available_ -= n;
    popHead();  // its lease moved into the StreamBuffer
    return out;
  }
  PooledBuffer lease = pool_->acquire(n, config_.zone, order_);
  PlatformBuffer& b = lease.buffer();
  gather(0, b.data(), n);
  b.setLimit(n);
  PlatformBuffer view = viewOf(lease, b.data());
  consume(n);
  bytesAssembled_ += n;
  ++assembledLeases_;
  return StreamBuffer(std::move(lease), std::move(view), StreamBuffer::Kind::Assembled);
}

void StreamProcessor::readInto(PlatformBuffer& dst, std::size_t n) {
  if (n > available_) [[unlikely]] detail::throwStreamUnderflow("readInto", n, available_);
  if (n > dst.remaining()) [[unlikely]] detail::throwOverflow("StreamProcessor::readInto", n, dst.position(), dst.limit());
  gather(0, dst.data() + dst.position(), n);
  dst.position(dst.position() + n);
  consume(n);
}

std::string StreamProcessor::readString(std::size_t byteCount, Charset charset, TextPolicy policy) {
  if (byteCount > available_) [[unlikely]] detail::throwStreamUnderflow("readString", byteCount, available_);
  std::string s;
  if (byteCount == 0) return s;
  if (byteCount <= head().size) {
    s = text::decode({head().data, byteCount}, charset, policy);  // may throw: nothing consumed yet
  } else {
    PooledBuffer lease = pool_->acquire(byteCount, config_.zone);
    gather(0, lease.buffer().data(), byteCount);
    s = text::decode({lease.buffer().data(), byteCount}, charset, policy);
    bytesAssembled_ += byteCount;
    ++assembledLeases_;
  }
  consume(byteCount);
  return s;
}

void StreamProcessor::clear() noexcept {
  chunksReleased_ += count_;
  while (count_ != 0) popHead();
  available_ = 0;
}

StreamStats StreamProcessor::stats() const noexcept {
  StreamStats s;
  s.chunks = count_;
  s.bytesHeld = available_;
  s.chunksAppended = chunksAppended_;
  s.chunksReleased = chunksReleased_;
  s.bytesCopiedIn = bytesCopiedIn_;
  s.bytesAssembled = bytesAssembled_;
  s.assembledLeases = assembledLeases_;
  return s;
}

}  // namespace zonebuf
