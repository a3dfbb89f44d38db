// StreamStats::toJson: one flat object, keys as the field names.
#include <string>

#include "zonebuf/stream/stream_stats.hpp"

namespace zonebuf {

std::string StreamStats::toJson() const {
  std::string out = "{";
  auto field = [&out](const char* name, std::uint64_t v) {
    if (out.size() > 1) out += ',';
    out += '"';
    out += name;
    out += "\":";
    out += std::to_string(v);
  };
  field("chunks", chunks);
  field("bytesHeld", bytesHeld);
  field("chunksAppended", chunksAppended);
  field("chunksReleased", chunksReleased);
  field("bytesCopiedIn", bytesCopiedIn);
  field("bytesAssembled", bytesAssembled);
  field("assembledLeases", assembledLeases);
  out += '}';
  return out;
}

}  // namespace zonebuf
