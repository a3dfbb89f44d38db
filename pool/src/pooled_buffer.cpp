// PooledBuffer's one error: a use of an empty lease.
#include "zonebuf/pool/pooled_buffer.hpp"

#include <string>

#include "zonebuf/errors.hpp"

namespace zonebuf::detail {

void throwEmptyLease(const char* op) {
  throw InvalidArgumentError(std::string("PooledBuffer::") + op +
                             " on an empty lease: it was already released or moved from. "
                             "Keep using the lease you moved it into, or acquire a new one.");
}

}  // namespace zonebuf::detail
