"""The printed report (bench.md): per build, the zone table, the ratio table
and, for WebAssembly, the published figures of the Kotlin library beside ours."""

from __future__ import annotations

from .results import build_figures, get
from .scoring import applies, ratio, suite_ran, targets_summary, verdict
from .targets import Targets, default_targets
from .units import human, ratio_text

BUILD_TITLES = {
    "native": "Native (g++)",
    "wasm": "WebAssembly (Emscripten, node)",
    "wasm-threads": "WebAssembly with threads (-pthread, SharedArrayBuffer memory; pool suite)",
}
TABLE_ZONES = ("Direct", "Heap")


def zone_table(targets: Targets, figs: dict[str, float]) -> list[str]:
    lines = ["| Operation | Direct ops/s | Heap ops/s | Winner |", "|---|---:|---:|---|"]
    for row in targets.table_rows:
        vals = {z: get(figs, row.names[z]) if z in row.names else None for z in TABLE_ZONES}
        d, h = vals["Direct"], vals["Heap"]
        if d is None or h is None:
            winner = "n/a"
        else:
            best, other = ("Direct", h) if d >= h else ("Heap", d)
            winner = f"{best} ({max(d, h) / other:.2f}x)"
        lines.append(f"| {row.operation} | {human(d)} | {human(h)} | {winner} |")
    return lines


def shows_zone_table(targets: Targets, figs: dict[str, float]) -> bool:
    """Whether a row comparing the zones could have figures here: one that
    names every zone of the table and whose suite ran (a build that ran only
    a one-zone suite would print a table of n/a)."""
    return any(suite_ran(figs, n) for row in targets.table_rows if all(z in row.names for z in TABLE_ZONES)
               for n in row.names.values())


def ratio_table(targets: Targets, figs: dict[str, float]) -> list[str]:
    lines = ["| Workload | Baseline | Ratio | Target | Result |", "|---|---|---:|---:|---|"]
    group = None
    for spec in targets.ratios:
        r = ratio(figs, spec)
        if r is None and (spec.target is None or not applies(figs, spec)):
            continue  # optional rows only appear when measured; rows that do not apply never do
        if spec.group != group:
            group = spec.group
            lines.append(f"| **{group}** | | | | |")
        target = "" if spec.target is None else f">= {spec.target:g}x"
        note = f" ({spec.note})" if spec.note else ""
        lines.append(f"| `{spec.workload}`{note} | `{spec.baseline}` | {ratio_text(r)} | {target} | "
                     f"{verdict(r, spec.target)} |")
    return lines


def published_table(targets: Targets, figs: dict[str, float]) -> list[str]:
    lines = ["| Operation | Zone | Seed (Kotlin, WASM) | zonebuf WASM | zonebuf / seed |", "|---|---|---:|---:|---:|"]
    for row in targets.published_wasm:
        for zone in TABLE_ZONES:
            theirs = row.ops.get(zone)
            ours = get(figs, row.pattern.format(zone=zone))
            x = None if ours is None or theirs is None else ours / theirs
            lines.append(f"| {row.operation} | {zone} | {human(theirs)} | {human(ours)} | {ratio_text(x)} |")
    return lines


def markdown(doc: dict, targets: Targets | None = None) -> str:
    targets = targets or default_targets()
    per_build = build_figures(doc)
    out = ["# zonebuf benchmarks", ""]
    out.append(f"Generated {doc.get('generated', '?')}. Figures are ops/s (Google Benchmark "
               "items_per_second); ratios compare figures from the same run of the same build.")
    if doc.get("node_flags"):
        out.append(f"WebAssembly ran under `node {doc['node_flags']}`.")
    for build, figs in per_build.items():
        out += ["", f"## {BUILD_TITLES.get(build, build)}", ""]
        suites = sorted(doc.get("builds", {}).get(build, {}).keys())
        if suites:
            out += [f"Suites: {', '.join(suites)}.", ""]
        if shows_zone_table(targets, figs):
            out += ["### Zone table", ""] + zone_table(targets, figs) + [""]
        out += ["### Ratios to same-run baselines", ""] + ratio_table(targets, figs)
        if build == "wasm" and targets.published_wasm:
            out += ["", "### Beside the seed's published WebAssembly numbers", ""] + published_table(targets, figs)
    passed, missed, absent = targets_summary(targets, per_build)
    out += ["", f"Targets: {passed} PASS, {missed} MISS, {absent} not measured.", ""]
    return "\n".join(out)
