# Link options for WASM executables (tests, benchmarks) run under node.
# NODERAWFS gives tests the real file system (config files, temp dirs).
option(ZONEBUF_WASM_THREADS "WASM build with -pthread and shared memory" OFF)
add_library(zonebuf_wasm_node INTERFACE)
if(EMSCRIPTEN)
  target_link_options(zonebuf_wasm_node INTERFACE
    -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=4GB -sENVIRONMENT=node$<$<BOOL:${ZONEBUF_WASM_THREADS}>:,worker>
    -sEXIT_RUNTIME=1 -sNODERAWFS=1
    $<$<BOOL:${ZONEBUF_WASM_THREADS}>:-sPTHREAD_POOL_SIZE=8>)
endif()

# Test executables link without Binaryen's optimisation passes: their code is
# compiled at the build type's level like everything else, and the -O3
# link-time passes only shrink the module while costing ~15 s per binary
# (an -O1 link takes ~2 s). Benchmarks and the JS package keep the full link.
add_library(zonebuf_wasm_test_link INTERFACE)
if(EMSCRIPTEN)
  target_link_options(zonebuf_wasm_test_link INTERFACE -O1)
endif()
