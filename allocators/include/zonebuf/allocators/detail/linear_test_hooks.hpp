// Test hooks of the linear arena: not part of the LinearMemoryAllocator API,
// and not for applications.
#pragma once

namespace zonebuf::detail {

// Forgets every chunk and the configuration, so that configure() can be
// tested again in the same process. Requires that no linear block is live and
// that every other thread that allocated one has exited.
void resetLinearArenaForTesting();

}  // namespace zonebuf::detail
