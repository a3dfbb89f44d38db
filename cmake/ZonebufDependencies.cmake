# Locates the Debian-sourced dependencies. mimalloc, GoogleTest and (for WASM)
# Google Benchmark are built per toolchain by tools/zonebuf into
# ZONEBUF_DEPS_PREFIX; nlohmann-json is header-only from nlohmann-json3-dev.
if(ZONEBUF_DEPS_PREFIX)
  list(PREPEND CMAKE_PREFIX_PATH ${ZONEBUF_DEPS_PREFIX})
  if(CMAKE_CROSSCOMPILING)
    # The Emscripten toolchain only searches under its find roots.
    list(APPEND CMAKE_FIND_ROOT_PATH ${ZONEBUF_DEPS_PREFIX})
  endif()
endif()

find_package(mimalloc CONFIG REQUIRED)
find_package(Threads REQUIRED)

# nlohmann-json: expose only its own folder. Under Emscripten, adding
# /usr/include to the include path would shadow Emscripten's libc headers.
set(_zb_json_include ${CMAKE_BINARY_DIR}/_deps/json-include)
file(MAKE_DIRECTORY ${_zb_json_include})
if(NOT EXISTS ${_zb_json_include}/nlohmann)
  file(CREATE_LINK /usr/include/nlohmann ${_zb_json_include}/nlohmann SYMBOLIC)
endif()
add_library(zonebuf_json INTERFACE)
target_include_directories(zonebuf_json SYSTEM INTERFACE $<BUILD_INTERFACE:${_zb_json_include}>)
