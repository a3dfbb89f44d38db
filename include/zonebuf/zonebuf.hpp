// zonebuf: pooled buffers in allocation zones. Include this one header.
#pragma once

#include "zonebuf/allocators/allocation_zone.hpp"
#include "zonebuf/allocators/heap_allocator.hpp"
#include "zonebuf/allocators/linear_memory_allocator.hpp"
#include "zonebuf/allocators/scoped_heap.hpp"
#include "zonebuf/core/byte_order.hpp"
#include "zonebuf/core/charset.hpp"
#include "zonebuf/core/linear_buffer.hpp"
#include "zonebuf/core/native_data.hpp"
#include "zonebuf/core/platform_buffer.hpp"
#include "zonebuf/errors.hpp"
#include "zonebuf/pool/buffer_pool.hpp"
#include "zonebuf/pool/pool_config.hpp"
#include "zonebuf/pool/pool_stats.hpp"
#include "zonebuf/pool/pooled_buffer.hpp"
#include "zonebuf/pool/size_classes.hpp"
