// zonebuf: pooled buffers in allocation zones. Include this one header.
#pragma once

#include "zonebuf/allocators/allocation_zone.hpp"
#include "zonebuf/allocators/heap_allocator.hpp"
#include "zonebuf/core/byte_order.hpp"
#include "zonebuf/core/charset.hpp"
#include "zonebuf/core/platform_buffer.hpp"
#include "zonebuf/errors.hpp"
