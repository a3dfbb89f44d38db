# Locates the Debian-sourced dependencies. mimalloc, GoogleTest and (for WASM)
# Google Benchmark are built per toolchain by tools/zonebuf into
# ZONEBUF_DEPS_PREFIX; nlohmann-json is header-only from nlohmann-json3-dev.
#
# mimalloc, in this order (the first that applies wins):
#   1. a `mimalloc-static` target the including project already defines;
#   2. find_package(mimalloc CONFIG): ZONEBUF_DEPS_PREFIX, or any prefix on
#      CMAKE_PREFIX_PATH (what tools/zonebuf deps builds, or the consumer's own);
#   3. ZONEBUF_MIMALLOC_SOURCE_DIR: a mimalloc source tree (e.g. Debian's
#      source package, as tools/zonebuf deps fetches it into
#      build/deps/src/mimalloc-*) built here as a static library.
# Whichever it is, zonebuf links it privately and with MI_OVERRIDE off:
# mimalloc serves the Heap zone through its mi_* API and never replaces the
# program's malloc/new.
if(ZONEBUF_DEPS_PREFIX)
  list(PREPEND CMAKE_PREFIX_PATH ${ZONEBUF_DEPS_PREFIX})
  if(CMAKE_CROSSCOMPILING)
    # The Emscripten toolchain only searches under its find roots.
    list(APPEND CMAKE_FIND_ROOT_PATH ${ZONEBUF_DEPS_PREFIX})
  endif()
endif()

# Builds mimalloc from source with only the static library, no override and
# no tests. A function, so the MI_* settings stay in this scope.
function(_zonebuf_add_mimalloc_source dir)
  if(NOT EXISTS ${dir}/CMakeLists.txt)
    message(FATAL_ERROR "ZONEBUF_MIMALLOC_SOURCE_DIR='${dir}' holds no mimalloc source tree (no CMakeLists.txt)")
  endif()
  set(CMAKE_POLICY_DEFAULT_CMP0077 NEW)  # mimalloc's option()s take these values
  set(MI_OVERRIDE OFF)
  set(MI_BUILD_SHARED OFF)
  set(MI_BUILD_OBJECT OFF)
  set(MI_BUILD_TESTS OFF)
  set(MI_BUILD_STATIC ON)
  set(CMAKE_POSITION_INDEPENDENT_CODE ON)
  add_subdirectory(${dir} ${PROJECT_BINARY_DIR}/_deps/mimalloc EXCLUDE_FROM_ALL)
endfunction()

if(NOT TARGET mimalloc-static)
  find_package(mimalloc CONFIG QUIET)
  if(NOT TARGET mimalloc-static)  # not found, or a package without the static library
    if(ZONEBUF_MIMALLOC_SOURCE_DIR)
      _zonebuf_add_mimalloc_source(${ZONEBUF_MIMALLOC_SOURCE_DIR})
    else()
      message(FATAL_ERROR
        "zonebuf needs mimalloc (its Heap zone). Pass one of:\n"
        "  -DZONEBUF_DEPS_PREFIX=<zonebuf>/build/deps/native  (built by `tools/zonebuf deps`)\n"
        "  -DCMAKE_PREFIX_PATH=<prefix with lib/cmake/mimalloc*>\n"
        "  -DZONEBUF_MIMALLOC_SOURCE_DIR=<mimalloc source tree>, e.g. `apt-get source mimalloc`")
    endif()
  endif()
endif()
find_package(Threads REQUIRED)

# nlohmann-json: expose only its own folder. Under Emscripten, adding
# /usr/include to the include path would shadow Emscripten's libc headers.
set(_zb_json_include ${PROJECT_BINARY_DIR}/_deps/json-include)
file(MAKE_DIRECTORY ${_zb_json_include})
if(NOT EXISTS ${_zb_json_include}/nlohmann)
  if(NOT EXISTS /usr/include/nlohmann/json.hpp)
    message(FATAL_ERROR "zonebuf needs nlohmann-json (Debian: apt-get install nlohmann-json3-dev)")
  endif()
  file(CREATE_LINK /usr/include/nlohmann ${_zb_json_include}/nlohmann SYMBOLIC)
endif()
add_library(zonebuf_json INTERFACE)
target_include_directories(zonebuf_json SYSTEM INTERFACE $<BUILD_INTERFACE:${_zb_json_include}>)
