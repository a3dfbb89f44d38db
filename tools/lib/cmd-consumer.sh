# The consumer check: install the native build into a scratch prefix, then
# configure tests/consumer against it with find_package(zonebuf) — the path a
# user of the installed library takes. Also checks the pkg-config file.

zb_test_consumer() {
  local prefix=$ZB_BUILD/consumer/prefix out=$ZB_BUILD/consumer/build log=$ZB_BUILD/logs/consumer.log
  zb_log "consumer: installing the native build and building tests/consumer against it"
  rm -rf "$prefix" "$out"
  mkdir -p "$ZB_BUILD/logs"
  if ! {
    cmake --install "$ZB_BUILD/native" --prefix "$prefix" &&
      cmake -S "$ZB_ROOT/tests/consumer" -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" &&
      cmake --build "$out" &&
      ctest --test-dir "$out" --output-on-failure &&
      PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --cflags --libs zonebuf &&
      g++ -std=c++20 -O2 "$ZB_ROOT/tests/consumer/main.cpp" -o "$out/consumer-pkgconfig" \
        $(PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --cflags --libs zonebuf) &&
      "$out/consumer-pkgconfig"
  } >"$log" 2>&1; then
    tail -n 40 "$log"
    zb_log "consumer: FAILED"
    ZB_FAILED=$((ZB_FAILED + 1))
    return 1
  fi
  ZB_PASSED=$((ZB_PASSED + 2))
  zb_log "consumer: find_package and pkg-config builds link and run"
  zb_test_consumer_wasm
}

# The same consumer, built with Emscripten against the installed WASM tree and
# run under node. Needs the wasm preset built (the wasm suite does that).
zb_test_consumer_wasm() {
  local prefix=$ZB_BUILD/consumer/wasm-prefix out=$ZB_BUILD/consumer/wasm-build log=$ZB_BUILD/logs/consumer-wasm.log
  [[ -f $ZB_BUILD/wasm/CMakeCache.txt ]] || { zb_log "consumer (wasm): skipped, the wasm preset is not built"; return 0; }
  zb_log "consumer (wasm): installing the wasm build and building tests/consumer with Emscripten"
  rm -rf "$prefix" "$out"
  if ! {
    cmake --build "$ZB_BUILD/wasm" &&
      cmake --install "$ZB_BUILD/wasm" --prefix "$prefix" &&
      emcmake cmake -S "$ZB_ROOT/tests/consumer" -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_ROOT_PATH="$prefix" \
        -DCMAKE_CXX_FLAGS="-fwasm-exceptions -mbulk-memory -msimd128" \
        -DCMAKE_EXE_LINKER_FLAGS="-fwasm-exceptions -sENVIRONMENT=node" \
        -DCMAKE_CROSSCOMPILING_EMULATOR="node;--no-experimental-fetch" &&
      cmake --build "$out" &&
      ctest --test-dir "$out" --output-on-failure
  } >"$log" 2>&1; then
    tail -n 40 "$log" | cut -c1-300
    zb_log "consumer (wasm): FAILED"
    ZB_FAILED=$((ZB_FAILED + 1))
    return 1
  fi
  ZB_PASSED=$((ZB_PASSED + 1))
  zb_log "consumer (wasm): find_package build runs under node"
}
