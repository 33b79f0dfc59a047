#!/usr/bin/env python3
"""Evaluation at monitor scale, in one process: for each size, a national monitor is generated
(`govmedia generate --accounts N --articles-per-account M`: the national survey's accounts, then
county governments and bureaus; 100 articles per account by default), imported into a new SQLite
database, and evaluated offline without a browser or AI: with `--fresh` (nothing remembered or
reused), then as a user runs it (the content checks' outcomes remembered in the database), then
again on the unchanged data (those outcomes reused). Each stage runs as its own process; the
bench prints its seconds, the articles/s of the fresh evaluation, the peak RSS of each process
and the size of the database, so that time and memory can be read against the number of
articles.

Usage: python3 benches/scale_bench.py [path/to/govmedia] [--articles 100000,300000]
       [--per-account 100] [--keep DIR]
       (default: target/release/govmedia; sizes in articles; DIR keeps the generated data)
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

PROBE = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
         "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
         "r = resource.getrusage(resource.RUSAGE_CHILDREN); "
         "print(time.perf_counter() - t, r.ru_utime + r.ru_stime, r.ru_maxrss)")


def timed(cmd):
    """(seconds, CPU seconds, peak RSS in MB) of `cmd` in a fresh process."""
    out = subprocess.run([sys.executable, "-c", PROBE, *cmd], check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), float(out[1]), int(out[2]) / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary", nargs="?", default="target/release/govmedia")
    ap.add_argument("--articles", default="100000,300000")
    ap.add_argument("--per-account", type=int, default=100)
    ap.add_argument("--keep")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    root = args.keep or tempfile.mkdtemp(prefix="govmedia-scale-")
    print(f"{'articles':>10} {'accounts':>9} | {'generate':>9} {'import':>9} {'evaluate':>9} {'articles/s':>10} "
          f"{'remember':>9} {'again':>9} | {'RSS gen':>8} {'RSS imp':>8} {'RSS eval':>8} {'RSS rem':>8} "
          f"{'RSS again':>9} | {'database':>8}")
    try:
        for total in [int(x) for x in args.articles.split(",")]:
            accounts = max(1, total // args.per_account)
            work = os.path.join(root, str(total))
            shutil.rmtree(work, ignore_errors=True)
            os.makedirs(work)
            data, db = os.path.join(work, "data"), os.path.join(work, "govmedia.db")
            gen = timed([binary, "generate", "--accounts", str(accounts), "--articles-per-account",
                         str(args.per_account), "--out", data])
            imp = timed([binary, "import", data, "--db", db])
            evaluate = [binary, "evaluate", "--db", db, "--offline", "--browser", os.path.join(work, "no-browser"),
                        "--out", os.path.join(work, "out")]
            ev = timed(evaluate + ["--fresh"])
            rem = timed(evaluate)
            again = timed(evaluate)
            print(f"{total:>10,} {accounts:>9,} | {gen[0]:>8.1f}s {imp[0]:>8.1f}s {ev[0]:>8.1f}s {total / ev[0]:>10,.0f} "
                  f"{rem[0]:>8.1f}s {again[0]:>8.1f}s | {gen[2]:>6.0f}MB {imp[2]:>6.0f}MB {ev[2]:>6.0f}MB "
                  f"{rem[2]:>6.0f}MB {again[2]:>7.0f}MB | {os.path.getsize(db) / 2**30:>6.1f}GB", flush=True)
            if not args.keep:
                shutil.rmtree(work)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
