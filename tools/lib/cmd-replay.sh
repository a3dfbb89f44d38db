# tools/zonebuf replay TRACE [--config POOL.json ...] [--json] [--out FILE]
#                            [--compare OLD.json] [--threshold F] [--min-time S]
# Builds the native replayer (tools/replay) if needed and runs it: the trace
# goes through each zone, each pool config, mimalloc and
# unsynchronized_pool_resource; exit 1 on a --compare regression, 2 on bad
# input (docs/workload-ci.md).

zb_cmd_replay() {
  local log=$ZB_BUILD/logs/build-replay.log
  mkdir -p "$ZB_BUILD/logs"
  if ! { [[ -f $ZB_BUILD/native/CMakeCache.txt ]] || cmake --preset native; } >"$log" 2>&1 ||
    ! cmake --build "$ZB_BUILD/native" --target zonebuf_replay >>"$log" 2>&1; then
    tail -n 40 "$log" >&2
    zb_log "replay: building zonebuf_replay FAILED (log: ${log#"$ZB_ROOT"/})"
    return 2
  fi
  "$ZB_BUILD/native/tools/replay/zonebuf_replay" "$@"
}
