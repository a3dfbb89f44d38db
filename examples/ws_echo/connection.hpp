// One WebSocket connection of the echo server (RFC 6455), driven by the
// event loop in main.cpp.
//
// Invariants:
//   - Socket reads land in pooled leases appended to `in_` (no copy); frame
//     headers are peeked in place, payloads are copied once, into the
//     message's GrowableBuffer, and unmasked there with xorMask.
//   - Output is a queue of leases (`out_`): a frame header lease, then the
//     message lease itself, so an echo copies its payload no more.
//   - A text message is validated as it arrives (Utf8StreamDecoder, across
//     fragments and reads): ill-formed -> close 1007. A message above
//     maxMessage is refused from its frame header: close 1009. Protocol
//     violations: close 1002.
//   - Once a close frame is queued nothing else is parsed; after it is sent
//     the write side is shut and the peer's remaining bytes are discarded
//     until it closes (so the close frame is not lost to a reset).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "zonebuf/zonebuf.hpp"

namespace zonebuf::ws {

struct ServerCounters {
  std::uint64_t connections = 0;
  std::uint64_t messages = 0;
  std::uint64_t messageBytes = 0;
  std::uint64_t pings = 0;
  std::uint64_t closes = 0;
};

class Connection {
 public:
  Connection(int fd, BufferPool& pool, std::size_t maxMessage, ServerCounters& counters);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  int fd() const noexcept { return fd_; }
  // Reads what the socket has and answers it; false: drop the connection now.
  bool onReadable();
  // Writes queued output; false: drop the connection now.
  bool onWritable();
  bool wantsWrite() const noexcept { return !out_.empty(); }
  // Input is paused while much output waits (the peer is not reading).
  bool wantsRead() const noexcept { return out_.available() < kMaxQueuedOutput; }
  // The close handshake is over: the connection may go.
  bool finished() const noexcept { return peerGone_ || (state_ == State::Closed && out_.empty() && peerEof_); }

 private:
  enum class State : std::uint8_t { Handshake, Open, Closed };
  static constexpr std::size_t kReadSize = 64 * 1024;
  static constexpr std::size_t kMaxHandshake = 16 * 1024;
  static constexpr std::size_t kMaxQueuedOutput = 8 * 1024 * 1024;

  void process();
  bool handshake();
  bool step();  // one frame header or payload piece; false: needs more input
  bool payload();
  void controlFrame(std::uint8_t opcode, std::span<const std::byte> payload);
  void completeMessage();
  void queueFrame(std::uint8_t opcode, std::span<const std::byte> payload);
  void queueHeader(std::uint8_t opcode, std::uint64_t length);
  void queueRaw(std::string_view bytes);
  void fail(std::uint16_t code, std::string_view reason);

  int fd_;
  BufferPool& pool_;
  std::size_t maxMessage_;
  ServerCounters& counters_;
  StreamProcessor in_;
  StreamProcessor out_;
  GrowableBuffer message_;
  Utf8StreamDecoder utf8_;
  State state_ = State::Handshake;
  bool writeShut_ = false;
  bool peerEof_ = false;
  bool peerGone_ = false;
  // The frame whose payload is arriving.
  bool inPayload_ = false;
  bool frameFin_ = false;
  std::uint64_t payloadLeft_ = 0;
  std::uint32_t maskKey_ = 0;
  std::uint64_t maskOffset_ = 0;
  // The message being assembled (opcode 0: none).
  std::uint8_t messageOpcode_ = 0;
};

}  // namespace zonebuf::ws
