"""Unit tests of the targets loader behind tools/bench-report (tools/bench-targets/*.json).

Run: python3 -m unittest discover -s tests/tools -p 'test_*.py'
"""

import contextlib
import io
import json
import shutil
import tempfile
import unittest
from pathlib import Path

from tool_module import FIXTURES, load_tool

br = load_tool("bench-report", "bench_report")

STREAM_AREA = {
    "area": "Stream parsing",
    "ratios": [
        {"for": {"size": ["1KiB", "64KiB"]}, "group": "Stream vs one buffer", "target": 0.5, "rows": [
            {"workload": "stream/fields/{size}", "baseline": "stream/one_buffer/{size}"},
            {"workload": "stream/split/{size}", "baseline": "stream/one_buffer/{size}", "target": None,
             "note": "chunk boundary every 7 bytes"},
        ]},
    ],
}


def gbench(**ops):
    """A raw Google Benchmark document: name -> items_per_second."""
    return {"benchmarks": [{"name": n, "run_type": "iteration", "items_per_second": v} for n, v in ops.items()]}


def run_cli(*argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = br.main(list(argv))
    return code, out.getvalue(), err.getvalue()


class TargetsDirTest(unittest.TestCase):
    """Each test gets a copy of the repository's targets folder to add files to."""

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="bench-targets-test-"))
        self.addCleanup(shutil.rmtree, self.tmp)
        self.dir = self.tmp / "targets"
        shutil.copytree(br.DEFAULT_DIR, self.dir)
        # The tests' new area (99-stream.json, after every real one) reuses the
        # stream suite's benchmark names: it stands in for the real stream area.
        (self.dir / "70-stream.json").unlink(missing_ok=True)

    def add(self, name, content):
        path = self.dir / name
        path.write_text(content if isinstance(content, str) else json.dumps(content, indent=1))
        return path

    def native_results(self, raw):
        """A native build folder holding RAW as stream_bench.json; returns the folder and the file."""
        build = self.tmp / "native"
        build.mkdir()
        path = build / "stream_bench.json"
        path.write_text(json.dumps(raw))
        return build, path

    def assert_refused(self, content, *fragments, name="70-bad.json"):
        path = self.add(name, content)
        with self.assertRaises(br.TargetsError) as ctx:
            br.load_targets(self.dir)
        message = str(ctx.exception)
        self.assertTrue(message.startswith(f"{path}: "), message)
        for fragment in fragments:
            self.assertIn(fragment, message)
        return message


class RepositoryTargetsTest(unittest.TestCase):
    def test_every_area_loads_and_every_file_names_its_area(self):
        targets = br.load_targets(br.DEFAULT_DIR)
        self.assertGreaterEqual(len(targets.files), 6)
        for path in targets.files:
            self.assertTrue(json.loads(path.read_text())["area"], path)
        self.assertIn(br.RatioSpec("alloc/Direct/1KiB", "alloc/mimalloc/1KiB", 3.0,
                                   "W3 allocation vs mimalloc malloc/free"), targets.ratios)



class NestedLoopTest(unittest.TestCase):
    """Expansion order on an area of its own, so the repository's rows may change."""

    AREA = {
        "area": "W1-like",
        "ratios": [
            {"for": {"order": ["BigEndian", "LittleEndian"]}, "target": 0.7, "rows": [
                {"for": {"zone": ["Heap", "Direct", "SharedMemory"]},
                 "workload": "primitive/per_op/{zone}/{order}", "baseline": "primitive/raw_scalar/{order}",
                 "group": "per op"},
                {"for": {"zone": ["Heap", "Direct", "SharedMemory"]},
                 "workload": "primitive/bulk/{zone}/{order}", "baseline": "primitive/raw_vector/{order}",
                 "group": "bulk"},
            ]},
        ],
    }

    def test_nested_for_expands_outer_loop_first_and_blocks_repeat_their_rows_in_order(self):
        tmp = Path(tempfile.mkdtemp(prefix="bench-targets-nested-"))
        self.addCleanup(shutil.rmtree, tmp)
        (tmp / "10-w1.json").write_text(json.dumps(self.AREA))
        w1 = list(br.load_targets(tmp).ratios)
        self.assertEqual([s.workload for s in w1[:4]], [
            "primitive/per_op/Heap/BigEndian", "primitive/per_op/Direct/BigEndian",
            "primitive/per_op/SharedMemory/BigEndian", "primitive/bulk/Heap/BigEndian"])
        self.assertEqual(w1[6].workload, "primitive/per_op/Heap/LittleEndian")
        self.assertTrue(all(s.target == 0.7 for s in w1))  # inherited from the block


