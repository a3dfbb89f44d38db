"""What the report shows, read from one JSON file per benchmark area.

The files live in tools/bench-targets/ (their README.md documents the
format). Every file is checked as it is read; a file that cannot be used
raises TargetsError naming the file and the entry, so a bad paste fails
loudly instead of silently dropping rows.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import string
from dataclasses import dataclass, field
from pathlib import Path

ZONES = ("Heap", "Direct", "SharedMemory")
BUILDS = ("native", "wasm", "wasm-threads")  # the builds tools/zonebuf bench runs
DEFAULT_DIR = Path(__file__).resolve().parent.parent / "bench-targets"


class TargetsError(ValueError):
    """A targets file that cannot be used; the message starts with its path."""


@dataclass(frozen=True)
class RatioSpec:
    workload: str  # benchmark name
    baseline: str  # benchmark name, same build
    target: float | None  # workload/baseline throughput must be >= target
    group: str
    note: str = ""
    source: str = field(default="", compare=False)  # the targets file it came from
    unit: str = ""  # set: the row also prints both figures in this unit (e.g. "msgs/s")


@dataclass(frozen=True)
class ThroughputSpec:
    """An absolute target: the workload's bytes_per_second, in MB/s (10^6 bytes/s)."""

    workload: str  # benchmark name setting bytes_per_second
    baseline: str  # benchmark name shown beside it (same build), no target of its own
    targets: dict[str, float] = field(hash=False)  # build -> MB/s; a build not named shows the row as info
    group: str
    note: str = ""
    source: str = field(default="", compare=False)


@dataclass(frozen=True)
class TableRow:
    """One row of the zone table: an operation and its benchmark per zone."""

    operation: str
    names: dict[str, str]  # zone -> benchmark name


@dataclass(frozen=True)
class PublishedRow:
    """Figures published for the Kotlin library's WebAssembly build, ops/s per zone."""

    operation: str
    pattern: str  # benchmark name with "{zone}"
    ops: dict[str, float]


@dataclass(frozen=True)
class Targets:
    table_rows: tuple[TableRow, ...]
    ratios: tuple[RatioSpec, ...]
    published_wasm: tuple[PublishedRow, ...]
    files: tuple[Path, ...]
    throughput: tuple[ThroughputSpec, ...] = ()


@functools.lru_cache(maxsize=None)
def default_targets() -> Targets:
    return load_targets(DEFAULT_DIR)


def known_names(targets: Targets | None = None) -> set[str]:
    """Every benchmark name a row of TARGETS (default: the repository's) refers to."""
    targets = targets or default_targets()
    names = {n for row in targets.table_rows for n in row.names.values()}
    for spec in targets.ratios + targets.throughput:
        names.update((spec.workload, spec.baseline))
    return names


def _listed(spec: RatioSpec | ThroughputSpec) -> str:
    if isinstance(spec, RatioSpec):
        target = "-" if spec.target is None else f">= {spec.target:g}x"
    else:
        target = ", ".join(f"{b} >= {mbps:g} MB/s" for b, mbps in spec.targets.items()) or "- MB/s"
    note = f" ({spec.note})" if spec.note else ""
    return f"{spec.source}: [{spec.group}] {spec.workload}{note} / {spec.baseline} {target}"


def listing(targets: Targets) -> list[str]:
    """Every ratio and throughput row as the loader expanded it, file by file: what a pasted area adds."""
    lines = []
    for path in targets.files:
        lines += [_listed(s) for s in targets.ratios + targets.throughput if s.source == path.name]
    lines.append(f"{len(targets.ratios)} ratio rows, {len(targets.throughput)} throughput rows, "
                 f"{len(targets.table_rows)} zone-table rows, {len(targets.published_wasm)} published rows "
                 f"from {len(targets.files)} file(s)")
    return lines


def _first_definitions(path: Path, specs: list, key, what: str, defined_in: dict) -> list:
    """SPECS, refused if one's key is already defined (in this file or an earlier one)."""
    for spec in specs:
        k = key(spec)
        if k in defined_in:
            raise TargetsError(f"{path}: {what.format(s=spec)} is already defined in {defined_in[k]}")
        defined_in[k] = path
    return specs


