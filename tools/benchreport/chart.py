"""The chart (bench.svg): one bar per (targeted row, build), its ratio to the
baseline, and a tick at the target."""

from __future__ import annotations

import html
import math

from .results import build_figures
from .scoring import ratio
from .targets import Targets, default_targets

BUILD_COLORS = {"native": "#3b6ea8", "wasm": "#e08a2c", "wasm-threads": "#5a9e4b"}


def svg_chart(doc: dict, targets: Targets | None = None) -> str:
    targets = targets or default_targets()
    per_build = build_figures(doc)
    builds = list(per_build)
    colors = BUILD_COLORS
    rows = []
    for spec in targets.ratios:
        if spec.target is None:
            continue
        vals = [ratio(per_build[b], spec) for b in builds]
        if any(v is not None for v in vals):
            rows.append((spec, vals))
    bar_h, gap, left, width = 9, 6, 400, 460
    top = 40
    row_h = bar_h * max(1, len(builds)) + gap
    height = top + row_h * max(1, len(rows)) + 30
    vmax = max([2.0] + [v for _, vals in rows for v in vals if v is not None] + [s.target for s, _ in rows])
    vmax = math.ceil(vmax * 2) / 2

    def x(v: float) -> float:
        return left + width * min(v, vmax) / vmax

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 80}" height="{height}" '
             'font-family="sans-serif" font-size="10">',
             f'<text x="10" y="16" font-size="13" font-weight="bold">zonebuf: throughput as a multiple of the '
             'same-run baseline (tick = target)</text>']
    for i, b in enumerate(builds):
        parts.append(f'<rect x="{left + 120 * i}" y="24" width="10" height="10" fill="{colors.get(b, "#777")}"/>'
                     f'<text x="{left + 14 + 120 * i}" y="33">{html.escape(b)}</text>')
    step = 0.5 if vmax <= 4 else 1.0
    v = 0.0
    while v <= vmax + 1e-9:
        parts.append(f'<line x1="{x(v):.1f}" y1="{top - 4}" x2="{x(v):.1f}" y2="{height - 24}" stroke="#ddd"/>'
                     f'<text x="{x(v):.1f}" y="{height - 12}" text-anchor="middle">{v:g}x</text>')
        v += step
    for r, (spec, vals) in enumerate(rows):
        y0 = top + r * row_h
        label = html.escape(f"{spec.workload} / {spec.baseline.rsplit('/', 1)[0]}")
        parts.append(f'<text x="{left - 6}" y="{y0 + bar_h * len(builds) / 2 + 3:.1f}" '
                     f'text-anchor="end">{label}</text>')
        for i, (b, val) in enumerate(zip(builds, vals)):
            y = y0 + i * bar_h
            if val is not None:
                parts.append(f'<rect x="{left}" y="{y}" width="{x(val) - left:.1f}" height="{bar_h - 1}" '
                             f'fill="{colors.get(b, "#777")}"><title>{html.escape(b)}: {val:.2f}x</title></rect>')
        tx = x(spec.target)
        parts.append(f'<line x1="{tx:.1f}" y1="{y0 - 1}" x2="{tx:.1f}" y2="{y0 + bar_h * len(builds)}" '
                     'stroke="#c00" stroke-width="2"/>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
