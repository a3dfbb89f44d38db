# shellcheck shell=bash
# `tools/zonebuf bench` and the benchmark smoke check run by `tools/zonebuf test`.
# Sourced by tools/zonebuf (ZB_ROOT, ZB_BUILD set; run.sh and deps.sh loaded).
#
#   zb_cmd_bench [--quick] [--compare OLD.json] [--threshold F] [--only BUILDS]
#       builds every benchmarks/*_bench.cpp for the native and wasm presets,
#       and the pool suite for wasm-threads (its reason to exist: the
#       MultiThreaded pool on a SharedArrayBuffer), runs them (WASM under
#       node), and writes build/bench/bench.{json,md,svg} through
#       tools/bench-report. BUILDS: comma-separated subset of
#       native,wasm,wasm-threads. With --compare, exits 1 when a benchmark
#       lost more than F (default 0.10) of its throughput against OLD.json.
#   zb_test_bench_smoke
#       every native benchmark once with a tiny min time, then
#       tools/bench-report check: fails if a benchmark the targets name is
#       missing or its figure is not finite. Not a timing assertion.
#       (tools/bench-report's unit tests run in the test command's tools suite.)

# Node flags for WASM benchmarks: no fetch (Emscripten 3.1.6 + node 18+), and
# no Liftoff so every figure comes from TurboFan code, not the baseline tier.
ZB_BENCH_NODE_FLAGS=(--no-experimental-fetch --no-liftoff)
# Full run: median of 3 repetitions (the machines are shared and noisy),
# interleaved at random across the binary's benchmarks, so a workload and its
# baseline sample the same stretches of host load instead of one another's.
ZB_BENCH_FULL_ARGS=(--benchmark_min_time=0.2 --benchmark_min_warmup_time=0.05 --benchmark_repetitions=3
  --benchmark_enable_random_interleaving=true --benchmark_report_aggregates_only=true)
# Google Benchmark 1.7.1 takes plain seconds (the "0.01s" form is 1.8+).
# A short warm-up keeps a cold first iteration (arena reservation, JIT tier-up)
# from being taken as the figure when the min time is this short.
ZB_BENCH_QUICK_ARGS=(--benchmark_min_time=0.01 --benchmark_min_warmup_time=0.005)

# The benchmark targets of PRESET that exist in the source tree, one per line.
_zb_bench_targets() {
  local src
  if [[ $1 == wasm-threads ]]; then
    [[ -e $ZB_ROOT/benchmarks/pool_bench.cpp ]] && echo zonebuf_pool_bench
    return 0
  fi
  for src in "$ZB_ROOT"/benchmarks/*_bench.cpp; do
    [[ $1 == wasm* && $src == */pmr_bench.cpp ]] && continue  # no <memory_resource> in Emscripten 3.1.6
    [[ $1 == wasm* && $src == */ws_echo_bench.cpp ]] && continue  # drives a native epoll server
    [[ -e $src ]] && printf 'zonebuf_%s\n' "$(basename "$src" .cpp)"
  done
}

# Configures PRESET and builds each benchmark target on its own, so a suite
# that does not compile yet costs only its own rows (they print n/a). Sets
# _ZB_BENCH_BUILT to the targets that built; returns 1 if any did not.
_zb_bench_build() {
  local preset=$1 log=$ZB_BUILD/logs/bench-build-$1.log target status=0
  _ZB_BENCH_BUILT=()
  mkdir -p "$ZB_BUILD/logs"
  : >"$log"
  # ON: the test command configures its threaded build without benchmarks.
  if ! cmake --preset "$preset" -DZONEBUF_BUILD_BENCHMARKS=ON >>"$log" 2>&1; then
    tail -n 40 "$log" >&2
    zb_log "bench: configuring '$preset' FAILED (log: ${log#"$ZB_ROOT"/})"
    return 1
  fi
  while read -r target; do
    if cmake --build --preset "$preset" --target "$target" >>"$log" 2>&1; then
      _ZB_BENCH_BUILT+=("$target")
    else
      zb_log "bench: $preset/$target did not build; its rows will be n/a (log: ${log#"$ZB_ROOT"/})"
      status=1
    fi
  done < <(_zb_bench_targets "$preset")
  return $status
}

