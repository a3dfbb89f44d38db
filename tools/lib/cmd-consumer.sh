# The consumer check: tests/consumer built the three ways a CMake project
# consumes zonebuf, each configured from scratch and run:
#   installed     install the native build into a scratch prefix, then
#                 find_package(zonebuf CONFIG) against it (+ the pkg-config file)
#   subdirectory  add_subdirectory(zonebuf), mimalloc built from the Debian
#                 source tree the deps step fetches (ZONEBUF_MIMALLOC_SOURCE_DIR)
#   fetchcontent  FetchContent_Declare(zonebuf SOURCE_DIR ...), mimalloc found
#                 in the deps prefix (CMAKE_PREFIX_PATH)
# and the installed mode again with Emscripten (when the wasm preset is built).

# _zb_consumer_build NAME LOG CMAKE-ARGS... : configure, build and run tests/consumer.
_zb_consumer_build() {
  local name=$1 log=$2 out=$ZB_BUILD/consumer/$1
  shift 2
  rm -rf "$out"
  {
    cmake -S "$ZB_ROOT/tests/consumer" -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" &&
      cmake --build "$out" &&
      ctest --test-dir "$out" --output-on-failure
  } >>"$log" 2>&1
}

_zb_consumer_failed() {
  tail -n 40 "$2" | cut -c1-300
  zb_log "consumer ($1): FAILED (log: ${2#"$ZB_ROOT"/})"
  ZB_FAILED=$((ZB_FAILED + 1))
}

# _zb_consumer_source_mode MODE WHAT CMAKE-ARGS... : one source-tree mode.
_zb_consumer_source_mode() {
  local mode=$1 what=$2 log=$ZB_BUILD/logs/consumer-$1.log
  shift 2
  : >"$log"
  zb_log "consumer ($mode): $what"
  # These modes compile zonebuf's sources inside the consumer's build; -O0
  # keeps that a check of the build wiring (the installed mode links the
  # fully optimised native build) at under half the compile time.
  if ! _zb_consumer_build "$mode" "$log" -DZONEBUF_CONSUMER_MODE="$mode" -DZONEBUF_SOURCE_DIR="$ZB_ROOT" \
    "-DCMAKE_CXX_FLAGS_RELEASE=-O0 -DNDEBUG" "-DCMAKE_C_FLAGS_RELEASE=-O0 -DNDEBUG" "$@"; then
    _zb_consumer_failed "$mode" "$log"
    return 1
  fi
  ZB_PASSED=$((ZB_PASSED + 1))
  zb_log "consumer ($mode): builds and runs"
}

zb_test_consumer() {
  local prefix=$ZB_BUILD/consumer/prefix log=$ZB_BUILD/logs/consumer.log status=0
  mkdir -p "$ZB_BUILD/logs" "$ZB_BUILD/consumer"
  : >"$log"
  zb_log "consumer (installed): installing the native build, building tests/consumer with find_package and pkg-config"
  rm -rf "$prefix"
  if cmake --install "$ZB_BUILD/native" --prefix "$prefix" >>"$log" 2>&1 &&
    _zb_consumer_build installed "$log" -DZONEBUF_CONSUMER_MODE=installed -DCMAKE_PREFIX_PATH="$prefix" &&
    {
      PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --cflags --libs zonebuf &&
        g++ -std=c++20 -O2 "$ZB_ROOT/tests/consumer/main.cpp" -o "$ZB_BUILD/consumer/installed/consumer-pkgconfig" \
          $(PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --cflags --libs zonebuf) &&
        "$ZB_BUILD/consumer/installed/consumer-pkgconfig"
    } >>"$log" 2>&1; then
    ZB_PASSED=$((ZB_PASSED + 2))
    zb_log "consumer (installed): find_package and pkg-config builds link and run"
  else
    _zb_consumer_failed installed "$log"; status=1
  fi

  zb_deps_sources >/dev/null 2>&1 || { zb_log "consumer: the mimalloc source tree is missing"; status=1; }
  _zb_consumer_source_mode subdirectory "add_subdirectory(zonebuf), mimalloc from its Debian source tree" \
    -DZONEBUF_MIMALLOC_SOURCE_DIR="$ZB_MIMALLOC_SRC" || status=1
  _zb_consumer_source_mode fetchcontent "FetchContent_Declare(SOURCE_DIR) + MakeAvailable, mimalloc from the deps prefix" \
    -DCMAKE_PREFIX_PATH="$ZB_BUILD/deps/native" || status=1

  zb_test_consumer_wasm || status=1
  return $status
}

# The installed consumer built with Emscripten against the installed WASM
# tree and run under node. Needs the wasm preset built (the wasm suite does that).
zb_test_consumer_wasm() {
  local prefix=$ZB_BUILD/consumer/wasm-prefix log=$ZB_BUILD/logs/consumer-wasm.log
  [[ -f $ZB_BUILD/wasm/CMakeCache.txt ]] || { zb_log "consumer (wasm): skipped, the wasm preset is not built"; return 0; }
  zb_log "consumer (wasm): installing the wasm build and building tests/consumer with Emscripten"
  rm -rf "$prefix" "$ZB_BUILD/consumer/wasm-build"
  if ! {
    cmake --build "$ZB_BUILD/wasm" &&
      cmake --install "$ZB_BUILD/wasm" --prefix "$prefix" &&
      emcmake cmake -S "$ZB_ROOT/tests/consumer" -B "$ZB_BUILD/consumer/wasm-build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DZONEBUF_CONSUMER_MODE=installed -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_ROOT_PATH="$prefix" \
        -DCMAKE_CXX_FLAGS="-fwasm-exceptions -mbulk-memory -msimd128" \
        -DCMAKE_EXE_LINKER_FLAGS="-fwasm-exceptions -sENVIRONMENT=node" \
        -DCMAKE_CROSSCOMPILING_EMULATOR="node;--no-experimental-fetch" &&
      cmake --build "$ZB_BUILD/consumer/wasm-build" &&
      ctest --test-dir "$ZB_BUILD/consumer/wasm-build" --output-on-failure
  } >"$log" 2>&1; then
    _zb_consumer_failed wasm "$log"
    return 1
  fi
  ZB_PASSED=$((ZB_PASSED + 1))
  zb_log "consumer (wasm): find_package build runs under node"
}
