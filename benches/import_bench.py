#!/usr/bin/env python3
"""Import benchmark: articles/s and peak memory of `govmedia import` on the national-scale
generated survey (682 accounts, ~30,000 articles; median and best of 5 imports into a new database), and on the same survey with its articles
file repeated five times (new URLs) to show that memory does not grow with file size.
Last, the ceiling: SQLite alone inserting the same articles, already parsed, into the same
table on one thread (Python's sqlite3; no JSON work, no foreign keys), with the shipped
rollback journal and with no journal, no sync and no secondary index at all.

Usage: python3 benches/import_bench.py [path/to/govmedia]   (default: target/release/govmedia)
"""

import glob
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

# Shared virtual machines vary from run to run by ±30 %: the median says what to expect.
RUNS = 5


def run_import(binary, dataset, db):
    """Runs one import in a fresh child process; returns (seconds, peak RSS in MB of that import)."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
             "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, binary, "import", dataset, "--db", db],
                         check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), int(out[1]) / 1024


def sqlite_ceiling(articles_path, db, bare):
    """Rows/s of SQLite inserting pre-parsed articles (the raw JSON line as `data`)."""
    rows = []
    with open(articles_path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            rows.append((r["url"], r["account"], r["title"], 0, r.get("position"), None, 0, 0, line))
    for f in glob.glob(db + "*"):
        os.remove(f)
    conn = sqlite3.connect(db, isolation_level=None)
    journal = "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" if bare else \
        "PRAGMA journal_mode = DELETE; PRAGMA synchronous = NORMAL;"
    indexes = "" if bare else """CREATE INDEX articles_account_time ON articles (account, published_at);
        CREATE INDEX articles_account_title ON articles (account, title);"""
    conn.executescript(f"""PRAGMA page_size = 16384; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;
        PRAGMA locking_mode = EXCLUSIVE; {journal}
        CREATE TABLE articles (url TEXT PRIMARY KEY, account TEXT NOT NULL, title TEXT NOT NULL,
          published_at BIGINT NOT NULL, position INTEGER, reads BIGINT,
          reads_capped INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0, data TEXT NOT NULL);
        {indexes}""")
    os.sync()
    t = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.execute("COMMIT")
    secs = time.perf_counter() - t
    conn.close()
    return len(rows) / secs


def count_lines(path):
    with open(path, "rb") as f:
        return sum(1 for _ in f)


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "target/release/govmedia")
    work = tempfile.mkdtemp(prefix="govmedia-bench-")
    try:
        national = os.path.join(work, "national")
        subprocess.run([binary, "generate", "--scale", "national-2025", "--out", national], check=True,
                       stdout=subprocess.DEVNULL)
        big = os.path.join(work, "national-x5")
        shutil.copytree(national, big)
        with open(os.path.join(national, "articles.jsonl"), encoding="utf-8") as src, \
                open(os.path.join(big, "articles.jsonl"), "w", encoding="utf-8") as dst:
            lines = src.readlines()
            for copy in range(5):
                for line in lines:
                    rec = json.loads(line)
                    rec["url"] = f"{rec['url']}#copy{copy}"
                    rec["title"] = f"{rec['title']}（{copy}）"
                    dst.write(json.dumps(rec, ensure_ascii=False) + "\n")
        for name, ds in [("national-2025", national), ("national-2025 x5", big)]:
            articles = count_lines(os.path.join(ds, "articles.jsonl"))
            size = os.path.getsize(os.path.join(ds, "articles.jsonl")) / 1e6
            db = os.path.join(work, name.replace(" ", "") + ".db")
            runs = []
            for _ in range(RUNS):
                for f in glob.glob(db + "*"):
                    os.remove(f)
                # Flush the files written so far, so that their writeback does not land in the timing.
                os.sync()
                time.sleep(2)
                runs.append(run_import(binary, ds, db))
            runs.sort()
            secs = runs[len(runs) // 2][0]
            best = runs[0][0]
            print(f"{name}: {articles} articles ({size:.0f} MB JSONL) in {secs:.2f} s = "
                  f"{articles / secs:,.0f} articles/s, {size / secs:.0f} MB/s (median of {RUNS}; best "
                  f"{articles / best:,.0f} articles/s); peak RSS {max(p for _, p in runs):.0f} MB")
        articles = os.path.join(national, "articles.jsonl")
        db = os.path.join(work, "ceiling.db")
        for bare, what in [(False, "rollback journal, same indexes"),
                           (True, "no journal, no sync, no secondary index")]:
            rates = sorted(sqlite_ceiling(articles, db, bare) for _ in range(RUNS))
            print(f"SQLite alone ({what}, SQLite {sqlite3.sqlite_version}): "
                  f"{rates[len(rates) // 2]:,.0f} rows/s (median of {RUNS}; best {rates[-1]:,.0f})")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