def load_targets(directory: Path) -> Targets:
    """Every *.json area file of DIRECTORY, in file-name order."""
    files = tuple(sorted(Path(directory).glob("*.json")))
    if not files:
        raise TargetsError(f"{directory}: no *.json targets files (see tools/bench-targets/README.md)")
    table: list[TableRow] = []
    ratios: list[RatioSpec] = []
    published: list[PublishedRow] = []
    throughput: list[ThroughputSpec] = []
    ratio_in: dict[tuple[str, str], Path] = {}
    throughput_in: dict[str, Path] = {}  # one absolute target per workload, whatever its baseline
    for path in files:
        area = _Area(path)
        table += area.table_rows
        published += area.published_wasm
        ratios += _first_definitions(path, area.ratios, lambda s: (s.workload, s.baseline),
                                     "the ratio {s.workload} / {s.baseline}", ratio_in)
        throughput += _first_definitions(path, area.throughput, lambda s: s.workload,
                                         "the throughput row of {s.workload}", throughput_in)
    return Targets(tuple(table), tuple(ratios), tuple(published), files, tuple(throughput))


# ---------------------------------------------------------------------------
# Reading one file.

# Allowed keys and their JSON types; TARGET stands for "a number > 0 or null",
# BUILD_TARGETS for "an object from build name to a number > 0".
TARGET = "target"
BUILD_TARGETS = "targets"
_FILE_KEYS = {"area": str, "about": str, "zone_table": list, "published_wasm": list, "ratios": list,
              "throughput": list}


@dataclass(frozen=True)
class _Section:
    """The keys of a section's rows and blocks; `inherited`, set on a block, is
    the default of every row inside it."""

    inherited: dict

    def row_keys(self) -> dict:
        return {"for": dict, "why": str, **self.inherited, "workload": str, "baseline": str}

    def block_keys(self) -> dict:
        return {"for": dict, "why": str, **self.inherited, "rows": list}


_RATIOS = _Section({"group": str, "target": TARGET, "note": str, "unit": str})
_THROUGHPUT = _Section({"group": str, "targets": BUILD_TARGETS, "note": str})
_JSON_KIND = {str: "string", list: "array", dict: "object", (str, dict): "string or object"}


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


