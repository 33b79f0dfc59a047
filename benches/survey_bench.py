#!/usr/bin/env python3
"""The path users run, end to end, on the national-scale generated survey (682 accounts, ~30,000
articles, ~6,600 menu pages in the snapshot): `govmedia import` into a new SQLite database,
`govmedia evaluate` offline without the browser (the mobile check reports "not evaluated"; with
`--fresh`, every account checked as in a first evaluation), again without `--fresh` on unchanged
data (the content checks' outcomes remembered), the same with Chromium on the snapshot pages (the
mobile check's fast path), the same with `--render-all` (every page rendered: once, it takes minutes), and `govmedia report`. Each stage
runs as its own process, N times (default 3); the bench prints its seconds (median and best), CPU
seconds (user + system, median: above the wall time when several cores work), the peak RSS of the
govmedia process (the browser's own processes are not counted), for evaluate the articles/s, and
the whole survey (import + evaluate with the browser + report). It checks that the fast path and
`--render-all` give the same results, account by account.

Usage: python3 benches/survey_bench.py [path/to/govmedia] [--runs N] [--browser PATH]
       [--no-render-all]
       (default: target/release/govmedia, /usr/bin/chromium; without a browser the browser
       stages are skipped)
"""

import argparse
import glob
import json
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
    """Times `runs` (a list of commands, one per run; `before()` runs untimed ahead of each);
    returns the median seconds."""
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
    return secs


def same_results(a, b):
    """Whether two results.json agree account by account (apart from when they were written and
    how many pages the fast path proved without rendering)."""
    def load(path):
        with open(os.path.join(path, "results.json"), encoding="utf-8") as f:
            r = json.load(f)
        for acc in r["accounts"]:
            acc["stats"].pop("mobile_pages_proven_from_html", None)
        return r["accounts"]
    return load(a) == load(b)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary", nargs="?", default="target/release/govmedia")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--browser", default="/usr/bin/chromium")
    parser.add_argument("--no-render-all", action="store_true", help="skip the minutes-long --render-all stage")
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

        imported = stage("import", [[binary, "import", data, "--db", db]] * args.runs, before=new_db)
        # A browser path that does not exist: no browser, the mobile check is not evaluated.
        # --fresh: every account checked, as in a first evaluation.
        evaluate = [binary, "evaluate", "--db", db, "--offline", "--browser", os.path.join(work, "no-browser"),
                    "--out", out]
        offline = stage(f"evaluate ({articles:,} articles, offline, no browser)", [evaluate + ["--fresh"]] * args.runs,
                        articles=articles)
        # Without --fresh, after an evaluation with the same settings: the content checks'
        # outcomes of accounts whose data did not change are reused.
        subprocess.run(evaluate, check=True, stdout=subprocess.DEVNULL)
        stage("evaluate again, data unchanged (content outcomes remembered)", [evaluate] * args.runs,
              articles=articles)
        report = [binary, "report", "--results", os.path.join(out, "results.json"), "--out", rep]
        reported = stage("report", [report] * args.runs, before=lambda: shutil.rmtree(rep, ignore_errors=True))
        if not os.path.exists(args.browser):
            print(f"browser stages skipped: {args.browser} not found")
            return
        fast_out, full_out = os.path.join(work, "fast"), os.path.join(work, "full")
        with_browser = [binary, "evaluate", "--db", db, "--offline", "--fresh", "--browser", args.browser,
                        "--out", fast_out]
        fast = stage("evaluate (offline, Chromium on the snapshot pages, fast path)", [with_browser] * args.runs,
                     articles=articles)
        print(f"whole survey (import + evaluate with the browser + report): {imported + fast + reported:.1f} s",
              flush=True)
        if not args.no_render_all:
            full = with_browser[:-1] + [full_out, "--render-all"]
            secs = stage("evaluate (offline, Chromium, --render-all)", [full], articles=articles)
            # The browser stage: evaluation with the browser beyond evaluation without it.
            ratio = (secs - offline) / max(fast - offline, 0.01)
            print(f"browser stage: fast path {fast - offline:.1f} s, --render-all {secs - offline:.1f} s "
                  f"({ratio:.0f}x); same results: {'yes' if same_results(fast_out, full_out) else 'NO'}", flush=True)
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
