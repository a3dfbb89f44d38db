"""tools/pool-tune on synthetic traces and stats dumps with known answers.

Run: python3 -m unittest discover -s tests/tools -p 'test_*.py'
"""

import importlib.machinery
import importlib.util
import io
import json
import os
import struct
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout

TOOL = os.path.join(os.path.dirname(__file__), "..", "..", "tools", "pool-tune")
_loader = importlib.machinery.SourceFileLoader("pool_tune", TOOL)
_spec = importlib.util.spec_from_loader("pool_tune", _loader)
pool_tune = importlib.util.module_from_spec(_spec)
_loader.exec_module(pool_tune)


def run(text, *args):
    """Runs the tool on `text` (str, or bytes for a binary pool trace); returns
    (exit code, config dict or None, stdout, stderr)."""
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "input")
        out = os.path.join(d, "config.json")
        with open(src, "wb") as f:
            f.write(text if isinstance(text, bytes) else text.encode("utf-8"))
        so, se = io.StringIO(), io.StringIO()
        with redirect_stdout(so), redirect_stderr(se):
            code = pool_tune.main([src, "-o", out, *args])
        config = None
        if os.path.exists(out):
            with open(out, encoding="utf-8") as f:
                config = json.load(f)
        return code, config, so.getvalue(), se.getvalue()


class TraceTests(unittest.TestCase):
    def test_three_sizes_become_exactly_three_classes(self):
        trace = "\n".join(["100", "1000", "5000"] * 50)
        code, config, out, _ = run(trace)
        self.assertEqual(code, 0)
        self.assertEqual(config["zones"]["Heap"]["classes"], [100, 1000, 5000])
        self.assertEqual(config["zones"]["Heap"]["maxPerClass"], 1)
        self.assertEqual(config["maxRetainedBytes"], 6100)
        self.assertIn("internal waste 0.0%", out)
        # 150 requests, one buffer per class ever created: 147 hits.
        self.assertIn("predicted hit rate 98.0%", out)

    def test_caps_fit_the_observed_peak(self):
        # 10 leases of 1000 bytes held at once, released, ten times over.
        burst = ["+ Heap 1000"] * 10 + ["- Heap 1000"] * 10
        code, config, out, _ = run("\n".join(burst * 10))
        self.assertEqual(code, 0)
        self.assertEqual(config["zones"]["Heap"], {"classes": [1000], "maxPerClass": 10})
        self.assertEqual(config["maxRetainedBytes"], 10000)
        self.assertIn("predicted hit rate 90.0%", out)  # 10 misses, then 90 hits

    def test_zones_are_tuned_separately(self):
        trace = "Heap 64\nDirect 4096\n+ SharedMemory 300\n+ SharedMemory 300\n- SharedMemory 300\n- SharedMemory 300\n"
        code, config, _, _ = run(trace)
        self.assertEqual(code, 0)
        self.assertEqual(config["zones"]["Heap"]["classes"], [64])
        self.assertEqual(config["zones"]["Direct"]["classes"], [4096])
        self.assertEqual(config["zones"]["SharedMemory"], {"classes": [300], "maxPerClass": 2})
        self.assertEqual(config["maxRetainedBytes"], 64 + 4096 + 600)

    def test_class_limit_is_respected_and_more_classes_waste_less(self):
        trace = "\n".join(str(s) for s in range(1, 1025))
        wastes = []
        for k in (2, 4, 8):
            code, config, out, _ = run(trace, "--max-classes", str(k), "--target-waste", "0")
            self.assertEqual(code, 0)
            classes = config["zones"]["Heap"]["classes"]
            self.assertLessEqual(len(classes), k)
            self.assertEqual(classes, sorted(set(classes)))
            self.assertEqual(classes[-1], 1024)
            wastes.append(pool_tune.choose_classes({s: 1 for s in range(1, 1025)}, k, 0)[1])
        self.assertGreater(wastes[0], wastes[1])
        self.assertGreater(wastes[1], wastes[2])

    def test_optimal_split_is_found(self):
        # 90 requests of 10 bytes and 10 of 1000: with two classes, [10, 1000] wastes nothing.
        classes, waste = pool_tune.best_classes([(10, 90), (500, 0), (1000, 10)], 2)
        self.assertEqual(classes, [10, 1000])
        self.assertEqual(waste, 0)
        # with one class everything rounds up to 1000
        classes, waste = pool_tune.best_classes([(10, 90), (1000, 10)], 1)
        self.assertEqual(classes, [1000])
        self.assertEqual(waste, 90 * 990)

    def test_target_waste_stops_early(self):
        sizes = {100: 1, 101: 1, 5000: 1}
        classes, waste, _ = pool_tune.choose_classes(sizes, 24, 0.10)
        self.assertEqual(classes, [101, 5000])  # one byte of waste is under 10%


