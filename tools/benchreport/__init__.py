"""The code behind tools/bench-report, one job per module.

  targets  reads tools/bench-targets/*.json: what the report shows
  results  reads and merges Google Benchmark JSON into ops/s figures
  scoring  ratios, verdicts and which rows concern a build
  units    how figures and ratios print
  markdown the printed report (bench.md)
  chart    the chart (bench.svg)
  compare  the compare and check commands

No module names a benchmark: every name comes from the targets files.
Python 3 standard library only.
"""
