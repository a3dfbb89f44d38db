# The JavaScript suite (tools/zonebuf test --only js): builds the wasm preset's
# ES module (target zonebuf_js -> build/wasm/js) and the threaded one (preset
# wasm-threads -> build/wasm-threads/js), runs the node --test suite on each
# (the threaded one adds js/test/threads/, leases handed to worker_threads),
# type-checks zonebuf.d.ts with tsc --strict and runs a `using` test compiled
# by it (TypeScript from the npm registry, tools/lib/deps.sh), and, when
# Debian's chromium is installed or installable, checks the example pages
# (the threaded one with a Web Worker) in headless Chromium and saves a
# screenshot to build/js/page.png. Sourced, not run.

# Installs chromium only if apt offers it; the node tests never depend on it.
_zb_js_optional_tools() {
  _zb_deps_installed chromium || ! apt-cache show chromium >/dev/null 2>&1 ||
    _zb_deps_step js-apt "installing chromium (page test)" _zb_deps_apt_install chromium ||
    zb_log "js: could not install chromium; skipping the page test"
}

# Adds one node --test run's counts to the totals; returns its status.
_zb_js_count() {
  local log=$1 status=$2 passed failed
  passed=$(awk '/^# pass /{print $3}' "$log" | tail -n 1)
  failed=$(awk '/^# fail /{print $3}' "$log" | tail -n 1)
  passed=${passed:-0} failed=${failed:-0}
  if [[ $status -ne 0 && $failed -eq 0 ]]; then failed=1; fi
  ZB_PASSED=$((ZB_PASSED + passed))
  ZB_FAILED=$((ZB_FAILED + failed))
  zb_log "js: node --test: $passed passed, $failed failed"
  if [[ $status -ne 0 ]]; then grep -E -A12 '^not ok' "$log" | head -n 60 | sed 's/^/    /'; fi
  return "$status"
}

# Type-checks js/test/types/*.ts against the built package with tsc --strict,
# then compiles using.ts and runs it (`using` on buffers, leases and pools).
_zb_js_typecheck() {
  local tsc=$1 pkg=$2 log=$3 dir
  dir=$(mktemp -d)
  cp "$ZB_ROOT"/js/test/types/{*.ts,*.json} "$dir"/ &&
    mkdir -p "$dir/node_modules" && ln -s "$pkg" "$dir/node_modules/zonebuf" &&
    (cd "$dir" && "$tsc" -p . && "$tsc" -p tsconfig.using.json && node out/using.js) >"$log" 2>&1
  local status=$?
  rm -rf "$dir"
  return $status
}

# Builds target zonebuf_js of PRESET (configured as its test suite does: no
# benchmarks, run.sh) into build/PRESET/js.
_zb_js_build() {
  local preset=$1 log=$ZB_BUILD/logs/build-js-$1.log
  zb_deps_build "$preset" --no-bench || return 1
  zb_log "js: building the ES module (preset $preset, target zonebuf_js)"
  if ! { cmake --preset "$preset" -DZONEBUF_BUILD_BENCHMARKS=OFF &&
    cmake --build --preset "$preset" --target zonebuf_js; } >"$log" 2>&1; then
    tail -n 40 "$log"
    zb_log "js: build FAILED ($preset)"
    return 1
  fi
}

zb_test_js() {
  local pkg=$ZB_BUILD/wasm/js threads=$ZB_BUILD/wasm-threads/js logs=$ZB_BUILD/logs overall=0 status
  mkdir -p "$logs" "$ZB_BUILD/js"
  _zb_js_build wasm || { ZB_FAILED=$((ZB_FAILED + 1)); return 1; }
  _zb_js_build wasm-threads || { ZB_FAILED=$((ZB_FAILED + 1)); overall=1; threads=; }

  status=0
  ZONEBUF_JS_DIR=$pkg node --test "$ZB_ROOT"/js/test/*.test.mjs >"$logs/test-js.log" 2>&1 || status=$?
  _zb_js_count "$logs/test-js.log" "$status" || overall=1
  if [[ -n $threads ]]; then
    zb_log "js: the threaded package (the same suite, and js/test/threads/)"
    status=0
    ZONEBUF_JS_DIR=$threads node --test "$ZB_ROOT"/js/test/*.test.mjs "$ZB_ROOT"/js/test/threads/*.test.mjs \
      >"$logs/test-js-threads.log" 2>&1 || status=$?
    _zb_js_count "$logs/test-js-threads.log" "$status" || overall=1
  fi

  _zb_js_optional_tools
  local tsc
  if tsc=$(zb_deps_typescript); then
    if _zb_js_typecheck "$tsc" "$pkg" "$logs/test-js-types.log"; then
      ZB_PASSED=$((ZB_PASSED + 1))
      zb_log "js: zonebuf.d.ts type-checks (tsc $ZB_TYPESCRIPT_VERSION --strict); the using test ran"
    else
      sed 's/^/    /' "$logs/test-js-types.log" | head -n 20
      ZB_FAILED=$((ZB_FAILED + 1)); overall=1
      zb_log "js: type check FAILED"
    fi
  else
    ZB_FAILED=$((ZB_FAILED + 1)); overall=1
    zb_log "js: could not install typescript@$ZB_TYPESCRIPT_VERSION (npm registry); see build/logs/js-typescript.log"
  fi
  if command -v chromium >/dev/null 2>&1; then
    if node "$ZB_ROOT/js/examples/page-test.mjs" --package "$pkg" --screenshot "$ZB_BUILD/js/page.png" \
      ${threads:+--threads-package "$threads"} >"$logs/test-js-page.log" 2>&1; then
      ZB_PASSED=$((ZB_PASSED + 1))
      zb_log "js: example page${threads:+s (and the threaded one)} ran in headless Chromium (screenshot: build/js/page.png${threads:+, page-threads.png})"
    else
      tail -n 20 "$logs/test-js-page.log" | sed 's/^/    /'
      ZB_FAILED=$((ZB_FAILED + 1)); overall=1
      zb_log "js: page test FAILED"
    fi
  else
    zb_log "js: chromium not available; page test skipped"
  fi
  return $overall
}
