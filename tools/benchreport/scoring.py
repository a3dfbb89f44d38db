"""Ratios against same-run baselines, absolute MB/s, their verdicts, and which rows concern a build."""

from __future__ import annotations

from .results import get
from .targets import RatioSpec, Targets, ThroughputSpec


def ratio(figs: dict[str, float], spec: RatioSpec) -> float | None:
    w, b = get(figs, spec.workload), get(figs, spec.baseline)
    return None if w is None or b is None else w / b


def mbps(figs: dict[str, float], name: str) -> float | None:
    """MB/s (10^6 bytes/s) of NAME, from bytes_per_second figures."""
    bps = get(figs, name)
    return None if bps is None else bps / 1e6


def verdict(r: float | None, target: float | None) -> str:
    if target is None:
        return "info"
    if r is None:
        return "n/a"
    return "PASS" if r >= target else f"MISS ({r / target:.2f} of target)"


def suite_ran(figs: dict[str, float], name: str) -> bool:
    """Whether any benchmark of NAME's suite (its first path segment) ran in this build.

    A build may run a subset of the suites (wasm-threads runs the pool suite
    only): rows of the others are not "missing", they were never asked for."""
    prefix = name.split("/", 1)[0] + "/"
    return any(n.startswith(prefix) for n in figs)


def applies(figs: dict[str, float], spec: RatioSpec) -> bool:
    """Whether a row concerns this build: its suite ran, and it registers at
    least one side of the ratio (the single-threaded WASM build has no
    2-thread runs at all; a missing pmr baseline, in turn, is worth an n/a)."""
    return suite_ran(figs, spec.workload) and (spec.workload in figs or spec.baseline in figs)


def throughput_target(build: str, figs: dict[str, float], spec: ThroughputSpec) -> float | None:
    """The MB/s SPEC asks of BUILD, if it has one there and its suite ran there."""
    target = spec.targets.get(build)
    return target if target is not None and suite_ran(figs, spec.workload) else None


def tally(results) -> tuple[int, int, int]:
    """(PASS, MISS, not measured) of (figure or None, target) pairs."""
    passed = missed = absent = 0
    for value, target in results:
        if value is None:
            absent += 1
        elif value >= target:
            passed += 1
        else:
            missed += 1
    return passed, missed, absent


def targets_summary(targets: Targets, per_build: dict[str, dict[str, float]]) -> tuple[int, int, int]:
    """(PASS, MISS, not measured) over every targeted ratio row of every build it concerns."""
    return tally((ratio(figs, spec), spec.target) for figs in per_build.values() for spec in targets.ratios
                 if spec.target is not None and (ratio(figs, spec) is not None or applies(figs, spec)))


def throughput_summary(targets: Targets, per_build_bytes: dict[str, dict[str, float]]) -> tuple[int, int, int]:
    """(PASS, MISS, not measured) over every throughput row with a target in a build where its suite ran."""
    return tally((mbps(figs, spec.workload), target) for build, figs in per_build_bytes.items()
                 for spec in targets.throughput
                 if (target := throughput_target(build, figs, spec)) is not None)
