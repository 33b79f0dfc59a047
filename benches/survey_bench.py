#!/usr/bin/env python3
"""The path users run, end to end, on the national-scale generated survey (682 accounts, ~30,000
articles): `govmedia import` into a new SQLite database, `govmedia evaluate` offline without the
browser (the mobile check reports "not evaluated"), and `govmedia report`. Each stage runs as its
own process, N times (default 3); the bench prints its seconds (median and best), CPU seconds
(user + system, median: above the wall time when several cores work), the peak RSS of the govmedia
process, and for evaluate the articles/s.

Usage: python3 benches/survey_bench.py [path/to/govmedia] [--runs N]
       (default: target/release/govmedia)
"""

import argparse
import glob
import os
import shutil
import statistics
import subprocess
import sys
import tempfile


def timed(cmd):
    """Runs `cmd` in a fresh child process; returns (seconds, CPU seconds, peak RSS in MB)."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
             "r = resource.getrusage(resource.RUSAGE_CHILDREN); "
             "print(time.perf_counter() - t, r.ru_utime + r.ru_stime, r.ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, *cmd], check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), float(out[1]), int(out[2]) / 1024


def stage(name, runs, before=None, articles=None):
    """Times `runs` (a list of commands, one per run; `before()` runs untimed ahead of each)."""
    results = []
    for cmd in runs:
        if before:
            before()
        results.append(timed(cmd))
    secs = statistics.median(r[0] for r in results)
    line = (f"{name}: {secs:.2f} s (median of {len(results)}; best {min(r[0] for r in results):.2f} s), "
            f"CPU {statistics.median(r[1] for r in results):.2f} s, peak RSS {max(r[2] for r in results):.0f} MB")
    if articles:
        line += f", {articles / secs:,.0f} articles/s"
    print(line, flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary", nargs="?", default="target/release/govmedia")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    work = tempfile.mkdtemp(prefix="govmedia-survey-bench-")
    try:
        data, db, out, rep = (os.path.join(work, n) for n in ("national", "national.db", "results", "report"))
        subprocess.run([binary, "generate", "--scale", "national-2025", "--out", data], check=True,
                       stdout=subprocess.DEVNULL)
        with open(os.path.join(data, "articles.jsonl"), "rb") as f:
            articles = sum(1 for _ in f)

        def new_db():
            for f in glob.glob(db + "*"):
                os.remove(f)

        stage("import", [[binary, "import", data, "--db", db]] * args.runs, before=new_db)
        # A browser path that does not exist: no browser, the mobile check is not evaluated.
        evaluate = [binary, "evaluate", "--db", db, "--offline", "--browser", os.path.join(work, "no-browser"),
                    "--out", out]
        stage(f"evaluate ({articles:,} articles, offline, no browser)", [evaluate] * args.runs,
              articles=articles)
        report = [binary, "report", "--results", os.path.join(out, "results.json"), "--out", rep]
        stage("report", [report] * args.runs, before=lambda: shutil.rmtree(rep, ignore_errors=True))
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
