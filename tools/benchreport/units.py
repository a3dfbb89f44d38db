"""How figures and ratios print."""

from __future__ import annotations

import math


def human(ops: float | None) -> str:
    if ops is None or not math.isfinite(ops):
        return "n/a"
    for scale, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if ops >= scale:
            return f"{ops / scale:.3g}{suffix}"
    return f"{ops:.3g}"


def mb_text(mbps: float | None) -> str:
    return "n/a" if mbps is None or not math.isfinite(mbps) else f"{mbps:,.0f}"


def ratio_text(r: float | None) -> str:
    return "n/a" if r is None or not math.isfinite(r) else f"{r:.2f}x"
