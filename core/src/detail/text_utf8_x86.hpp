// The x86-64 instantiations of the UTF-8 screen (text_utf8_kernel.hpp), each
// compiled for its own ISA. Call one only on a CPU that has that ISA; the
// dispatch in text_utf8_vector.cpp checks once.
#pragma once

#include <cstdint>

namespace zonebuf::text::detail {

const std::uint8_t* screenUtf8Ssse3(const std::uint8_t* p, const std::uint8_t* end) noexcept;
const std::uint8_t* screenUtf8Avx2(const std::uint8_t* p, const std::uint8_t* end) noexcept;

}  // namespace zonebuf::text::detail
