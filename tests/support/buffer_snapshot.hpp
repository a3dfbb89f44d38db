// Test support: captures a buffer's observable state so an error test can
// assert that a failed call changed nothing.
#pragma once

#include <gtest/gtest.h>

#include <vector>

#include "zonebuf/core/platform_buffer.hpp"

namespace zonebuf::testing {

struct BufferSnapshot {
  std::size_t position;
  std::size_t limit;
  std::size_t capacity;
  std::vector<std::byte> bytes;

  static BufferSnapshot of(const PlatformBuffer& b) {
    return {b.position(), b.limit(), b.capacity(), std::vector<std::byte>(b.data(), b.data() + b.capacity())};
  }
  bool operator==(const BufferSnapshot&) const = default;
};

// Runs `call`, expects it to throw `Error` whose message contains every
// fragment, and that `buffer` is exactly as it was.
template <class Error, class Call>
void expectErrorUnchanged(PlatformBuffer& buffer, Call&& call, std::initializer_list<const char*> fragments) {
  const BufferSnapshot before = BufferSnapshot::of(buffer);
  try {
    call();
    ADD_FAILURE() << "expected an exception, none was thrown";
  } catch (const Error& e) {
    const std::string message = e.what();
    for (const char* fragment : fragments) {
      EXPECT_NE(message.find(fragment), std::string::npos) << "message '" << message << "' lacks '" << fragment << "'";
    }
  } catch (const std::exception& e) {
    ADD_FAILURE() << "wrong exception type, message: " << e.what();
  }
  EXPECT_TRUE(BufferSnapshot::of(buffer) == before) << "a failed call changed the buffer";
}

}  // namespace zonebuf::testing