class StatsDumpTests(unittest.TestCase):
    DUMP = {
        "acquisitions": 1000, "hits": 990, "misses": 5, "oversize": 5,
        "zones": {
            "Heap": {
                "acquisitions": 1000, "oversize": 5,
                "histogram": [{"le": 64, "count": 500}, {"le": 1024, "count": 495}, {"le": 131072, "count": 5}],
                "classes": [{"size": 64, "peakLive": 3}, {"size": 1024, "peakLive": 2}, {"size": 2048, "peakLive": 0}],
            },
            "Direct": {"acquisitions": 0, "oversize": 0, "histogram": [], "classes": []},
        },
    }

    def test_classes_follow_the_histogram_and_caps_the_peaks(self):
        code, config, out, _ = run(json.dumps(self.DUMP))
        self.assertEqual(code, 0)
        heap = config["zones"]["Heap"]
        self.assertEqual(heap["classes"], [64, 1024, 131072])  # the oversize requests get a class
        self.assertEqual(heap["maxPerClass"], 3)
        self.assertNotIn("Direct", config["zones"])  # no traffic: defaults stay
        self.assertEqual(config["maxRetainedBytes"], 3 * 64 + 2 * 1024 + 1 * 131072)
        # 1000 requests, 3 + 2 + 1 buffers created at the peak.
        self.assertIn("predicted hit rate 99.4%", out)

    def test_output_keys_are_pool_config_keys(self):
        _, config, _, _ = run(json.dumps(self.DUMP), "--threading", "MultiThreaded")
        self.assertLessEqual(set(config), {"threading", "zones", "maxRetainedBytes"})
        self.assertEqual(config["threading"], "MultiThreaded")
        for zone in config["zones"].values():
            self.assertEqual(set(zone), {"classes", "maxPerClass"})


def pool_trace(records, threads=1, count=None):
    """A binary pool trace (zonebuf/pool/pool_trace.hpp): records are (kind, zone, thread, id, value)."""
    n = len(records) if count is None else count
    out = b"ZBTRACE1" + struct.pack("<IIIIQ", 1, 16, threads, 0, n)
    for rec in records:
        out += struct.pack("<BBHIQ", *rec)
    return out


class PoolTraceTests(unittest.TestCase):
    def test_sampled_leases_become_classes_and_caps(self):
        recs, ident = [], 0
        for _ in range(40):  # two 1000-byte Heap leases and one 5000-byte Direct lease out at once
            for zone, size in ((0, 1000), (0, 1000), (1, 5000)):
                recs.append((1, zone, 0, ident, size))
                ident += 1
            for back, zone in ((3, 0), (2, 0), (1, 1)):
                recs.append((2, zone, 0, ident - back, 3))
        code, config, _, _ = run(pool_trace(recs))
        self.assertEqual(code, 0)
        self.assertEqual(config["zones"]["Heap"]["classes"], [1000])
        self.assertEqual(config["zones"]["Heap"]["maxPerClass"], 2)
        self.assertEqual(config["zones"]["Direct"]["classes"], [5000])
        self.assertEqual(config["zones"]["Direct"]["maxPerClass"], 1)

    def test_malformed_pool_traces_name_the_offset(self):
        good = pool_trace([(1, 0, 0, 1, 100), (2, 0, 0, 1, 0)])
        for data, fragment in ((good[:20], "offset 20: the file ends inside the 32-byte header"),
                               (good[:-3], "offset 48: the file ends inside a 16-byte record"),
                               (pool_trace([(1, 0, 0, 1, 100)], count=5), "offset 24: the header counts 5"),
                               (pool_trace([(4, 0, 0, 1, 100)]), "offset 32: unknown record kind 4"),
                               (pool_trace([(1, 7, 0, 1, 100)]), "offset 33: unknown zone 7"),
                               (pool_trace([(1, 0, 3, 1, 100)]), "offset 34: thread 3 is not below threadCount 1"),
                               (pool_trace([(2, 0, 0, 1, 0)]), "offset 36: release of id 1, which is not live"),
                               (pool_trace([(1, 0, 0, 1, 9), (1, 0, 0, 1, 9)]), "offset 52: acquisition id 1 is already live")):
            code, config, _, err = run(data)
            self.assertEqual(code, 2, fragment)
            self.assertIsNone(config)
            self.assertIn("pool trace is malformed at byte " + fragment, err)


class ErrorTests(unittest.TestCase):
    def test_unreadable_input(self):
        se = io.StringIO()
        with redirect_stderr(se):
            code = pool_tune.main(["/no/such/trace.txt"])
        self.assertEqual(code, 2)
        self.assertIn("cannot read /no/such/trace.txt", se.getvalue())

    def test_bad_trace_lines_name_the_line(self):
        for text, fragment in (("64\nBogus 12\n", "line 2: unknown zone 'Bogus'"),
                               ("12x\n", "line 1: size '12x'"),
                               ("-5\n", "line 1: size -5 is negative"),
                               ("", "no requests"),
                               ("{\"zones\": ", "malformed stats JSON")):
            code, config, _, err = run(text)
            self.assertEqual(code, 2, text)
            self.assertIsNone(config)
            self.assertIn(fragment, err)


if __name__ == "__main__":
    unittest.main()
