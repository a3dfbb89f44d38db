"""Unit tests of the text rows of tools/bench-report (tools/bench-targets/60-text.json):
absolute MB/s targets from bytes_per_second, per build, beside the same run's memcpy.

Run: python3 -m unittest discover -s tests/tools -p 'test_*.py'
"""

import unittest

from tool_module import load_tool

br = load_tool("bench-report", "bench_report")


def entry(name, bps, ips=1e6):
    return {"name": name, "run_name": name, "run_type": "iteration", "iterations": 10, "real_time": 1.0,
            "cpu_time": 1.0, "time_unit": "ns", "items_per_second": ips, "bytes_per_second": bps}


def doc(build_entries):
    return {"format": br.FORMAT, "builds": {b: {"text_bench": {"benchmarks": es}} for b, es in build_entries.items()}}


def bytes_figures(build_entries):
    return br.build_figures(doc(build_entries), br.bytes_per_second)


class TextThroughputTest(unittest.TestCase):
    def setUp(self):
        self.targets = br.default_targets()

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
        for part in (native, wasm):
            self.assertIn("### Throughput (MB/s = 10^6 bytes/s of input)", part)
            self.assertIn("| **UTF-8 text at 1 KiB (writeString validates + copies, readString validates + copies)** "
                          "| | | | | |", part)
        self.assertIn("| `text/write/cjk/1KiB` | 1,200 | `text/memcpy_write/1KiB` | 50,000 | >= 1,500 | "
                      "MISS (0.80 of target) |", native)
        self.assertIn("| `text/write/cjk/1KiB` | 1,200 | `text/memcpy_write/1KiB` | 20,000 | >= 700 | PASS |", wasm)

    def test_utf16_has_a_native_target_only(self):
        name = "text/utf16_decode/LE/cjk/1KiB"
        rows = {"wasm": [entry(name, 0.5e9)]}
        lines = br.throughput_table(self.targets, "wasm", bytes_figures(rows)["wasm"])
        row = next(line for line in lines if name in line)
        self.assertEqual(row, f"| `{name}` | 500 | `text/memcpy_read/1KiB` | n/a |  | info |")
        # Only the six UTF-8 rows with a wasm target are counted (as not measured).
        self.assertEqual(br.throughput_summary(self.targets, bytes_figures(rows)), (0, 0, 6))

    def test_a_missing_target_row_counts_as_not_measured_when_its_suite_ran(self):
        rows = {"native": [entry("text/write/cjk/1KiB", 2e9)]}
        # 6 UTF-8 rows with a target (one measured) and 16 UTF-16 rows
        self.assertEqual(br.throughput_summary(self.targets, bytes_figures(rows)), (1, 0, 5 + 16))

    def test_summary_line_adds_throughput_to_ratio_targets(self):
        rows = {"native": [entry("text/write/cjk/1KiB", 2e9), entry("text/write/ascii/1KiB", 9e9, ips=1e6),
                           entry("text/memcpy_write/1KiB", 10e9, ips=1e6)]}
        md = br.markdown(doc(rows))
        # ratios: write/ascii 1.00x PASS (read/ascii registers neither side: not counted);
        # throughput: cjk PASS, the other 21 targeted rows not measured
        self.assertIn("Targets: 2 PASS, 0 MISS, 21 not measured.", md)
        self.assertIn("| `text/write/ascii/1KiB` | 9,000 | `text/memcpy_write/1KiB` | 10,000 |  | info |", md)

    def test_no_throughput_table_for_a_build_without_the_text_suite(self):
        rows = {"native": [entry("text/write/cjk/1KiB", 2e9)],
                "wasm-threads": [entry("pool/hit1KiB/mimalloc", 1e9)]}
        _, threads = br.markdown(doc(rows)).split("## WebAssembly with threads")
        self.assertNotIn("### Throughput", threads)
        self.assertEqual(br.throughput_table(self.targets, "wasm-threads", bytes_figures(rows)["wasm-threads"]), [])

    def test_check_expects_every_throughput_benchmark_of_a_suite_that_ran(self):
        problems = br.check([doc({"native": [entry("text/write/cjk/1KiB", 2e9)]})], require_all=False)
        for name in ("text/utf16_encode/BE/ascii/1KiB", "text/utf16_decode/LE/emoji/1KiB",
                     "text/memcpy_read/1KiB"):
            self.assertIn(f"{name}: expected benchmark did not run", problems)

    def test_repository_rows_match_the_text_suite(self):
        specs = {s.workload: s for s in self.targets.throughput if s.workload.startswith("text/")}
        self.assertEqual(len(specs), 24)
        self.assertEqual(specs["text/read/emoji/1KiB"].targets, {"native": 1500.0, "wasm": 700.0})
        self.assertEqual(specs["text/read/emoji/1KiB"].baseline, "text/memcpy_read/1KiB")
        self.assertEqual(specs["text/write/ascii/1KiB"].targets, {})
        self.assertEqual(specs["text/utf16_encode/BE/emoji/1KiB"].targets, {"native": 1000.0})
        self.assertEqual(specs["text/utf16_encode/BE/emoji/1KiB"].baseline, "text/memcpy_write/1KiB")
        self.assertEqual(specs["text/utf16_decode/LE/ascii/1KiB"].baseline, "text/memcpy_read/1KiB")

    def test_ascii_ratio_targets(self):
        specs = {s.workload: s for s in self.targets.ratios}
        self.assertEqual(specs["text/write/ascii/1KiB"].target, 0.5)
        self.assertEqual(specs["text/read/ascii/1KiB"].baseline, "text/memcpy_read/1KiB")
        self.assertIsNone(specs["text/write/cjk/16B"].target)


if __name__ == "__main__":
    unittest.main()
