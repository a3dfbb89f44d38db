"""Ratios against same-run baselines, their verdicts, and which rows concern a build."""

from __future__ import annotations

from .results import get
from .targets import RatioSpec, Targets


def ratio(figs: dict[str, float], spec: RatioSpec) -> float | None:
    w, b = get(figs, spec.workload), get(figs, spec.baseline)
    return None if w is None or b is None else w / b


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


def targets_summary(targets: Targets, per_build: dict[str, dict[str, float]]) -> tuple[int, int, int]:
    """(PASS, MISS, not measured) over every targeted row of every build it concerns."""
    passed = missed = absent = 0
    for figs in per_build.values():
        for spec in targets.ratios:
            if spec.target is None:
                continue
            r = ratio(figs, spec)
            if r is None and not applies(figs, spec):
                continue
            if r is None:
                absent += 1
            elif r >= spec.target:
                passed += 1
            else:
                missed += 1
    return passed, missed, absent
