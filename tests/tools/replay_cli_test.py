#!/usr/bin/env python3
"""tools/zonebuf replay (the zonebuf_replay binary) and tools/pool-tune on pool traces.

Run by ctest (zonebuf_replay_cli), which sets ZONEBUF_REPLAY to the binary and
ZONEBUF_POOL_TUNE to tools/pool-tune. Traces are written here byte by byte in
the documented format (zonebuf/pool/pool_trace.hpp), so the format itself is
under test too.
"""

import json
import os
import struct
import subprocess
import sys
import tempfile
import unittest

REPLAY = os.environ.get("ZONEBUF_REPLAY", "")
POOL_TUNE = os.environ.get("ZONEBUF_POOL_TUNE", "")
# "0" in sanitizer builds: which candidate is fastest is not asserted there.
TIMED = os.environ.get("ZONEBUF_REPLAY_TIMED", "1") != "0"
ZONES = {"Heap": 0, "Direct": 1, "SharedMemory": 2}


def trace_bytes(records, sample_every=1, threads=1):
    out = b"ZBTRACE1" + struct.pack("<IIIIQ", 1, sample_every, threads, 0, len(records))
    for kind, zone, thread, ident, value in records:
        out += struct.pack("<BBHIQ", kind, ZONES[zone], thread, ident, value)
    return out


def churn(size, count, zone="Heap", thread=0, first_id=0, held=4):
    """count acquisitions of `size`, `held` of them out at once."""
    recs, live, ident = [], [], first_id
    for _ in range(count):
        recs.append((1, zone, thread, ident, size))
        live.append(ident)
        ident += 1
        if len(live) > held:
            recs.append((2, zone, thread, live.pop(0), held))
    for i in live:
        recs.append((2, zone, thread, i, 0))
    return recs


