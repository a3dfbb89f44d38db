"""tools/zonebuf's argument handling: bad invocations print usage, exit 2, build nothing.

The script runs from a copy of tools/ in a temporary root (so ZB_ROOT and
build/ are that root's), with every program a build would start replaced by
a stub on PATH that records its call.

Run: python3 -m unittest discover -s tests/tools -p 'test_*.py'
"""

import os
import re
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

from tool_module import ROOT

SUITES = ["native", "asan", "tsan", "wasm", "wasm-threads", "fuzz", "consumer", "tools", "js", "bench"]
BUILDERS = ["cmake", "ctest", "apt-get", "apt-cache", "dpkg", "dpkg-query", "sudo", "emcmake", "emcc", "make",
            "ninja", "node", "npm", "curl", "wget", "git"]


class ZonebufCliTest(unittest.TestCase):
    def setUp(self):
        self.root = Path(tempfile.mkdtemp(prefix="zonebuf-cli-test-"))
        self.addCleanup(shutil.rmtree, self.root)
        shutil.copytree(ROOT / "tools", self.root / "tools")
        self.stubs = self.root / "stubs"
        self.stubs.mkdir()
        self.calls = self.root / "calls.log"
        for name in BUILDERS:
            stub = self.stubs / name
            stub.write_text(f'#!/bin/sh\necho "{name} $*" >> "{self.calls}"\nexit 1\n')
            stub.chmod(0o755)

    def run_zonebuf(self, *args):
        env = {**os.environ, "PATH": f"{self.stubs}{os.pathsep}{os.environ.get('PATH', '')}"}
        return subprocess.run(["bash", str(self.root / "tools" / "zonebuf"), *args], env=env,
                              capture_output=True, text=True, timeout=60)

    def assert_nothing_started(self):
        started = self.calls.read_text() if self.calls.exists() else ""
        self.assertEqual(started, "", "a build or install step was started")
        self.assertFalse((self.root / "build").exists())

    def assert_refused(self, args, *fragments):
        """ARGS exit 2 with each fragment on stderr, nothing on stdout, nothing started."""
        result = self.run_zonebuf(*args)
        self.assertEqual(result.returncode, 2, result.stderr)
        for fragment in fragments:
            self.assertIn(fragment, result.stderr)
        self.assertNotIn("unbound variable", result.stderr)
        self.assertEqual(result.stdout, "")
        self.assert_nothing_started()

    def test_build_without_a_preset_prints_usage_and_exits_2(self):
        self.assert_refused(["build"], "zonebuf: build needs exactly one PRESET", "usage: tools/zonebuf <command>")

    def test_build_with_two_presets_is_refused_the_same_way(self):
        self.assert_refused(["build", "native", "wasm"], "zonebuf: build needs exactly one PRESET", "usage:")

    def test_usage_lists_every_suite_test_runs_in_order(self):
        result = self.run_zonebuf("--help")
        self.assertEqual(result.returncode, 0)
        listed = re.search(r"run every test suite, in this order:\n\s+(.*)\n", result.stdout)
        self.assertIsNotNone(listed, result.stdout)
        self.assertEqual(listed.group(1).split(", "), SUITES)
        self.assert_nothing_started()

    def test_every_suite_test_dispatches_is_in_the_list(self):
        run_sh = (ROOT / "tools" / "lib" / "run.sh").read_text()
        start = run_sh.index("case $suite in", run_sh.index("zb_cmd_test() {"))
        cases = run_sh[start:run_sh.index("esac", start)]
        dispatched = [name.strip() for arm in re.findall(r"^\s+([a-z| -]+)\)", cases, re.M)
                      for name in arm.split("|")]
        self.assertEqual(sorted(dispatched), sorted(SUITES))

    def test_an_unknown_suite_is_refused_before_anything_is_installed(self):
        self.assert_refused(["test", "--only", "native,bogus"],
                            "zonebuf test: unknown suite 'bogus' (expected a comma-separated subset of "
                            + ",".join(SUITES) + ")")

    def test_only_without_a_value_is_refused(self):
        self.assert_refused(["test", "--only"], "zonebuf test: --only needs a comma-separated subset of")

    def test_an_unknown_command_prints_usage_and_exits_2(self):
        self.assert_refused(["bulid", "native"], "zonebuf: unknown command 'bulid'", "usage:")

if __name__ == "__main__":
    unittest.main()
