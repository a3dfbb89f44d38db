// Utf8StreamDecoder: decodes (or only validates) UTF-8 that arrives in
// chunks, carrying a sequence cut by a chunk boundary into the next chunk.
//
// Invariants:
//   - For any split of a byte string into chunks, decode() over the chunks
//     then finish() appends exactly what text::decode(whole, Utf8, policy)
//     returns (Lenient: one U+FFFD per maximal ill-formed subpart), and
//     Strict throws for exactly the inputs it throws for, with byteOffset()
//     counted from the start of the stream.
//   - At most 3 bytes are held back between calls (pendingBytes()).
//   - A call that throws leaves `out` and the decoder as they were.
//   - validate() is the output-free form: once it has returned false it
//     stays false until reset().
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "zonebuf/core/charset.hpp"

namespace zonebuf {

class Utf8StreamDecoder {
 public:
  explicit Utf8StreamDecoder(TextPolicy policy = TextPolicy::Lenient) noexcept : policy_(policy) {}

  void decode(std::span<const std::byte> chunk, std::string& out);
  // End of input: a held-back partial sequence is one U+FFFD (Lenient) or
  // MalformedTextError (Strict). The decoder is then ready for a new stream.
  void finish(std::string& out);

  // True while every byte so far can begin or continue well-formed UTF-8.
  bool validate(std::span<const std::byte> chunk) noexcept;
  // True if the whole stream was well-formed (nothing left half-done); resets.
  bool validateFinish() noexcept;

  void reset() noexcept;
  std::size_t pendingBytes() const noexcept { return pendingSize_; }
  std::uint64_t bytesSeen() const noexcept { return offset_; }

 private:
  enum class Pending : std::uint8_t { Complete, Incomplete, Broken };
  // Feeds chunk bytes to the held-back sequence; `used` is how many it took.
  Pending completePending(std::span<const std::byte> chunk, std::size_t& used) noexcept;

  TextPolicy policy_;
  std::uint8_t pending_[4] = {};
  std::uint8_t pendingSize_ = 0;
  bool failed_ = false;
  std::uint64_t offset_ = 0;  // bytes fed so far
};

}  // namespace zonebuf