class NewAreaTest(TargetsDirTest):
    def test_a_new_area_file_adds_its_rows_after_the_others(self):
        self.add("99-stream.json", STREAM_AREA)
        targets = br.load_targets(self.dir)
        self.assertEqual(targets.files[-1].name, "99-stream.json")
        self.assertEqual(targets.ratios[-4:], (
            br.RatioSpec("stream/fields/1KiB", "stream/one_buffer/1KiB", 0.5, "Stream vs one buffer"),
            br.RatioSpec("stream/split/1KiB", "stream/one_buffer/1KiB", None, "Stream vs one buffer",
                         "chunk boundary every 7 bytes"),
            br.RatioSpec("stream/fields/64KiB", "stream/one_buffer/64KiB", 0.5, "Stream vs one buffer"),
            br.RatioSpec("stream/split/64KiB", "stream/one_buffer/64KiB", None, "Stream vs one buffer",
                         "chunk boundary every 7 bytes"),
        ))
        self.assertIn("stream/split/64KiB", br.known_names(targets))

    def test_report_renders_the_new_rows_and_check_expects_them(self):
        self.add("99-stream.json", STREAM_AREA)
        build, results = self.native_results(gbench(**{
            "stream/fields/1KiB": 3e6, "stream/one_buffer/1KiB": 4e6, "stream/split/1KiB": 1e6,
            "stream/one_buffer/64KiB": 1e5}))
        out = self.tmp / "out"
        code, text, _ = run_cli("report", "--targets", str(self.dir), "--build", f"native={build}",
                                "--out", str(out))
        self.assertEqual(code, 0)
        self.assertIn("| **Stream vs one buffer** | | | | |", text)
        self.assertIn("| `stream/fields/1KiB` | `stream/one_buffer/1KiB` | 0.75x | >= 0.5x | PASS |", text)
        self.assertIn("| `stream/split/1KiB` (chunk boundary every 7 bytes) | `stream/one_buffer/1KiB` | 0.25x "
                      "|  | info |", text)
        self.assertIn("| `stream/fields/64KiB` | `stream/one_buffer/64KiB` | n/a | >= 0.5x | n/a |", text)
        self.assertIn("Targets: 1 PASS, 0 MISS, 1 not measured.", text)

        code, text, _ = run_cli("check", "--targets", str(self.dir), str(results))
        self.assertEqual(code, 1)
        self.assertIn("bench check: stream/fields/64KiB: expected benchmark did not run", text)
        self.assertNotIn("primitive/", text)  # that suite did not run

    def test_a_row_with_a_unit_prints_both_figures_beside_its_ratio(self):
        self.add("99-echo.json", {"area": "Echo", "ratios": [
            {"group": "Echo vs TCP", "target": None, "unit": "msgs/s", "note": "8 in flight",
             "workload": "stream/echo/1KiB", "baseline": "stream/tcp/1KiB"},
            {"group": "Echo vs TCP", "target": None, "unit": "msgs/s",
             "workload": "stream/echo/64KiB", "baseline": "stream/tcp/64KiB"}]})
        build, _ = self.native_results(gbench(**{"stream/echo/1KiB": 21200, "stream/tcp/1KiB": 30600,
                                                 "stream/tcp/64KiB": 5000}))
        code, text, _ = run_cli("report", "--targets", str(self.dir), "--build", f"native={build}",
                                "--out", str(self.tmp / "out"))
        self.assertEqual(code, 0)
        self.assertIn("| `stream/echo/1KiB` (8 in flight; 21.2k vs 30.6k msgs/s) | `stream/tcp/1KiB` | 0.69x "
                      "|  | info |", text)
        self.assertNotIn("stream/echo/64KiB", text)  # not measured and without a target: not shown
        self.assert_refused({"area": "x", "ratios": [
            {"workload": "a/w", "baseline": "a/b", "group": "g", "unit": 3}]},
            "ratios[0] has 'unit' = 3; expected a JSON string")

    def test_targets_command_lists_the_expanded_rows_with_their_file(self):
        self.add("99-stream.json", STREAM_AREA)
        code, text, _ = run_cli("targets", "--targets", str(self.dir))
        self.assertEqual(code, 0)
        lines = text.splitlines()
        self.assertEqual(lines[-5:-1], [
            "99-stream.json: [Stream vs one buffer] stream/fields/1KiB / stream/one_buffer/1KiB >= 0.5x",
            "99-stream.json: [Stream vs one buffer] stream/split/1KiB (chunk boundary every 7 bytes) / "
            "stream/one_buffer/1KiB -",
            "99-stream.json: [Stream vs one buffer] stream/fields/64KiB / stream/one_buffer/64KiB >= 0.5x",
            "99-stream.json: [Stream vs one buffer] stream/split/64KiB (chunk boundary every 7 bytes) / "
            "stream/one_buffer/64KiB -",
        ])
        self.assertRegex(lines[-1], r"^\d+ ratio rows, \d+ throughput rows, 6 zone-table rows, 2 published rows "
                                   rf"from {len(list(self.dir.glob('*.json')))} file\(s\)$")

    def test_the_repository_targets_know_nothing_of_the_new_area(self):
        self.add("99-stream.json", STREAM_AREA)
        self.assertNotIn("stream/fields/1KiB", br.known_names())