# _zb_bench_run PRESET OUTDIR ARGS... : builds and runs every benchmark of
# PRESET, one raw Google Benchmark JSON file per binary in OUTDIR. Returns 1
# if any binary failed to build or to run.
_zb_bench_run() {
  local preset=$1 out=$2 status=0 target bin log
  shift 2
  rm -rf "$out"
  mkdir -p "$out"
  _zb_bench_build "$preset" || status=1
  for target in "${_ZB_BENCH_BUILT[@]}"; do
    bin=$ZB_BUILD/$preset/benchmarks/$target
    log=$ZB_BUILD/logs/bench-$preset-$target.log
    local cmd=("$bin")
    [[ $preset == wasm* ]] && cmd=(node "${ZB_BENCH_NODE_FLAGS[@]}" "$bin.js")
    zb_log "bench: running $preset/$target"
    if ! "${cmd[@]}" "$@" --benchmark_format=json --benchmark_out_format=json \
      --benchmark_out="$out/$target.json" >"$log" 2>&1; then
      tail -n 20 "$log" >&2
      zb_log "bench: $preset/$target FAILED (log: ${log#"$ZB_ROOT"/})"
      rm -f "$out/$target.json"
      status=1
    fi
  done
  # The JS interop suite (js/bench/interop-bench.mjs) prints Google-Benchmark-
  # shaped JSON, so it merges into the WASM build's figures like a binary.
  if [[ $preset == wasm ]]; then
    local js_min_ms=200 arg
    for arg in "$@"; do [[ $arg == *min_time=0.01* ]] && js_min_ms=20; done
    log=$ZB_BUILD/logs/bench-$preset-js_interop.log
    zb_log "bench: running $preset/js_interop (node, no flags)"
    if ! { cmake --build "$ZB_BUILD/$preset" --target zonebuf_js &&
      node "$ZB_ROOT/js/bench/interop-bench.mjs" --package "$ZB_BUILD/$preset/js" --min-ms "$js_min_ms" \
        >"$out/zonebuf_js_interop_bench.json"; } >"$log" 2>&1; then
      tail -n 20 "$log" >&2
      zb_log "bench: $preset/js_interop FAILED (log: ${log#"$ZB_ROOT"/})"
      rm -f "$out/zonebuf_js_interop_bench.json"
      status=1
    fi
  fi
  return $status
}

zb_cmd_bench() {
  local quick=0 compare="" threshold=0.10 only="native,wasm,wasm-threads" started=$SECONDS status=0
  while [[ $# -gt 0 ]]; do
    case $1 in
      --quick) quick=1; shift ;;
      --compare) compare=${2:?--compare needs OLD.json}; shift 2 ;;
      --threshold) threshold=${2:?--threshold needs a fraction, e.g. 0.10}; shift 2 ;;
      --only) only=${2:?--only needs a comma-separated subset of native,wasm,wasm-threads}; shift 2 ;;
      *) echo "zonebuf bench: unknown option $1 (expected --quick, --compare OLD.json, --threshold F, --only BUILDS)" >&2
        return 2 ;;
    esac
  done
  if [[ -n $compare && ! -r $compare ]]; then
    echo "zonebuf bench: cannot read '$compare'; pass a bench.json from an earlier run" >&2
    return 2
  fi
  # Copy it now: it may be the very file this run overwrites.
  local old=""
  if [[ -n $compare ]]; then
    old=$(mktemp)
    cp "$compare" "$old"
  fi
  local args=("${ZB_BENCH_FULL_ARGS[@]}")
  [[ $quick -eq 1 ]] && args=("${ZB_BENCH_QUICK_ARGS[@]}")

  zb_deps_apt
  zb_deps_sources
  local out=$ZB_BUILD/bench build builds=()
  for build in ${only//,/ }; do
    case $build in
      native | wasm | wasm-threads) ;;
      *) echo "zonebuf bench: unknown build '$build' (expected native, wasm, wasm-threads)" >&2; return 2 ;;
    esac
    zb_deps_build "$(zb_flavor_of "$build")"
    _zb_bench_run "$build" "$out/raw/$build" "${args[@]}" || status=1
    builds+=(--build "$build=$out/raw/$build")
  done
  python3 "$ZB_ROOT/tools/bench-report" report "${builds[@]}" --node-flags "${ZB_BENCH_NODE_FLAGS[*]}" --out "$out" ||
    status=1
  if [[ -n $old ]]; then
    zb_log "bench: comparing with $compare (threshold $threshold)"
    python3 "$ZB_ROOT/tools/bench-report" compare "$old" "$out/bench.json" --threshold "$threshold" || status=1
    rm -f "$old"
  fi
  zb_log "bench: done in $((SECONDS - started)) s; report in ${out#"$ZB_ROOT"/}/bench.md"
  return $status
}

zb_test_bench_smoke() {
  local log=$ZB_BUILD/logs/bench-smoke.log out=$ZB_BUILD/bench/smoke
  mkdir -p "$ZB_BUILD/logs"
  zb_log "bench smoke: every native benchmark once (${ZB_BENCH_QUICK_ARGS[*]})"
  zb_deps_build native
  if ! _zb_bench_run native "$out" "${ZB_BENCH_QUICK_ARGS[@]}" >"$log" 2>&1 ||
    ! python3 "$ZB_ROOT/tools/bench-report" check "$out"/*.json >>"$log" 2>&1; then
    grep -E 'bench check|FAILED|did not build' "$log" | head -n 40 | sed 's/^/    /'
    zb_log "bench smoke: FAILED (log: ${log#"$ZB_ROOT"/})"
    ZB_FAILED=$((ZB_FAILED + 1))
    return 1
  fi
  grep 'bench check' "$log" | sed 's/^/    /'
  ZB_PASSED=$((ZB_PASSED + 1))
}