class _Area:
    def __init__(self, path: Path):
        self.path = path
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as err:
            raise self.error("the file", f"is not valid JSON: {err}") from None
        except (OSError, UnicodeDecodeError) as err:
            raise self.error("the file", f"cannot be read: {err}") from None
        self.fields(doc, "the file", _FILE_KEYS, required=("area",))
        self.table_rows = [self.table_row(r, f"zone_table[{i}]") for i, r in enumerate(doc.get("zone_table", []))]
        self.published_wasm = [self.published_row(r, f"published_wasm[{i}]")
                               for i, r in enumerate(doc.get("published_wasm", []))]
        self.ratios = [RatioSpec(
            workload=row["workload"], baseline=row["baseline"], group=row["group"], note=row["note"],
            target=None if row.get("target") is None else float(row["target"]), source=path.name,
            unit=row.get("unit", ""))
            for row in self.section(doc, "ratios", _RATIOS)]
        self.throughput = [ThroughputSpec(
            workload=row["workload"], baseline=row["baseline"], group=row["group"], note=row["note"],
            targets={b: float(v) for b, v in row.get("targets", {}).items()}, source=path.name)
            for row in self.section(doc, "throughput", _THROUGHPUT)]

    def error(self, where: str, what: str) -> TargetsError:
        return TargetsError(f"{self.path}: {where} {what}")

    def fields(self, obj, where: str, allowed: dict, required=()) -> None:
        if not isinstance(obj, dict):
            raise self.error(where, f"must be a JSON object, got {json.dumps(obj)}")
        for key in obj:
            if key not in allowed:
                raise self.error(where, f"has an unknown key {key!r} (allowed: {', '.join(allowed)})")
        for key in required:
            if key not in obj:
                raise self.error(where, f"needs {key!r}")
        for key, kind in allowed.items():
            if key not in obj:
                continue
            value = obj[key]
            if kind == TARGET:
                if value is not None and not (_is_number(value) and value > 0):
                    raise self.error(where, f"has target {json.dumps(value)}; expected a number > 0, or null "
                                            "for a row shown without a target")
            elif kind == BUILD_TARGETS:
                self.build_targets(value, where)
            elif not isinstance(value, kind):
                raise self.error(where, f"has {key!r} = {json.dumps(value)}; expected a JSON {_JSON_KIND[kind]}")

    def fill(self, pattern: str, env: dict[str, str], where: str, key: str) -> str:
        """PATTERN with every {name} replaced by the value of that 'for' name."""
        try:
            names = [field for _, field, _, _ in string.Formatter().parse(pattern) if field is not None]
        except ValueError as err:
            raise self.error(where, f"has a malformed {key} {pattern!r}: {err}") from None
        for name in names:
            if name not in env:
                known = ", ".join(sorted(env)) or "none"
                raise self.error(where, f"uses {{{name}}} in its {key} {pattern!r}, but no enclosing 'for' "
                                        f"sets {name!r} (set here: {known})")
        return pattern.format_map(env)

    def loops(self, spec: dict, where: str, env: dict[str, str]) -> list[dict[str, str]]:
        """Every binding of the 'for' names, the first name the outermost loop."""
        for name, values in spec.items():
            if name in env:
                raise self.error(where, f"sets 'for' name {name!r} again; an enclosing block already does")
            if not (isinstance(values, list) and values and all(isinstance(v, str) for v in values)):
                raise self.error(where, f"has 'for' {name!r} = {json.dumps(values)}; expected a non-empty list "
                                        "of strings")
        return [dict(zip(spec, combo)) for combo in itertools.product(*spec.values())]

    def build_targets(self, value, where: str) -> None:
        if not isinstance(value, dict):
            raise self.error(where, f"has targets {json.dumps(value)}; expected an object from build "
                                    f"({', '.join(BUILDS)}) to MB/s")
        for build, mbps in value.items():
            if build not in BUILDS:
                raise self.error(where, f"has a target for {build!r}, which is not a build "
                                        f"(builds: {', '.join(BUILDS)})")
            if not (_is_number(mbps) and mbps > 0):
                raise self.error(where, f"has targets {build!r} = {json.dumps(mbps)}; expected MB/s, a number > 0 "
                                        "(leave the build out for a row shown without a target)")

    def section(self, doc: dict, name: str, keys: _Section) -> list[dict]:
        """Every row of section NAME as expanded: its strings filled, its block defaults applied."""
        rows: list[dict] = []
        for i, entry in enumerate(doc.get(name, [])):
            self.expand(entry, f"{name}[{i}]", {}, {}, keys, rows)
        return rows

    def expand(self, entry, where: str, env: dict[str, str], inherited: dict, keys: _Section,
               rows: list[dict]) -> None:
        """Appends the rows of one entry (a row, or a block of entries) to ROWS."""
        is_block = isinstance(entry, dict) and "rows" in entry
        if is_block:
            self.fields(entry, where, keys.block_keys())
        else:
            self.fields(entry, where, keys.row_keys(), required=("workload", "baseline"))
        own = {**inherited, **{k: entry[k] for k in keys.inherited if k in entry}}
        if not is_block and "group" not in own:
            raise self.error(where, "needs a 'group' (on the row or on a block around it)")
        for binding in self.loops(entry.get("for", {}), where, env):
            scope = {**env, **binding}
            if is_block:
                for i, sub in enumerate(entry["rows"]):
                    self.expand(sub, f"{where}.rows[{i}]", scope, own, keys, rows)
                continue
            rows.append({**own,
                         "workload": self.fill(entry["workload"], scope, where, "workload"),
                         "baseline": self.fill(entry["baseline"], scope, where, "baseline"),
                         "group": self.fill(own["group"], scope, where, "group"),
                         "note": self.fill(own.get("note", ""), scope, where, "note")})

    def zone_names(self, benchmark, where: str) -> dict[str, str]:
        """zone -> benchmark name, from a "{zone}" pattern or an object naming some zones."""
        if isinstance(benchmark, str):
            return {z: self.fill(benchmark, {"zone": z}, where, "benchmark") for z in ZONES}
        if isinstance(benchmark, dict) and benchmark and all(
                z in ZONES and isinstance(n, str) for z, n in benchmark.items()):
            return dict(benchmark)
        raise self.error(where, f"has benchmark {json.dumps(benchmark)}; expected a name with {{zone}} or an "
                                f"object from zone ({', '.join(ZONES)}) to name")

    def table_row(self, row, where: str) -> TableRow:
        self.fields(row, where, {"operation": str, "benchmark": (str, dict), "why": str},
                    required=("operation", "benchmark"))
        return TableRow(row["operation"], self.zone_names(row["benchmark"], where))

    def published_row(self, row, where: str) -> PublishedRow:
        self.fields(row, where, {"operation": str, "benchmark": str, "ops": dict, "why": str},
                    required=("operation", "benchmark", "ops"))
        self.zone_names(row["benchmark"], where)
        ops = row["ops"]
        if not ops or not all(z in ZONES and _is_number(v) and v > 0 for z, v in ops.items()):
            raise self.error(where, f"has ops {json.dumps(ops)}; expected an object from zone "
                                    f"({', '.join(ZONES)}) to ops/s > 0")
        return PublishedRow(row["operation"], row["benchmark"], {z: float(v) for z, v in ops.items()})

