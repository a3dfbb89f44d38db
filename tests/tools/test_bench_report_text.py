"""Unit tests of the text rows of tools/bench-report: absolute MB/s targets
from bytes_per_second, per build, beside the same run's memcpy.

Run: python3 -m unittest discover -s tests/tools -p 'test_*.py'
"""

import unittest

from test_bench_report import br  # the loaded tools/bench-report module


def entry(name, bps, ips=1e6):
    return {"name": name, "run_name": name, "run_type": "iteration", "iterations": 10, "real_time": 1.0,
            "cpu_time": 1.0, "time_unit": "ns", "items_per_second": ips, "bytes_per_second": bps}


def doc(build_entries):
    return {"format": br.FORMAT, "builds": {b: {"text_bench": {"benchmarks": es}} for b, es in build_entries.items()}}


class TextThroughputTest(unittest.TestCase):
    def test_bytes_per_second_is_read_and_missing_is_nan(self):
        figs = br.figures({"benchmarks": [entry("text/write/cjk/1KiB", 2.5e9), {"name": "x", "cpu_time": 1.0}]},
                          br.bytes_per_second)
        self.assertEqual(figs["text/write/cjk/1KiB"], 2.5e9)
        self.assertNotEqual(figs["x"], figs["x"])  # nan

    def test_native_and_wasm_targets_differ(self):
        rows = {"native": [entry("text/write/cjk/1KiB", 1.2e9), entry("text/memcpy_write/1KiB", 50e9)],
                "wasm": [entry("text/write/cjk/1KiB", 1.2e9), entry("text/memcpy_write/1KiB", 20e9)]}
        md = br.markdown(doc(rows))
        native, wasm = md.split("## WebAssembly")
        self.assertIn("| `text/write/cjk/1KiB` | 1,200 | `text/memcpy_write/1KiB` | 50,000 | >= 1,500 | "
                      "MISS (0.80 of target) |", native)
        self.assertIn("| `text/write/cjk/1KiB` | 1,200 | `text/memcpy_write/1KiB` | 20,000 | >= 700 | PASS |", wasm)

    def test_utf16_has_a_native_target_only(self):
        name = "text/utf16_decode/LE/cjk/1KiB"
        rows = {"wasm": [entry(name, 0.5e9)]}
        lines = br.throughput_table("wasm", br.build_figures(doc(rows), br.bytes_per_second)["wasm"])
        row = next(line for line in lines if name in line)
        self.assertTrue(row.endswith("| info |"), row)
        # Only the six UTF-8 rows with a wasm target are counted (as not measured).
        self.assertEqual(br.throughput_summary(br.build_figures(doc(rows), br.bytes_per_second)), (0, 0, 6))

    def test_a_missing_target_row_counts_as_not_measured_when_its_suite_ran(self):
        rows = {"native": [entry("text/write/cjk/1KiB", 2e9)]}
        passed, missed, absent = br.throughput_summary(br.build_figures(doc(rows), br.bytes_per_second))
        self.assertEqual(passed, 1)
        self.assertEqual(missed, 0)
        self.assertGreater(absent, 0)  # the other scripts, and every UTF-16 row

    def test_ascii_ratio_targets(self):
        specs = {s.workload: s for s in br.ratio_specs()}
        self.assertEqual(specs["text/write/ascii/1KiB"].target, 0.5)
        self.assertEqual(specs["text/read/ascii/1KiB"].baseline, "text/memcpy_read/1KiB")
        self.assertIsNone(specs["text/write/cjk/16B"].target)


if __name__ == "__main__":
    unittest.main()
