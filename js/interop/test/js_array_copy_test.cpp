// writeFromJsArray/readToJsArray as C++ WebAssembly code calls them (with JS
// typed arrays made through emscripten::val), run under node.
#include <emscripten/val.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "zonebuf/js/js_array_copy.hpp"

namespace zonebuf {
namespace {

using emscripten::val;

val jsArray(const char* type, std::vector<int> values) {
  val array = val::global(type).new_(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) array.set(i, values[i]);
  return array;
}

std::vector<int> bytesOf(const LinearBuffer& b, std::size_t n) {
  std::vector<int> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(static_cast<int>(b.data()[i]));
  return out;
}

TEST(JsArrayCopy, WritesFromUint8AndInt8ArraysAndAdvances) {
  LinearBuffer buf = LinearBuffer::allocate(8);
  LinearBuffer& same = writeFromJsArray(buf, jsArray("Uint8Array", {9, 200, 7, 6}), 1, 2);
  EXPECT_EQ(&same, &buf);
  writeFromJsArray(buf, jsArray("Int8Array", {-1, -128}), 0, 2);
  EXPECT_EQ(buf.position(), 4u);
  EXPECT_EQ(bytesOf(buf, 4), (std::vector<int>{200, 7, 255, 128}));
}

TEST(JsArrayCopy, ReadsIntoAnArrayAtAnOffsetAndAdvances) {
  LinearBuffer buf = LinearBuffer::allocate(8);
  buf.writeInt(0x01020304);
  buf.resetForRead();
  val out = jsArray("Uint8Array", {0, 0, 0, 0, 0, 0});
  readToJsArray(buf, out, 2, 3);
  EXPECT_EQ(buf.position(), 3u);
  std::vector<int> got;
  for (int i = 0; i < 6; ++i) got.push_back(out[i].as<int>());
  EXPECT_EQ(got, (std::vector<int>{0, 0, 1, 2, 3, 0}));
}

// Each failure: the error type and message, and nothing changed.
template <class Error, class F>
void expectUnchanged(LinearBuffer& buf, F&& call, const char* message) {
  const std::size_t position = buf.position(), limit = buf.limit();
  const std::vector<int> bytes = bytesOf(buf, buf.capacity());
  try {
    call();
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
  }
  EXPECT_EQ(buf.position(), position);
  EXPECT_EQ(buf.limit(), limit);
  EXPECT_EQ(bytesOf(buf, buf.capacity()), bytes);
}

TEST(JsArrayCopy, RejectsBadArraysRangesAndSizesChangingNothing) {
  LinearBuffer buf = LinearBuffer::allocate(4);
  buf.writeByte(5);
  const val src = jsArray("Uint8Array", {1, 2, 3, 4, 5, 6, 7, 8});
  expectUnchanged<BufferOverflowError>(buf, [&] { writeFromJsArray(buf, src, 0, 4); }, "writeFromJsArray needs 4 bytes");
  expectUnchanged<InvalidArgumentError>(buf, [&] { writeFromJsArray(buf, src, 6, 3); },
                                        "source range [6, 6 + 3) is outside the array of length 8");
  expectUnchanged<InvalidArgumentError>(buf, [&] { writeFromJsArray(buf, jsArray("Uint16Array", {1}), 0, 1); },
                                        "expected an Int8Array or a Uint8Array");
  buf.resetForRead();
  expectUnchanged<BufferUnderflowError>(buf, [&] { readToJsArray(buf, jsArray("Int8Array", {0, 0}), 0, 2); },
                                        "readToJsArray needs 2 bytes but only 1 remain");
  expectUnchanged<InvalidArgumentError>(buf, [&] { readToJsArray(buf, jsArray("Int8Array", {0}), 1, 1); },
                                        "destination range [1, 1 + 1)");
}

}  // namespace
}  // namespace zonebuf