STREAM_THROUGHPUT = {
    "area": "Stream parsing, MB/s",
    "throughput": [
        {"group": "Stream at {size}", "targets": {"native": 800, "wasm": 300}, "for": {"size": ["1KiB", "64KiB"]},
         "rows": [
            {"workload": "stream/fields/{size}", "baseline": "stream/memcpy/{size}"},
            {"workload": "stream/split/{size}", "baseline": "stream/memcpy/{size}", "targets": {},
             "note": "7-byte chunks"},
        ]},
        {"workload": "stream/utf16/1KiB", "baseline": "stream/memcpy/1KiB", "group": "UTF-16",
         "targets": {"wasm-threads": 50.5}},
    ],
}


def gbench_bytes(**bps):
    """A raw Google Benchmark document: name -> bytes_per_second."""
    return {"benchmarks": [{"name": n, "run_type": "iteration", "items_per_second": 1.0, "bytes_per_second": v}
                           for n, v in bps.items()]}


class ThroughputAreaTest(TargetsDirTest):
    def test_rows_expand_with_block_defaults_and_a_row_may_drop_the_targets(self):
        self.add("99-stream.json", STREAM_THROUGHPUT)
        rows = [s for s in br.load_targets(self.dir).throughput if s.source == "99-stream.json"]
        self.assertEqual(rows, [
            br.ThroughputSpec("stream/fields/1KiB", "stream/memcpy/1KiB", {"native": 800.0, "wasm": 300.0},
                              "Stream at 1KiB"),
            br.ThroughputSpec("stream/split/1KiB", "stream/memcpy/1KiB", {}, "Stream at 1KiB", "7-byte chunks"),
            br.ThroughputSpec("stream/fields/64KiB", "stream/memcpy/64KiB", {"native": 800.0, "wasm": 300.0},
                              "Stream at 64KiB"),
            br.ThroughputSpec("stream/split/64KiB", "stream/memcpy/64KiB", {}, "Stream at 64KiB", "7-byte chunks"),
            br.ThroughputSpec("stream/utf16/1KiB", "stream/memcpy/1KiB", {"wasm-threads": 50.5}, "UTF-16"),
        ])
        self.assertTrue({"stream/split/64KiB", "stream/memcpy/64KiB"} <= br.known_names(br.load_targets(self.dir)))

    def test_report_renders_the_rows_per_build_and_counts_them(self):
        self.add("99-stream.json", STREAM_THROUGHPUT)
        build, results = self.native_results(gbench_bytes(**{
            "stream/fields/1KiB": 900e6, "stream/memcpy/1KiB": 20e9, "stream/split/1KiB": 400e6,
            "stream/fields/64KiB": 600e6}))
        code, text, _ = run_cli("report", "--targets", str(self.dir), "--build", f"native={build}",
                                "--out", str(self.tmp / "out"))
        self.assertEqual(code, 0)
        table = text.split("### Throughput (MB/s = 10^6 bytes/s of input)\n\n", 1)[1].split("\n\n", 1)[0]
        self.assertEqual(table.splitlines(), [
            "| Workload | MB/s | Baseline | Baseline MB/s | Target | Result |",
            "|---|---:|---|---:|---:|---|",
            "| **Stream at 1KiB** | | | | | |",
            "| `stream/fields/1KiB` | 900 | `stream/memcpy/1KiB` | 20,000 | >= 800 | PASS |",
            "| `stream/split/1KiB` (7-byte chunks) | 400 | `stream/memcpy/1KiB` | 20,000 |  | info |",
            "| **Stream at 64KiB** | | | | | |",
            "| `stream/fields/64KiB` | 600 | `stream/memcpy/64KiB` | n/a | >= 800 | MISS (0.75 of target) |",
        ])  # split/64KiB: no target, not measured; utf16: no native target, not measured
        self.assertIn("Targets: 1 PASS, 1 MISS, 0 not measured.", text)

        code, text, _ = run_cli("check", "--targets", str(self.dir), str(results))
        self.assertEqual(code, 1)
        self.assertIn("bench check: stream/utf16/1KiB: expected benchmark did not run", text)
        self.assertIn("bench check: stream/memcpy/64KiB: expected benchmark did not run", text)

    def test_targets_command_lists_the_rows_with_their_targets(self):
        self.add("99-stream.json", STREAM_THROUGHPUT)
        code, text, _ = run_cli("targets", "--targets", str(self.dir))
        self.assertEqual(code, 0)
        lines = text.splitlines()
        self.assertEqual(lines[-6], "99-stream.json: [Stream at 1KiB] stream/fields/1KiB / stream/memcpy/1KiB "
                                    "native >= 800 MB/s, wasm >= 300 MB/s")
        self.assertEqual(lines[-5], "99-stream.json: [Stream at 1KiB] stream/split/1KiB (7-byte chunks) / "
                                    "stream/memcpy/1KiB - MB/s")
        self.assertEqual(lines[-2], "99-stream.json: [UTF-16] stream/utf16/1KiB / stream/memcpy/1KiB "
                                    "wasm-threads >= 50.5 MB/s")

    def test_a_ratio_and_a_throughput_row_may_share_workload_and_baseline(self):
        self.add("99-stream.json", {"area": "x",
                                    "ratios": [{"workload": "s/w", "baseline": "s/b", "group": "g", "target": 0.5}],
                                    "throughput": [{"workload": "s/w", "baseline": "s/b", "group": "g",
                                                    "targets": {"native": 10}}]})
        targets = br.load_targets(self.dir)
        self.assertEqual(targets.ratios[-1].workload, "s/w")
        self.assertEqual(targets.throughput[-1].workload, "s/w")


