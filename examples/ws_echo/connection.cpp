// The RFC 6455 frame machine of one connection (section 5: framing, 5.5
// control frames, 7.4 status codes).
#include "connection.hpp"

#include <cerrno>
#include <cstring>
#include <string>

#include <sys/socket.h>
#include <unistd.h>

#include "handshake.hpp"

namespace zonebuf::ws {

namespace {
constexpr std::uint8_t kContinuation = 0x0, kText = 0x1, kBinary = 0x2, kClose = 0x8, kPing = 0x9, kPong = 0xA;

// Codes a peer may send in a close frame (7.4.1, 7.4.2).
bool validCloseCode(std::uint16_t c) {
  return (c >= 1000 && c <= 1003) || (c >= 1007 && c <= 1011) || (c >= 3000 && c <= 4999);
}
}  // namespace

Connection::Connection(int fd, BufferPool& pool, std::size_t maxMessage, ServerCounters& counters)
    : fd_(fd),
      pool_(pool),
      maxMessage_(maxMessage),
      counters_(counters),
      in_(pool),
      out_(pool),
      message_(pool, 4096),
      utf8_(TextPolicy::Strict) {}

Connection::~Connection() { ::close(fd_); }

bool Connection::onReadable() {
  for (int reads = 0; reads < 16 && wantsRead(); ++reads) {
    PooledBuffer lease = pool_.acquire(kReadSize);
    const ssize_t n = ::read(fd_, lease->data(), lease->capacity());
    if (n > 0) {
      if (state_ == State::Closed) continue;  // draining after our close frame
      lease->setLimit(static_cast<std::size_t>(n));
      in_.append(std::move(lease));
      process();
      if (static_cast<std::size_t>(n) < kReadSize) break;
      continue;
    }
    if (n == 0) {
      peerEof_ = true;
      if (state_ != State::Closed) peerGone_ = true;  // vanished without a close handshake
      break;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) break;
    return false;
  }
  return onWritable();
}

bool Connection::onWritable() {
  while (!out_.empty()) {
    const std::span<const std::byte> next = out_.front();
    const ssize_t n = ::send(fd_, next.data(), next.size(), MSG_NOSIGNAL);
    if (n > 0) {
      out_.skip(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    return false;
  }
  if (state_ == State::Closed && !writeShut_) {
    ::shutdown(fd_, SHUT_WR);
    writeShut_ = true;
  }
  return true;
}

void Connection::process() {
  if (state_ == State::Handshake && !handshake()) return;
  while (state_ == State::Open && step()) {
  }
  if (state_ == State::Closed) in_.clear();
}

bool Connection::handshake() {
  const std::size_t end = in_.indexOf(std::string_view("\r\n\r\n"));
  if (end == StreamProcessor::npos) {
    if (in_.available() > kMaxHandshake) {
      queueRaw("HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      state_ = State::Closed;
    }
    return false;
  }
  const std::string request = in_.readString(end + 4, Charset::Latin1);
  const HandshakeAnswer answer = answerHandshake(request);
  queueRaw(answer.response);
  state_ = answer.upgraded ? State::Open : State::Closed;
  if (answer.upgraded) ++counters_.connections;
  return answer.upgraded;
}

bool Connection::step() {
  if (inPayload_) return payload();
  if (in_.available() < 2) return false;
  const std::uint8_t b0 = in_.peekUnsignedByte(0);
  const std::uint8_t b1 = in_.peekUnsignedByte(1);
  const bool fin = (b0 & 0x80) != 0;
  const std::uint8_t opcode = b0 & 0x0F;
  if ((b0 & 0x70) != 0) return fail(1002, "reserved bits set without an extension"), false;
  if ((b1 & 0x80) == 0) return fail(1002, "client frames must be masked"), false;
  std::uint64_t length = b1 & 0x7F;
  std::size_t header = 2;
  if (length == 126) {
    if (in_.available() < 4) return false;
    length = in_.peekUnsignedShort(2);
    header = 4;
    if (length < 126) return fail(1002, "non-minimal 16-bit length"), false;
  } else if (length == 127) {
    if (in_.available() < 10) return false;
    length = in_.peekUnsignedLong(2);
    header = 10;
    if (length >> 63) return fail(1002, "64-bit length with the top bit set"), false;
    if (length < 65536) return fail(1002, "non-minimal 64-bit length"), false;
  }
  if (in_.available() < header + 4) return false;
  const std::uint32_t key = in_.peekUnsignedInt(header);
  header += 4;

  if (opcode >= 0x8) {
    if (opcode != kClose && opcode != kPing && opcode != kPong) return fail(1002, "reserved control opcode"), false;
    if (!fin || length > 125) return fail(1002, "control frames must be final and at most 125 bytes"), false;
    if (in_.available() < header + length) return false;
    in_.skip(header);
    std::byte payloadBytes[125];
    PlatformBuffer p = PlatformBuffer::wrap(std::span<std::byte>(payloadBytes, length));
    in_.readInto(p, length);
    p.resetForRead().xorMask(key);
    controlFrame(opcode, std::span<const std::byte>(payloadBytes, length));
    return state_ == State::Open;
  }
  if (opcode != kContinuation && opcode != kText && opcode != kBinary) return fail(1002, "reserved data opcode"), false;
  if (opcode == kContinuation && messageOpcode_ == 0) return fail(1002, "continuation without a message"), false;
  if (opcode != kContinuation && messageOpcode_ != 0) return fail(1002, "new message inside a fragmented one"), false;
  if (length > maxMessage_ - message_.size()) return fail(1009, "message too big"), false;
  in_.skip(header);
  if (opcode != kContinuation) messageOpcode_ = opcode;
  message_.ensureWritable(static_cast<std::size_t>(length));  // the whole frame, sized once
  inPayload_ = true;
  frameFin_ = fin;
  payloadLeft_ = length;
  maskKey_ = key;
  maskOffset_ = 0;
  return payload();
}

bool Connection::payload() {
  const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(in_.available(), payloadLeft_));
  if (n != 0) {
    PlatformBuffer& b = message_.ensureWritable(n);
    const std::size_t at = b.position();
    in_.readInto(b, n);
    PlatformBuffer piece = b.slice(at, n);
    piece.xorMask(maskKey_, static_cast<std::size_t>(maskOffset_ & 3));
    if (messageOpcode_ == kText && !utf8_.validate(piece.remainingBytes())) {
      fail(1007, "invalid UTF-8 in a text message");
      return false;
    }
    maskOffset_ += n;
    payloadLeft_ -= n;
  }
  if (payloadLeft_ != 0) return false;
  inPayload_ = false;
  if (frameFin_) completeMessage();
  return state_ == State::Open;
}

void Connection::completeMessage() {
  if (messageOpcode_ == kText && !utf8_.validateFinish()) {
    fail(1007, "invalid UTF-8 in a text message");
    return;
  }
  utf8_.reset();
  const std::size_t size = message_.size();
  queueHeader(messageOpcode_, size);
  out_.append(message_.take());  // the message lease itself goes out: no copy
  ++counters_.messages;
  counters_.messageBytes += size;
  messageOpcode_ = 0;
}

void Connection::controlFrame(std::uint8_t opcode, std::span<const std::byte> payload) {
  if (opcode == kPing) {
    ++counters_.pings;
    queueFrame(kPong, payload);
    return;
  }
  if (opcode == kPong) return;
  ++counters_.closes;
  if (payload.size() == 1) return fail(1002, "a close payload of one byte");
  if (payload.size() >= 2) {
    const auto code = static_cast<std::uint16_t>(std::to_integer<unsigned>(payload[0]) << 8 |
                                                 std::to_integer<unsigned>(payload[1]));
    if (!validCloseCode(code)) return fail(1002, "invalid close code");
    Utf8StreamDecoder reason;
    if (!reason.validate(payload.subspan(2)) || !reason.validateFinish())
      return fail(1007, "invalid UTF-8 in the close reason");
  }
  queueFrame(kClose, payload.first(payload.size() >= 2 ? 2 : 0));
  state_ = State::Closed;
}

void Connection::fail(std::uint16_t code, std::string_view reason) {
  std::byte payload[125];
  payload[0] = static_cast<std::byte>(code >> 8);
  payload[1] = static_cast<std::byte>(code);
  const std::size_t n = std::min<std::size_t>(reason.size(), 123);
  std::memcpy(payload + 2, reason.data(), n);
  queueFrame(kClose, std::span<const std::byte>(payload, 2 + n));
  state_ = State::Closed;
}

void Connection::queueHeader(std::uint8_t opcode, std::uint64_t length) {
  PooledBuffer h = pool_.acquire(16);
  h->writeUnsignedByte(static_cast<std::uint8_t>(0x80 | opcode));
  if (length < 126) {
    h->writeUnsignedByte(static_cast<std::uint8_t>(length));
  } else if (length <= 0xFFFF) {
    h->writeUnsignedByte(126).writeUnsignedShort(static_cast<std::uint16_t>(length));
  } else {
    h->writeUnsignedByte(127).writeUnsignedLong(length);
  }
  h->resetForRead();
  out_.append(std::move(h));
}

void Connection::queueFrame(std::uint8_t opcode, std::span<const std::byte> payload) {
  queueHeader(opcode, payload.size());
  if (!payload.empty()) out_.append(payload);
}

void Connection::queueRaw(std::string_view bytes) {
  out_.append(std::as_bytes(std::span<const char>(bytes.data(), bytes.size())));
}

}  // namespace zonebuf::ws
