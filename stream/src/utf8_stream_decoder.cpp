// Utf8StreamDecoder. Maximal-subpart decoding restarts at every lead byte
// (C2..F4 never continue a sequence), so a chunk splits into a body that
// ends where a lead byte starts a still-valid but cut sequence, and that cut
// tail (<= 3 bytes). The body goes to the whole-buffer codec unchanged; the
// tail waits for the next chunk's continuation bytes.
#include "zonebuf/stream/utf8_stream_decoder.hpp"

#include <cstdio>
#include <string_view>

#include "zonebuf/core/text_codec.hpp"
#include "zonebuf/errors.hpp"

namespace zonebuf {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// Length of the sequence a lead byte starts (0: not a lead byte).
std::size_t sequenceLength(std::uint8_t lead) noexcept {
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

// Whether b may be byte `index` (>= 1) of a sequence led by `lead`
// (Unicode table 3-7).
bool continues(std::uint8_t lead, std::size_t index, std::uint8_t b) noexcept {
  if (index == 1) {
    switch (lead) {
      case 0xE0: return b >= 0xA0 && b <= 0xBF;
      case 0xED: return b >= 0x80 && b <= 0x9F;
      case 0xF0: return b >= 0x90 && b <= 0xBF;
      case 0xF4: return b >= 0x80 && b <= 0x8F;
      default: return b >= 0x80 && b <= 0xBF;
    }
  }
  return b >= 0x80 && b <= 0xBF;
}

std::uint8_t byteAt(std::span<const std::byte> s, std::size_t i) noexcept { return std::to_integer<std::uint8_t>(s[i]); }

// Bytes at the end of `s` that start a valid sequence the chunk cut short.
std::size_t cutTail(std::span<const std::byte> s) noexcept {
  const std::size_t n = s.size();
  for (std::size_t t = 1; t <= 3 && t <= n; ++t) {
    const std::uint8_t b = byteAt(s, n - t);
    if (b >= 0x80 && b <= 0xBF) continue;  // a continuation byte: look further back
    const std::size_t len = sequenceLength(b);
    if (len <= t) return 0;  // ASCII, invalid, or a sequence that is complete (or over-long) here
    for (std::size_t k = 1; k < t; ++k)
      if (!continues(b, k, byteAt(s, n - t + k))) return 0;
    return t;
  }
  return 0;
}

[[noreturn]] void throwIllFormed(std::uint64_t offset, const std::uint8_t* bytes, std::size_t n, const char* what) {
  std::string hex;
  char cell[8];
  for (std::size_t i = 0; i < n; ++i) {
    std::snprintf(cell, sizeof cell, i == 0 ? "0x%02X" : " 0x%02X", bytes[i]);
    hex += cell;
  }
  throw MalformedTextError("ill-formed UTF-8 in stream at byte offset " + std::to_string(offset) + " (" + hex +
                               "): " + what + "; use TextPolicy::Lenient to replace it with U+FFFD",
                           static_cast<std::size_t>(offset));
}

}  // namespace

Utf8StreamDecoder::Pending Utf8StreamDecoder::completePending(std::span<const std::byte> chunk,
                                                              std::size_t& used) noexcept {
  const std::size_t len = sequenceLength(pending_[0]);
  used = 0;
  while (pendingSize_ < len && used < chunk.size()) {
    const std::uint8_t b = byteAt(chunk, used);
    if (!continues(pending_[0], pendingSize_, b)) return Pending::Broken;
    pending_[pendingSize_++] = b;
    ++used;
  }
  return pendingSize_ == len ? Pending::Complete : Pending::Incomplete;
}

void Utf8StreamDecoder::decode(std::span<const std::byte> chunk, std::string& out) {
  const std::size_t outBefore = out.size();
  const std::uint8_t savedPending[4] = {pending_[0], pending_[1], pending_[2], pending_[3]};
  const std::uint8_t savedSize = pendingSize_;
  try {
    std::size_t used = 0;
    if (pendingSize_ != 0) {
      switch (completePending(chunk, used)) {
        case Pending::Incomplete:
          offset_ += chunk.size();
          return;
        case Pending::Complete:
          out.append(reinterpret_cast<const char*>(pending_), pendingSize_);
          break;
        case Pending::Broken:
          if (policy_ == TextPolicy::Strict)
            throwIllFormed(offset_ - savedSize, pending_, pendingSize_,
                           "a sequence ends before its continuation bytes");
          out.append(kReplacement);
          break;
      }
      pendingSize_ = 0;
    }
    const std::span<const std::byte> rest = chunk.subspan(used);
    const std::size_t tail = cutTail(rest);
    const std::span<const std::byte> body = rest.first(rest.size() - tail);
    try {
      out += text::decode(body, Charset::Utf8, policy_);
    } catch (const MalformedTextError& e) {
      const std::uint64_t at = offset_ + used + e.byteOffset();
      const std::uint8_t bad = e.byteOffset() < body.size() ? byteAt(body, e.byteOffset()) : 0;
      throwIllFormed(at, &bad, e.byteOffset() < body.size() ? 1 : 0,
                     "not the start or continuation of a well-formed sequence");
    }
    for (std::size_t k = 0; k < tail && k < 3; ++k) pending_[k] = byteAt(rest, rest.size() - tail + k);
    pendingSize_ = static_cast<std::uint8_t>(tail);
    offset_ += chunk.size();
  } catch (...) {
    out.resize(outBefore);
    for (int k = 0; k < 4; ++k) pending_[k] = savedPending[k];
    pendingSize_ = savedSize;
    throw;
  }
}

void Utf8StreamDecoder::finish(std::string& out) {
  if (pendingSize_ != 0) {
    if (policy_ == TextPolicy::Strict)
      throwIllFormed(offset_ - pendingSize_, pending_, pendingSize_, "the stream ends inside a sequence");
    out.append(kReplacement);
  }
  reset();
}

bool Utf8StreamDecoder::validate(std::span<const std::byte> chunk) noexcept {
  if (failed_) return false;
  std::size_t used = 0;
  if (pendingSize_ != 0) {
    const Pending p = completePending(chunk, used);
    if (p == Pending::Broken) return !(failed_ = true);
    if (p == Pending::Incomplete) {
      offset_ += chunk.size();
      return true;
    }
    pendingSize_ = 0;
  }
  const std::span<const std::byte> rest = chunk.subspan(used);
  const std::size_t tail = cutTail(rest);
  const std::span<const std::byte> body = rest.first(rest.size() - tail);
  if (!text::isValidUtf8({reinterpret_cast<const char*>(body.data()), body.size()})) return !(failed_ = true);
  for (std::size_t k = 0; k < tail && k < 3; ++k) pending_[k] = byteAt(rest, rest.size() - tail + k);
  pendingSize_ = static_cast<std::uint8_t>(tail);
  offset_ += chunk.size();
  return true;
}

bool Utf8StreamDecoder::validateFinish() noexcept {
  const bool ok = !failed_ && pendingSize_ == 0;
  reset();
  return ok;
}

void Utf8StreamDecoder::reset() noexcept {
  pendingSize_ = 0;
  failed_ = false;
  offset_ = 0;
}

}  // namespace zonebuf
