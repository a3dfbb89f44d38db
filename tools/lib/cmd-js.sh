# The JavaScript suite (tools/zonebuf test --only js): builds the wasm preset's
# ES module (target zonebuf_js -> build/wasm/js), runs the node --test suite
# on it, type-checks zonebuf.d.ts when tsc is present, and, when Debian's
# chromium is installed or installable, checks the example page in headless
# Chromium and saves a screenshot to build/js/page.png. Sourced, not run.

# Installs chromium (and the TypeScript compiler) only if apt offers them;
# the node tests never depend on either.
_zb_js_optional_tools() {
  local pkg missing=()
  for pkg in chromium node-typescript; do
    _zb_deps_installed "$pkg" || { apt-cache show "$pkg" >/dev/null 2>&1 && missing+=("$pkg"); }
  done
  [ ${#missing[@]} -eq 0 ] ||
    _zb_deps_step js-apt "installing ${missing[*]} (page test, type check)" _zb_deps_apt_install "${missing[@]}" ||
    zb_log "js: could not install ${missing[*]}; skipping what needs them"
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

# Compiles js/test/types/usage.ts against the built package with tsc --strict.
_zb_js_typecheck() {
  local pkg=$1 log=$2 dir
  dir=$(mktemp -d)
  cp "$ZB_ROOT"/js/test/types/{usage.ts,tsconfig.json,package.json} "$dir"/ &&
    mkdir -p "$dir/node_modules" && ln -s "$pkg" "$dir/node_modules/zonebuf" &&
    (cd "$dir" && tsc -p .) >"$log" 2>&1
  local status=$?
  rm -rf "$dir"
  return $status
}

zb_test_js() {
  local pkg=$ZB_BUILD/wasm/js logs=$ZB_BUILD/logs overall=0 status
  mkdir -p "$logs" "$ZB_BUILD/js"
  zb_deps_build wasm || { ZB_FAILED=$((ZB_FAILED + 1)); return 1; }
  zb_log "js: building the ES module (preset wasm, target zonebuf_js)"
  if ! { cmake --preset wasm && cmake --build --preset wasm --target zonebuf_js; } >"$logs/build-js.log" 2>&1; then
    tail -n 40 "$logs/build-js.log"
    zb_log "js: build FAILED"
    ZB_FAILED=$((ZB_FAILED + 1))
    return 1
  fi

  status=0
  ZONEBUF_JS_DIR=$pkg node --test "$ZB_ROOT"/js/test/*.test.mjs >"$logs/test-js.log" 2>&1 || status=$?
  _zb_js_count "$logs/test-js.log" "$status" || overall=1

  _zb_js_optional_tools
  if command -v tsc >/dev/null 2>&1; then
    if _zb_js_typecheck "$pkg" "$logs/test-js-types.log"; then
      ZB_PASSED=$((ZB_PASSED + 1))
      zb_log "js: zonebuf.d.ts type-checks (tsc --strict)"
    else
      sed 's/^/    /' "$logs/test-js-types.log" | head -n 20
      ZB_FAILED=$((ZB_FAILED + 1)); overall=1
      zb_log "js: type check FAILED"
    fi
  fi
  if command -v chromium >/dev/null 2>&1; then
    if node "$ZB_ROOT/js/examples/page-test.mjs" --package "$pkg" --screenshot "$ZB_BUILD/js/page.png" \
      >"$logs/test-js-page.log" 2>&1; then
      ZB_PASSED=$((ZB_PASSED + 1))
      zb_log "js: example page ran in headless Chromium (screenshot: build/js/page.png)"
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
