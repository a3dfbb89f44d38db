// Checked views handed out by a StreamProcessor: readBuffer's views throw
// StaleViewError once the lease holding their bytes went back to the pool.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "stream/stream_test_support.hpp"
#include "zonebuf/zonebuf.hpp"

namespace zonebuf::stream_checked_view_test {

std::vector<std::byte> countingBytes(std::size_t n) {
  std::vector<std::byte> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::byte>(i);
  return v;
}

void expectStale(PlatformBuffer& view) {
  const std::size_t position = view.position();
  try {
    view.readByte();
    ADD_FAILURE() << "expected StaleViewError";
  } catch (const StaleViewError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("readByte on a view of a buffer that was released", 0), 0u) << e.what();
  }
  EXPECT_EQ(view.position(), position);
}

TEST(StreamCheckedView, AViewIntoAChunkIsStaleOnceTheStreamReleasesTheChunk) {
  BufferPool pool;
  StreamProcessor s(pool);
  testing::feed(s, pool, countingBytes(40), {20, 20});
  StreamBuffer head = s.readBuffer(8);
  ASSERT_EQ(head.kind(), StreamBuffer::Kind::View);
  EXPECT_EQ(head->getByte(7), 7);
  s.skip(12);  // consumes the chunk's last byte: its lease goes back to the pool
  expectStale(head.buffer());
  StreamBuffer next = s.readBuffer(4);  // a view made after that works
  EXPECT_EQ(next->readByte(), 20);
}

TEST(StreamCheckedView, ChunkAndAssembledBuffersLiveAsLongAsTheirStreamBuffer) {
  BufferPool pool;
  StreamProcessor s(pool);
  testing::feed(s, pool, countingBytes(40), {10, 10, 20});
  std::optional<StreamBuffer> chunk(s.readBuffer(10));
  ASSERT_EQ(chunk->kind(), StreamBuffer::Kind::Chunk);
  std::optional<StreamBuffer> assembled(s.readBuffer(20));
  ASSERT_EQ(assembled->kind(), StreamBuffer::Kind::Assembled);
  s.clear();
  EXPECT_EQ((*chunk)->getByte(9), 9);
  EXPECT_EQ((*assembled)->getByte(19), 29);
  PlatformBuffer ofChunk = (*chunk)->slice();
  PlatformBuffer ofAssembled = (*assembled)->duplicate();
  StreamBuffer movedChunk = std::move(*chunk);  // moving the StreamBuffer moves its lease, not the bytes
  EXPECT_EQ(ofChunk.getByte(0), 0);
  chunk.reset();
  assembled.reset();
  expectStale(ofAssembled);
  EXPECT_EQ(ofChunk.readByte(), 0);
  movedChunk = StreamBuffer();
  expectStale(ofChunk);
}

}  // namespace zonebuf::stream_checked_view_test