class ReplayCli(unittest.TestCase):
    def setUp(self):
        if not REPLAY:
            self.fail("ZONEBUF_REPLAY is not set (run through ctest)")
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.dir.cleanup()

    def path(self, name):
        return os.path.join(self.dir.name, name)

    def write(self, name, data):
        p = self.path(name)
        with open(p, "wb" if isinstance(data, bytes) else "w") as f:
            f.write(data)
        return p

    def replay(self, *args):
        return subprocess.run([REPLAY, *args, "--min-time", "0.05"], capture_output=True, text=True, timeout=300)

    def test_the_config_whose_classes_cover_the_workload_wins(self):
        # 200-byte requests: oversize (unpooled: allocated, booked and freed
        # each time) when 64 B is the only class, pool hits with a 256 B class
        # (measured 5-7x apart in CPU time per operation).
        trace = self.write("w.trace", trace_bytes(churn(200, 400)))
        small = self.write("small.json", json.dumps({"classes": [64]}))
        big = self.write("big.json", json.dumps({"classes": [64, 256]}))
        r = self.replay(trace, "--config", small, "--config", big, "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        doc = json.loads(r.stdout)
        self.assertEqual(doc["format"], "zonebuf-replay/1")
        # The ranking is asserted where timings mean something (ZONEBUF_REPLAY_TIMED, tools/replay/CMakeLists.txt).
        self.assertIn(doc["best"], ["pool:small.json", "pool:big.json"])
        if TIMED:
            self.assertEqual(doc["best"], "pool:big.json")
        names = [c["name"] for c in doc["candidates"]]
        self.assertEqual(names, ["zone:Heap", "zone:Direct", "zone:SharedMemory", "pool:small.json",
                                 "pool:big.json", "mimalloc", "pmr_unsync"])
        for c in doc["candidates"]:
            self.assertGreater(c["nsPerOp"], 0)
            self.assertGreaterEqual(c["passes"], 1)
        self.assertEqual(doc["opsPerPass"], 800)
        table = self.replay(trace, "--config", small, "--config", big)
        self.assertEqual(table.returncode, 0, table.stderr)
        best_lines = [l for l in table.stdout.splitlines() if "<- best config" in l]
        self.assertEqual(len(best_lines), 1)
        self.assertTrue(best_lines[0].startswith("pool:"), table.stdout)
        if TIMED:
            self.assertTrue(best_lines[0].startswith("pool:big.json"), table.stdout)

    def test_runs_on_the_recorded_thread_count(self):
        recs = churn(1000, 50, thread=0) + churn(3000, 50, zone="Direct", thread=1, first_id=1000)
        trace = self.write("t.trace", trace_bytes(recs, threads=2))
        r = self.replay(trace, "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        doc = json.loads(r.stdout)
        self.assertEqual(doc["threads"], 2)
        self.assertEqual(doc["best"], "pool:default")

    def test_compare_gates_on_regressions(self):
        trace = self.write("g.trace", trace_bytes(churn(512, 200)))
        out = self.path("now.json")
        r = self.replay(trace, "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        doc = json.load(open(out))
        fast = dict(doc, candidates=[dict(c, nsPerOp=c["nsPerOp"] / 1000) for c in doc["candidates"]])
        slow = dict(doc, candidates=[dict(c, nsPerOp=c["nsPerOp"] * 1000, peakBytes=c["peakBytes"] * 10 + 10**9)
                                     for c in doc["candidates"]])
        r = self.replay(trace, "--compare", self.write("fast.json", json.dumps(fast)), "--threshold", "0.5")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("REGRESSION pool:default: ns/op", r.stdout)
        self.assertIn("regressed beyond 50%", r.stderr)
        r = self.replay(trace, "--compare", self.write("slow.json", json.dumps(slow)), "--threshold", "0.5")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertNotIn("REGRESSION", r.stdout)
        self.assertIn("ok         mimalloc", r.stdout)
        r = self.replay(trace, "--compare", self.write("other.json", json.dumps({"format": "zonebuf-bench/1"})))
        self.assertEqual(r.returncode, 2)
        self.assertIn("is not a zonebuf-replay/1 document", r.stderr)

    def test_malformed_traces_name_the_offset(self):
        good = trace_bytes(churn(100, 3))
        r = self.replay(self.write("cut.trace", good[:-7]))
        self.assertEqual(r.returncode, 2)
        self.assertIn("malformed at byte offset %d: the file ends inside a 16-byte record" % (32 + 5 * 16),
                      r.stderr)
        bad = bytearray(good)
        bad[32 + 16] = 9
        r = self.replay(self.write("kind.trace", bytes(bad)))
        self.assertEqual(r.returncode, 2)
        self.assertIn("malformed at byte offset 48: unknown record kind 9", r.stderr)
        r = self.replay(self.write("text.trace", b"not a trace at all, just some text"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("malformed at byte offset 0: no ZBTRACE1 magic", r.stderr)

    def test_bad_arguments_and_configs(self):
        trace = self.write("a.trace", trace_bytes(churn(100, 3)))
        r = self.replay(trace, "--config", self.write("bad.json", '{"maxPerClass": 0}'))
        self.assertEqual(r.returncode, 2)
        self.assertIn("PoolConfig field 'maxPerClass' has invalid value 0", r.stderr)
        self.assertIn("bad.json", r.stderr)
        r = self.replay(trace, "--bogus")
        self.assertEqual(r.returncode, 2)
        self.assertIn("unknown option '--bogus'", r.stderr)
        r = self.replay(trace, "--threshold", "x")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--threshold needs a non-negative number", r.stderr)
        r = self.replay(self.path("missing.trace"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("cannot be opened", r.stderr)


class PoolTuneOnTraces(unittest.TestCase):
    def test_pool_tune_reads_a_pool_trace(self):
        if not POOL_TUNE:
            self.fail("ZONEBUF_POOL_TUNE is not set (run through ctest)")
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "w.trace")
            with open(p, "wb") as f:
                f.write(trace_bytes(churn(1000, 300) + churn(5000, 100, zone="Direct", first_id=5000)))
            r = subprocess.run([sys.executable, POOL_TUNE, p], capture_output=True, text=True, timeout=120)
            self.assertEqual(r.returncode, 0, r.stderr)
            config = json.loads(r.stdout)
            self.assertIn(1000, config["zones"]["Heap"]["classes"])
            self.assertIn(5000, config["zones"]["Direct"]["classes"])


if __name__ == "__main__":
    unittest.main()
