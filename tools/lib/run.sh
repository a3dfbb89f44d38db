# Building presets and running suites for tools/zonebuf. Sourced, not run.

zb_log() { printf '[zonebuf %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

# The dependency prefix a preset builds against.
zb_flavor_of() {
  case $1 in
    native | debug | fuzz) echo native ;;
    *) echo "$1" ;;
  esac
}

# zb_build_preset PRESET [CMAKE_ARGS...]: the arguments go to the configure step.
zb_build_preset() {
  local preset=$1 log=$ZB_BUILD/logs/build-$1.log
  shift
  mkdir -p "$ZB_BUILD/logs"
  zb_log "configuring and building preset '$preset' (log: ${log#"$ZB_ROOT"/})"
  if ! { cmake --preset "$preset" "$@" && cmake --build --preset "$preset"; } >"$log" 2>&1; then
    tail -n 60 "$log"
    zb_log "build of '$preset' FAILED"
    return 1
  fi
}

# Totals over every suite run, printed as the closing line.
ZB_PASSED=0
ZB_FAILED=0

# Runs a preset's ctest and adds its GoogleTest counts to the totals.
zb_ctest_preset() {
  local preset=$1 log=$ZB_BUILD/logs/test-$1.log status=0
  shift
  zb_log "testing preset '$preset'"
  ctest --preset "$preset" -V "$@" >"$log" 2>&1 || status=$?
  grep -E '^[0-9]+/[0-9]+ Test|tests passed|tests failed' "$log" | sed 's/^/    /'
  local passed failed
  passed=$(grep -oE '\[  PASSED  \] [0-9]+ test' "$log" | awk '{s += $4} END {print s + 0}')
  failed=$(grep -oE '\[  FAILED  \] [0-9]+ test' "$log" | awk '{s += $4} END {print s + 0}')
  # Suites that are not GoogleTest (fuzzers) count as one test per ctest entry.
  if [[ $passed -eq 0 && $status -eq 0 ]]; then
    passed=$(grep -oE 'tests passed, 0 tests failed out of [0-9]+' "$log" | awk '{s += $NF} END {print s + 0}')
  fi
  if [[ $status -ne 0 && $failed -eq 0 ]]; then failed=1; fi
  zb_log "$preset: $passed GoogleTest tests passed, $failed failed"
  ZB_PASSED=$((ZB_PASSED + passed))
  ZB_FAILED=$((ZB_FAILED + failed))
  if [[ $status -ne 0 ]]; then
    grep -E '\[  FAILED  \]|Failure|ERROR|error:|Sanitizer' "$log" | head -n 40 | sed 's/^/    /'
  fi
  return $status
}

# Python unittests of the tools (pool-tune, bench-report).
zb_test_tools() {
  local log=$ZB_BUILD/logs/test-tools.log status=0
  [[ -d $ZB_ROOT/tests/tools ]] || return 0
  zb_log "testing tools (python unittest)"
  python3 -m unittest discover -s "$ZB_ROOT/tests/tools" -p 'test_*.py' -v >"$log" 2>&1 || status=$?
  local ran
  ran=$(grep -oE '^Ran [0-9]+ test' "$log" | awk '{print $2}')
  ran=${ran:-0}
  if [[ $status -eq 0 ]]; then
    ZB_PASSED=$((ZB_PASSED + ran))
    zb_log "tools: $ran tests passed"
  else
    tail -n 40 "$log"
    ZB_FAILED=$((ZB_FAILED + 1))
    zb_log "tools: FAILED"
  fi
  return $status
}

# Every suite `tools/zonebuf test` runs, in order: the default of --only,
# and the list its usage prints.
ZB_TEST_SUITES=native,asan,tsan,wasm,wasm-threads,fuzz,consumer,tools,js,bench

zb_cmd_test() {
  local only=$ZB_TEST_SUITES started=$SECONDS overall=0 suite
  while [[ $# -gt 0 ]]; do
    case $1 in
      --only)
        if [[ $# -lt 2 || -z $2 ]]; then
          echo "zonebuf test: --only needs a comma-separated subset of $ZB_TEST_SUITES" >&2; return 2
        fi
        only=$2; shift 2 ;;
      *) echo "zonebuf test: unknown option $1" >&2; return 2 ;;
    esac
  done
  # Every name is checked before anything is installed or built.
  for suite in ${only//,/ }; do
    if [[ ,$ZB_TEST_SUITES, != *,$suite,* ]]; then
      echo "zonebuf test: unknown suite '$suite' (expected a comma-separated subset of $ZB_TEST_SUITES)" >&2
      return 2
    fi
  done
  zb_deps_apt
  zb_deps_sources
  for suite in ${only//,/ }; do
    case $suite in
      native | asan | tsan | wasm | wasm-threads | fuzz)
        # The WASM builds test without their benchmarks (and so without
        # building Google Benchmark for WebAssembly): the native build
        # compiles and runs every benchmark once (bench smoke), and
        # `tools/zonebuf bench` builds the WASM ones with their dependency.
        local skip_bench=()
        [[ $suite == wasm* ]] && skip_bench=(-DZONEBUF_BUILD_BENCHMARKS=OFF)
        zb_deps_build "$(zb_flavor_of "$suite")" ${skip_bench:+--no-bench}
        if zb_build_preset "$suite" "${skip_bench[@]}"; then
          zb_ctest_preset "$suite" || overall=1
        else
          overall=1; ZB_FAILED=$((ZB_FAILED + 1))
        fi
        ;;
      consumer)
        if declare -F zb_test_consumer >/dev/null; then zb_test_consumer || overall=1; fi ;;
      js)
        if declare -F zb_test_js >/dev/null; then zb_test_js || overall=1; fi ;;
      tools) zb_test_tools || overall=1 ;;
      bench)
        if declare -F zb_test_bench_smoke >/dev/null; then zb_test_bench_smoke || overall=1; fi ;;
    esac
  done
  zb_log "all suites done in $((SECONDS - started)) s"
  echo "zonebuf: $ZB_PASSED passed, $ZB_FAILED failed"
  return $overall
}