class MalformedThroughputTest(TargetsDirTest):
    def refused(self, rows, *fragments):
        return self.assert_refused({"area": "x", "throughput": rows}, *fragments)

    def test_an_unknown_key_such_as_a_ratio_target(self):
        self.refused([{"workload": "a/w", "baseline": "a/b", "group": "g", "target": 0.5}],
                     "throughput[0] has an unknown key 'target' (allowed: for, why, group, targets, note, workload, "
                     "baseline)")
        self.refused([{"group": "g", "targets": {}, "rows": [], "size": "1KiB"}],
                     "throughput[0] has an unknown key 'size'")

    def test_a_missing_field(self):
        self.refused([{"group": "g", "rows": [{"workload": "a/w"}]}], "throughput[0].rows[0] needs 'baseline'")
        self.refused([{"baseline": "a/b", "group": "g"}], "throughput[0] needs 'workload'")
        self.refused([{"rows": [{"workload": "a/w", "baseline": "a/b"}]}], "throughput[0].rows[0] needs a 'group'")

    def test_a_target_that_is_not_a_positive_number(self):
        for bad in ("1500", 0, -1, True, None):
            with self.subTest(target=bad):
                self.refused([{"group": "g", "targets": {"wasm": bad}, "rows": [
                    {"workload": "a/w", "baseline": "a/b"}]}],
                    f"throughput[0] has targets 'wasm' = {json.dumps(bad)}; expected MB/s, a number > 0")

    def test_targets_that_are_not_an_object(self):
        self.refused([{"workload": "a/w", "baseline": "a/b", "group": "g", "targets": 1500}],
                     "throughput[0] has targets 1500; expected an object from build (native, wasm, wasm-threads) "
                     "to MB/s")

    def test_a_target_for_an_unknown_build(self):
        self.refused([{"group": "g", "rows": [
            {"workload": "a/w", "baseline": "a/b", "targets": {"native": 1, "wams": 700}}]}],
            "throughput[0].rows[0] has a target for 'wams', which is not a build (builds: native, wasm, "
            "wasm-threads)")

    def test_a_placeholder_no_for_sets(self):
        self.refused([{"workload": "a/{size}", "baseline": "a/b", "group": "g"}],
                     "throughput[0] uses {size} in its workload 'a/{size}'")

    def test_a_workload_defined_twice_in_one_file(self):
        message = self.refused([{"for": {"b": ["x", "y"]}, "workload": "a/w", "baseline": "a/{b}", "group": "g"}],
                               "the throughput row of a/w is already defined in")
        self.assertTrue(message.endswith("70-bad.json"), message)

    def test_a_workload_another_file_defines(self):
        message = self.refused([{"workload": "text/read/cjk/1KiB", "baseline": "text/memcpy_read/1KiB",
                                 "group": "g"}], "the throughput row of text/read/cjk/1KiB is already defined in")
        self.assertTrue(message.endswith("60-text.json"), message)

    def test_a_section_that_is_not_a_list(self):
        self.refused({"workload": "a/w"}, "the file has 'throughput' = ", "expected a JSON array")


