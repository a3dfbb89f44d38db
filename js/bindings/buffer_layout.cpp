// What the JS hot paths (js/src/hot.mjs) need from C++: where a
// PlatformBuffer keeps its data pointer, capacity, position, limit and byte
// order inside the object, and the C++ error messages for the checks JS makes
// itself, and what a view's staleness check reads (viewGuardAt).
//
// The offsets are measured, not assumed: two probe buffers that differ in
// known values are compared byte by byte, and a field that cannot be found
// exactly once fails the module's start (InvalidArgumentError) instead of
// letting JS read the wrong word. JS and C++ then share one copy of the state:
// the C++ object in linear memory.
#include <emscripten/bind.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <string>

#include "js_error.hpp"
#include "zonebuf/core/platform_buffer.hpp"
#include "zonebuf/errors.hpp"

using namespace emscripten;

namespace zonebuf::js {
namespace {

using Bytes = std::array<unsigned char, sizeof(PlatformBuffer)>;

Bytes representation(const PlatformBuffer& b) {
  Bytes out;
  std::memcpy(out.data(), static_cast<const void*>(&b), sizeof b);
  return out;
}

// The offset of the one 4-aligned 32-bit word of `rep` holding `value`.
std::size_t wordOffset(const Bytes& rep, std::uint32_t value, const char* field) {
  std::size_t found = sizeof(PlatformBuffer);
  for (std::size_t at = 0; at + 4 <= rep.size(); at += 4) {
    std::uint32_t word;
    std::memcpy(&word, rep.data() + at, 4);
    if (word != value) continue;
    if (found != sizeof(PlatformBuffer)) found = rep.size() + 1;  // ambiguous
    else found = at;
  }
  if (found >= rep.size()) {
    throw InvalidArgumentError(std::string("zonebuf JS: cannot locate PlatformBuffer::") + field +
                               " in the object; the JS hot paths do not match this build");
  }
  return found;
}

// The byte holding the ByteOrder value (not the derived swap flag).
std::size_t orderOffset(const Bytes& little, const Bytes& big) {
  const auto le = static_cast<unsigned char>(ByteOrder::LittleEndian);
  const auto be = static_cast<unsigned char>(ByteOrder::BigEndian);
  for (std::size_t at = 0; at < little.size(); ++at) {
    if (little[at] == le && big[at] == be) return at;
  }
  throw InvalidArgumentError("zonebuf JS: cannot locate PlatformBuffer's byte order in the object");
}

val bufferLayout() {
  alignas(8) static std::byte probe[0x3C5];
  PlatformBuffer little = PlatformBuffer::wrap(probe, ByteOrder::LittleEndian);
  little.setLimit(0x2A7).position(0x1B3);
  PlatformBuffer big = PlatformBuffer::wrap(probe, ByteOrder::BigEndian);
  big.setLimit(0x2A7).position(0x1B3);  // differs from `little` in the byte order only
  const Bytes rep = representation(little);
  val layout = val::object();
  layout.set("data", wordOffset(rep, static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(probe)), "data"));
  layout.set("capacity", wordOffset(rep, sizeof probe, "capacity"));
  layout.set("limit", wordOffset(rep, 0x2A7, "limit"));
  layout.set("position", wordOffset(rep, 0x1B3, "position"));
  layout.set("order", orderOffset(rep, representation(big)));
  layout.set("littleEndian", static_cast<unsigned>(ByteOrder::LittleEndian));
  layout.set("size", sizeof(PlatformBuffer));
  return layout;
}

// {slot, generation} of the PlatformBuffer at `address` if it is a checked
// view (the slot's address in linear memory and the generation the view
// holds; the view is stale once the slot's word differs), else {0, 0}.
val viewGuardAt(std::uintptr_t address) {
  const auto& b = *reinterpret_cast<const PlatformBuffer*>(address);
  const detail::ViewSlot* slot = BufferAccess::viewSlot(b);
  val guard = val::object();
  guard.set("slot", reinterpret_cast<std::uintptr_t>(slot));
  guard.set("generation", slot != nullptr ? static_cast<std::uint32_t>(BufferAccess::viewGeneration(b)) : 0u);
  return guard;
}

// Throws the C++ error `Throw` builds, for a check JS made itself (the
// numbers arrive as doubles JS has checked to be sizes).
template <void (*Throw)(const char*, std::size_t, std::size_t, std::size_t)>
void throwFromJs(const std::string& op, double needed, double position, double limit) {
  guarded([&] {
    Throw(op.c_str(), static_cast<std::size_t>(needed), static_cast<std::size_t>(position),
          static_cast<std::size_t>(limit));
  });
}

}  // namespace
}  // namespace zonebuf::js

EMSCRIPTEN_BINDINGS(zonebuf_buffer_layout) {
  using namespace zonebuf;
  function("__zbBufferLayout", optional_override([] { return js::guarded([] { return js::bufferLayout(); }); }));
  function("__zbViewGuardAt", &js::viewGuardAt);
  function("__zbViewRetirements",
           optional_override([] { return reinterpret_cast<std::uintptr_t>(detail::viewRetirements()); }));
  function("__zbThrowOverflow", &js::throwFromJs<&detail::throwOverflow>);
  function("__zbThrowUnderflow", &js::throwFromJs<&detail::throwUnderflow>);
}
