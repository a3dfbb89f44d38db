// PlatformBuffer's NativeData conversions, next to the concept they make.
#include "zonebuf/core/native_data.hpp"

namespace zonebuf {

NativeData PlatformBuffer::toNativeData() const { return NativeData::of(*this, false); }
NativeData PlatformBuffer::toMutableNativeData() { return NativeData::of(*this, true); }

}  // namespace zonebuf