class MalformedAreaTest(TargetsDirTest):
    def test_invalid_json_names_the_file_and_the_position(self):
        self.assert_refused('{"area": "x", "ratios": [\n  {"workload": "a/b",}\n]}', "is not valid JSON", "line 2")

    def test_a_row_without_a_workload(self):
        self.assert_refused({"area": "x", "ratios": [{"group": "g", "rows": [{"baseline": "a/b"}]}]},
                            "ratios[0].rows[0] needs 'workload'")

    def test_a_row_without_a_group_anywhere(self):
        self.assert_refused({"area": "x", "ratios": [{"workload": "a/w", "baseline": "a/b"}]},
                            "ratios[0] needs a 'group'")

    def test_a_target_that_is_not_a_positive_number(self):
        for bad in ("0.7", 0, -1, True):
            with self.subTest(target=bad):
                self.assert_refused({"area": "x", "ratios": [
                    {"workload": "a/w", "baseline": "a/b", "group": "g", "target": bad}]},
                    "ratios[0] has target", "expected a number > 0, or null")

    def test_a_value_of_the_wrong_type(self):
        self.assert_refused({"area": "x", "ratios": [
            {"group": "g", "rows": [{"workload": "a/w", "baseline": ["a/b"]}]}]},
            "ratios[0].rows[0] has 'baseline' = [\"a/b\"]; expected a JSON string")
        self.assert_refused({"area": "x", "zone_table": [{"operation": "op", "benchmark": {"Stack": "a/b"}}]},
                            "zone_table[0] has benchmark", "expected a name with {zone} or an object from zone")

    def test_an_unknown_key_is_a_typo_not_a_silent_default(self):
        self.assert_refused({"area": "x", "ratios": [
            {"workload": "a/w", "baseline": "a/b", "group": "g", "taget": 2}]},
            "ratios[0] has an unknown key 'taget'")

    def test_a_placeholder_no_for_sets(self):
        self.assert_refused({"area": "x", "ratios": [
            {"for": {"size": ["1KiB"]}, "workload": "a/{zone}/{size}", "baseline": "a/b", "group": "g"}]},
            "ratios[0] uses {zone} in its workload 'a/{zone}/{size}'", "set here: size")

    def test_an_empty_for_list(self):
        self.assert_refused({"area": "x", "ratios": [
            {"for": {"size": []}, "workload": "a/{size}", "baseline": "a/b", "group": "g"}]},
            "ratios[0] has 'for' 'size' = []; expected a non-empty list of strings")

    def test_a_file_without_an_area_or_not_an_object(self):
        self.assert_refused({"ratios": []}, "the file needs 'area'")
        self.assert_refused("[]", "the file must be a JSON object")

    def test_a_ratio_defined_twice_names_both_files(self):
        message = self.assert_refused({"area": "x", "ratios": [
            {"workload": "alloc/Direct/1KiB", "baseline": "alloc/mimalloc/1KiB", "group": "g"}]},
            "the ratio alloc/Direct/1KiB / alloc/mimalloc/1KiB is already defined in")
        self.assertIn("30-allocation.json", message)

    def test_an_empty_folder(self):
        empty = self.tmp / "empty"
        empty.mkdir()
        with self.assertRaisesRegex(br.TargetsError, "no \\*.json targets files"):
            br.load_targets(empty)

    def test_cli_exits_2_naming_the_file_and_writes_nothing(self):
        bad = self.add("70-bad.json", {"area": "x", "ratios": [{"workload": "a/w"}]})
        native = self.tmp / "native"
        native.mkdir()
        shutil.copy(FIXTURES / "primitive_bench.json", native)
        out = self.tmp / "out"
        code, text, err = run_cli("report", "--targets", str(self.dir), "--build", f"native={native}",
                                  "--out", str(out))
        self.assertEqual(code, 2)
        self.assertEqual(text, "")
        self.assertIn(f"bench-report: {bad}: ratios[0] needs 'baseline'", err)
        self.assertFalse(out.exists())
        code, _, err = run_cli("check", "--targets", str(self.dir), str(native / "primitive_bench.json"))
        self.assertEqual(code, 2)
        self.assertIn(str(bad), err)
        code, text, err = run_cli("targets", "--targets", str(self.dir))
        self.assertEqual((code, text), (2, ""))
        self.assertIn(str(bad), err)


if __name__ == "__main__":
    unittest.main()
