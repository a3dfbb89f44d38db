"""The printed report (bench.md): per build, the zone table, the ratio table,
the throughput table (MB/s) and, for WebAssembly, the published figures of the
Kotlin library beside ours."""

from __future__ import annotations

from .results import build_figures, bytes_per_second, get
from .scoring import (applies, mbps, ratio, suite_ran, targets_summary, throughput_summary, throughput_target,
                      verdict)
from .targets import Targets, default_targets
from .units import human, mb_text, ratio_text

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


def grouped(header: str, align: str, rows) -> list[str]:
    """A table (HEADER, ALIGN), each (group, cells) row under a bold heading whenever its group changes."""
    columns = header.count("|") - 1
    lines = [header, align]
    group = None
    for row_group, cells in rows:
        if row_group != group:
            group = row_group
            lines.append(f"| **{group}** |" + " |" * (columns - 1))
        lines.append(f"| {' | '.join(cells)} |")
    return lines


def ratio_table(targets: Targets, figs: dict[str, float]) -> list[str]:
    def rows():
        for spec in targets.ratios:
            r = ratio(figs, spec)
            if r is None and (spec.target is None or not applies(figs, spec)):
                continue  # optional rows only appear when measured; rows that do not apply never do
            target = "" if spec.target is None else f">= {spec.target:g}x"
            notes = [spec.note] if spec.note else []
            if spec.unit and r is not None:
                notes.append(f"{human(get(figs, spec.workload))} vs {human(get(figs, spec.baseline))} {spec.unit}")
            note = f" ({'; '.join(notes)})" if notes else ""
            yield spec.group, (f"`{spec.workload}`{note}", f"`{spec.baseline}`", ratio_text(r), target,
                               verdict(r, spec.target))
    return grouped("| Workload | Baseline | Ratio | Target | Result |", "|---|---|---:|---:|---|", rows())


def throughput_table(targets: Targets, build: str, figs: dict[str, float]) -> list[str]:
    """The throughput rows concerning BUILD, from its bytes_per_second figures (empty if none)."""
    def rows():
        for spec in targets.throughput:
            w = mbps(figs, spec.workload)
            target = throughput_target(build, figs, spec)
            if w is None and target is None:
                continue  # as in the ratio table: a row without a target shows only when measured
            shown = "" if target is None else f">= {target:,.0f}"
            note = f" ({spec.note})" if spec.note else ""
            yield spec.group, (f"`{spec.workload}`{note}", mb_text(w), f"`{spec.baseline}`",
                               mb_text(mbps(figs, spec.baseline)), shown, verdict(w, target))
    lines = grouped("| Workload | MB/s | Baseline | Baseline MB/s | Target | Result |",
                    "|---|---:|---|---:|---:|---|", rows())
    return lines if len(lines) > 2 else []


def published_table(targets: Targets, figs: dict[str, float]) -> list[str]:
    lines = ["| Operation | Zone | Kotlin library, published (WASM) | zonebuf WASM | zonebuf / Kotlin |", "|---|---|---:|---:|---:|"]
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
    per_build_bytes = build_figures(doc, bytes_per_second)
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
        throughput = throughput_table(targets, build, per_build_bytes[build])
        if throughput:
            out += ["", "### Throughput (MB/s = 10^6 bytes/s of input)", ""] + throughput
        if build == "wasm" and targets.published_wasm:
            out += ["", "### Beside the Kotlin Multiplatform library's published WebAssembly numbers", ""] + published_table(targets, figs)
    passed, missed, absent = (a + b for a, b in zip(targets_summary(targets, per_build),
                                                   throughput_summary(targets, per_build_bytes)))
    out += ["", f"Targets: {passed} PASS, {missed} MISS, {absent} not measured.", ""]
    return "\n".join(out)
