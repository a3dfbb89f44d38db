"""The compare command (NEW/OLD per benchmark) and the check command (every
benchmark the targets name ran, with a finite figure)."""

from __future__ import annotations

import math

from .results import build_figures, get
from .targets import Targets, known_names
from .units import human


def compare(old_doc: dict, new_doc: dict, threshold: float) -> tuple[list[str], int]:
    """Lines to print and the number of regressions beyond threshold."""
    old, new = build_figures(old_doc), build_figures(new_doc)
    # A raw file compared with a merged one: match the raw file to every build.
    if list(old) == ["default"] and list(new) != ["default"]:
        old = {b: old["default"] for b in new}
    if list(new) == ["default"] and list(old) != ["default"]:
        new = {b: new["default"] for b in old}
    lines = [f"{'build':<8} {'benchmark':<52} {'old ops/s':>10} {'new ops/s':>10} {'new/old':>8}"]
    regressions = 0
    for build in sorted(set(old) & set(new)):
        for name in sorted(set(old[build]) | set(new[build])):
            o, n = get(old[build], name), get(new[build], name)
            if o is None or n is None:
                flag = "only in old" if n is None and o is not None else "only in new" if o is None and n else ""
                if flag:
                    lines.append(f"{build:<8} {name:<52} {human(o):>10} {human(n):>10} {'':>8}  {flag}")
                continue
            r = n / o
            flag = ""
            if r < 1 - threshold:
                flag = f"  REGRESSION (> {threshold:.0%} slower)"
                regressions += 1
            elif r > 1 + threshold:
                flag = "  faster"
            lines.append(f"{build:<8} {name:<52} {human(o):>10} {human(n):>10} {r:>7.2f}x{flag}")
    lines.append(f"{regressions} regression(s) beyond {threshold:.0%}")
    return lines, regressions


def check(docs: list[dict], require_all: bool, targets: Targets | None = None) -> list[str]:
    """Problems: known benchmarks missing (from a suite that ran) or not finite."""
    problems = []
    figs: dict[str, float] = {}
    for doc in docs:
        for f in build_figures(doc).values():
            figs.update(f)
    if not figs:
        return ["no benchmark results at all"]
    for name, v in sorted(figs.items()):
        if not (math.isfinite(v) and v > 0):
            problems.append(f"{name}: figure is {v!r}, expected a finite positive throughput")
    families = {name.split("/", 1)[0] for name in figs}
    for name in sorted(known_names(targets)):
        if name not in figs and (require_all or name.split("/", 1)[0] in families):
            problems.append(f"{name}: expected benchmark did not run")
    return problems
