"""Google Benchmark JSON in, throughput figures out.

Figures are throughput ("ops/s"): items_per_second when the benchmark sets
it, else iterations per second of its time (real time for /real_time runs).
Throughput rows read bytes_per_second instead (pass it as `value`).
A paired benchmark NAME (benchmarks/support/paired.hpp: counters
baseline_ns and ratio, its two sides timed in alternating chunks) also gives
two throughput figures, NAME/baseline (from its median chunk) and
NAME/workload (NAME/baseline times the median of the chunk pairs' ratios), so
a ratio row comparing them reads that median: the paired estimate, which the
host's load moves far less than the two sides' own figures.
"""

from __future__ import annotations

import datetime
import json
import math
import sys
from pathlib import Path

FORMAT = "zonebuf-bench/1"

_UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def ops_per_second(entry: dict) -> float:
    """Throughput of one Google Benchmark entry (nan if it has none)."""
    ips = entry.get("items_per_second")
    if isinstance(ips, (int, float)):
        return float(ips)
    use_real = "/real_time" in str(entry.get("name", ""))
    t = entry.get("real_time" if use_real else "cpu_time")
    if not isinstance(t, (int, float)) or t <= 0:
        return math.nan
    return 1e9 / (float(t) * _UNIT_NS.get(entry.get("time_unit", "ns"), 1.0))


def bytes_per_second(entry: dict) -> float:
    """Bytes/s of one Google Benchmark entry (nan if it sets none)."""
    bps = entry.get("bytes_per_second")
    return float(bps) if isinstance(bps, (int, float)) and not isinstance(bps, bool) else math.nan


def _counter(entry: dict, name: str) -> float:
    v = entry.get(name)
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0 else math.nan


def _values(entry: dict, name: str, value) -> list[tuple[str, float]]:
    """(figure name, figure) pairs of one entry: its own, and its sides if it is paired."""
    out = [(name, value(entry))]
    if value is ops_per_second and "baseline_ns" in entry and "ratio" in entry:
        baseline = 1e9 / _counter(entry, "baseline_ns")
        out += [(f"{name}/workload", baseline * _counter(entry, "ratio")), (f"{name}/baseline", baseline)]
    return out


def figures(raw: dict, value=ops_per_second) -> dict[str, float]:
    """name -> ops/s (or value(entry)) for one raw Google Benchmark JSON document.

    With repetitions, the median aggregate wins; otherwise the mean of the
    iteration runs. Errored runs count as nan (check reports them)."""
    runs: dict[str, list[float]] = {}
    medians: dict[str, float] = {}
    for entry in raw.get("benchmarks", []):
        name = entry.get("run_name") or entry.get("name", "")
        if entry.get("error_occurred"):
            for figure, _ in _values(entry, name, value):
                runs.setdefault(figure, []).append(math.nan)
        elif entry.get("run_type") == "aggregate":
            if entry.get("aggregate_name") == "median":
                medians.update(_values(entry, name, value))
        else:
            for figure, v in _values(entry, name, value):
                runs.setdefault(figure, []).append(v)
    out = {name: sum(vals) / len(vals) for name, vals in runs.items()}
    out.update(medians)
    return out


def get(figs: dict[str, float], name: str) -> float | None:
    """The figure of NAME if it is a usable throughput, else None."""
    v = figs.get(name)
    return v if v is not None and math.isfinite(v) and v > 0 else None


def load_json(path: Path) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def is_merged(doc: dict) -> bool:
    return doc.get("format") == FORMAT and isinstance(doc.get("builds"), dict)


def build_figures(doc: dict, value=ops_per_second) -> dict[str, dict[str, float]]:
    """build -> name -> ops/s (or value(entry)), from a merged document or one raw GB document."""
    if not is_merged(doc):
        return {"default": figures(doc, value)}
    out: dict[str, dict[str, float]] = {}
    for build, suites in doc["builds"].items():
        merged: dict[str, float] = {}
        for raw in suites.values():
            merged.update(figures(raw, value))
        out[build] = merged
    return out


def merge(build_dirs: dict[str, Path], node_flags: str = "") -> dict:
    """One merged document from directories of per-binary raw JSON files."""
    doc = {
        "format": FORMAT,
        "generated": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "node_flags": node_flags,
        "builds": {},
    }
    for build, directory in build_dirs.items():
        suites = {}
        for path in sorted(Path(directory).glob("*.json")):
            try:
                suites[path.stem] = load_json(path)
            except (OSError, json.JSONDecodeError) as err:
                print(f"bench-report: skipping {path}: {err}", file=sys.stderr)
        doc["builds"][build] = suites
    return doc
