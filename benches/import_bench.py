#!/usr/bin/env python3
"""Import benchmark, for both storage backends, each beside its own ceiling measured in the
same run.

For each backend, `govmedia import` of the national-scale generated survey (682 accounts,
~30,000 articles) into a new database: articles/s and the peak RSS of the govmedia process
(median and best of 5); then the same for the articles file alone, imported into a database
that already holds the rest of the dataset — the work the ceilings time, plus govmedia's
process start, parsing, validation and masking (and the accounts file again, which a dataset
must have). SQLite also imports the same survey with its articles file repeated five
times (new URLs), to show that memory does not grow with file size.

The ceilings: what the database itself takes for the same article and comment rows, already
parsed and serialised, into the same schema after the same accounts:
- SQLite: Python's sqlite3 inserting the rows in one transaction on one thread, with govmedia's
  settings (rollback journal, same indexes and foreign keys);
- PostgreSQL: `COPY … FROM` of the rows (text format, written beforehand) by psql, into
  govmedia's own tables (same indexes and foreign keys).

Usage: python3 benches/import_bench.py [path/to/govmedia] [--backend sqlite|postgres|both]
PostgreSQL needs Debian's `postgresql` package: the bench starts a throwaway server of its own
(scripts/throwaway-postgres) with default settings (fsync on).
"""

import argparse
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
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(cmd):
    """Runs `cmd` in a fresh child process; returns (seconds, peak RSS in MB of that child)."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
             "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, *cmd], check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), int(out[1]) / 1024


def summary(rates):
    rates = sorted(rates)
    return rates[len(rates) // 2], rates[-1]


def rows_of(dataset):
    """The article and comment rows govmedia stores for the dataset (comments unmasked)."""
    articles, comments = [], []
    with open(os.path.join(dataset, "articles.jsonl"), encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            cs = r.pop("comments", [])
            reads = r.get("reads")
            capped = isinstance(reads, str) and reads.endswith("万+")
            reads = 100001 if capped else reads
            articles.append((r["url"], r["account"], r["title"], 0, r.get("position"), reads, int(capped), 0,
                             json.dumps(r, ensure_ascii=False)))
            for i, c in enumerate(cs):
                reply = c.get("reply") or {}
                comments.append((r["url"], i, c.get("id"), 0, c["text"], c.get("likes"), None,
                                 reply.get("text"), 0 if reply else None, 0, 0, 0, 0))
    return articles, comments


def without_articles(dataset, work):
    """A copy of the dataset with no articles: the accounts (and the rest) the rows refer to."""
    d = os.path.join(work, "no-articles")
    if not os.path.isdir(d):
        shutil.copytree(dataset, d)
        os.remove(os.path.join(d, "articles.jsonl"))
    return d


ARTICLE_COLS = "url, account, title, published_at, position, reads, reads_capped, deleted, data"
COMMENT_COLS = ("article_url, seq, comment_id, created_at, text, likes, featured, reply_text, reply_at, "
                "masked_phone, masked_id_number, masked_bank_card, masked_email")


def articles_only(dataset, work):
    """A dataset directory holding only the articles file and the accounts file a dataset
    needs (linked, not copied)."""
    d = os.path.join(work, "articles-only")
    if not os.path.isdir(d):
        os.mkdir(d)
        for name in ("accounts.jsonl", "articles.jsonl"):
            os.symlink(os.path.join(dataset, name), os.path.join(d, name))
    return d


def article_phase(binary, dataset, work, db):
    """govmedia's import of the articles file alone into `db`, which already holds the rest of
    the dataset: the same work the ceilings time, plus the process, parsing and masking."""
    subprocess.run([binary, "import", without_articles(dataset, work), "--db", db], check=True,
                   stdout=subprocess.DEVNULL)
    os.sync()
    time.sleep(1)
    return timed([binary, "import", articles_only(dataset, work), "--db", db])


# --- SQLite -------------------------------------------------------------------------------------

def sqlite_import(binary, dataset, db):
    for f in glob.glob(db + "*"):
        os.remove(f)
    os.sync()
    time.sleep(1)
    return timed([binary, "import", dataset, "--db", db])


def sqlite_ceiling(binary, dataset, work, rows):
    db = os.path.join(work, "ceiling.db")
    for f in glob.glob(db + "*"):
        os.remove(f)
    subprocess.run([binary, "import", without_articles(dataset, work), "--db", db], check=True,
                   stdout=subprocess.DEVNULL)
    articles, comments = rows
    conn = sqlite3.connect(db, isolation_level=None)
    conn.executescript("PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = ON; "
                       "PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = DELETE; PRAGMA synchronous = NORMAL;")
    os.sync()
    t = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(f"INSERT INTO articles ({ARTICLE_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", articles)
    conn.executemany(f"INSERT INTO comments ({COMMENT_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     comments)
    conn.execute("COMMIT")
    secs = time.perf_counter() - t
    conn.close()
    return len(articles) / secs


# --- PostgreSQL ---------------------------------------------------------------------------------

def psql(url, sql):
    quiet = dict(os.environ, PGOPTIONS="-c client_min_messages=warning")
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql], check=True,
                   stdout=subprocess.DEVNULL, env=quiet)


def fresh_database(admin, name):
    psql(admin, f"DROP DATABASE IF EXISTS {name}")
    psql(admin, f"CREATE DATABASE {name}")
    return admin.rsplit("/", 1)[0] + "/" + name


def copy_text(value):
    if value is None:
        return r"\N"
    s = str(value)
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def write_copy_file(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write("\t".join(copy_text(v) for v in r) + "\n")


def pg_ceiling(binary, dataset, work, admin, files, n, run):
    url = fresh_database(admin, f"ceiling_{run}")
    subprocess.run([binary, "import", without_articles(dataset, work), "--db", url], check=True,
                   stdout=subprocess.DEVNULL)
    a, c = files
    t = time.perf_counter()
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url,
                    "-c", "BEGIN", "-c", f"\\copy articles ({ARTICLE_COLS}) FROM '{a}'",
                    "-c", f"\\copy comments ({COMMENT_COLS}) FROM '{c}'", "-c", "COMMIT"],
                   check=True, stdout=subprocess.DEVNULL)
    return n / (time.perf_counter() - t)


def count_lines(path):
    with open(path, "rb") as f:
        return sum(1 for _ in f)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary", nargs="?", default="target/release/govmedia")
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    work = tempfile.mkdtemp(prefix="govmedia-bench-")
    # Its own directory under /tmp: the server runs as another user (postgres) when the bench
    # runs as root, and could not enter `work`.
    pgdir = tempfile.mkdtemp(prefix="govmedia-bench-pg-")
    try:
        national = os.path.join(work, "national")
        subprocess.run([binary, "generate", "--scale", "national-2025", "--out", national], check=True,
                       stdout=subprocess.DEVNULL)
        articles = count_lines(os.path.join(national, "articles.jsonl"))
        size = os.path.getsize(os.path.join(national, "articles.jsonl")) / 1e6
        rows = rows_of(national)

        def report(name, n, runs, ceiling=None):
            secs = sorted(runs)[len(runs) // 2][0]
            best = min(runs)[0]
            line = (f"{name}: {n} articles in {secs:.2f} s = {n / secs:,.0f} articles/s (median of {RUNS}; best "
                    f"{n / best:,.0f}); peak RSS of govmedia {max(p for _, p in runs):.0f} MB")
            if ceiling:
                line += f"; {100 * n / secs / ceiling:.0f} % of the ceiling"
            print(line, flush=True)

        if args.backend in ("sqlite", "both"):
            ceiling, best = summary(sqlite_ceiling(binary, national, work, rows) for _ in range(RUNS))
            print(f"SQLite ceiling (Python sqlite3 {sqlite3.sqlite_version}, same rows and schema): "
                  f"{ceiling:,.0f} articles/s (median of {RUNS}; best {best:,.0f})", flush=True)
            db = os.path.join(work, "national.db")
            report(f"govmedia import, SQLite ({size:.0f} MB JSONL), the whole dataset", articles,
                   [sqlite_import(binary, national, db) for _ in range(RUNS)], ceiling)
            phase = []
            for _ in range(RUNS):
                for f in glob.glob(db + "*"):
                    os.remove(f)
                phase.append(article_phase(binary, national, work, db))
            report("govmedia import, SQLite, the articles file after the rest (what the ceiling times)", articles,
                   phase, ceiling)
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
            report("govmedia import, SQLite, articles x5", 5 * articles,
                   [sqlite_import(binary, big, db) for _ in range(RUNS)])

        if args.backend in ("postgres", "both"):
            admin = subprocess.run([os.path.join(REPO, "scripts", "throwaway-postgres"), "start", pgdir],
                                   check=True, capture_output=True, text=True).stdout.strip()
            files = (os.path.join(work, "articles.copy"), os.path.join(work, "comments.copy"))
            write_copy_file(files[0], rows[0])
            write_copy_file(files[1], rows[1])
            ceiling, best = summary(pg_ceiling(binary, national, work, admin, files, articles, i) for i in range(RUNS))
            print(f"PostgreSQL ceiling (COPY by psql, same rows and schema): {ceiling:,.0f} articles/s "
                  f"(median of {RUNS}; best {best:,.0f})", flush=True)
            runs = []
            for i in range(RUNS):
                url = fresh_database(admin, f"bench_{i}")
                runs.append(timed([binary, "import", national, "--db", url]))
            report("govmedia import, PostgreSQL, the whole dataset", articles, runs, ceiling)
            phase = [article_phase(binary, national, work, fresh_database(admin, f"phase_{i}")) for i in range(RUNS)]
            report("govmedia import, PostgreSQL, the articles file after the rest (what the ceiling times)", articles,
                   phase, ceiling)
            url = fresh_database(admin, "again")
            subprocess.run([binary, "import", national, "--db", url], check=True, stdout=subprocess.DEVNULL)
            again = [timed([binary, "import", national, "--db", url]) for _ in range(RUNS)]
            report("govmedia import, PostgreSQL, the same survey again (every article an upsert)", articles, again)
    finally:
        if os.path.isdir(os.path.join(pgdir, "data")):
            subprocess.run([os.path.join(REPO, "scripts", "throwaway-postgres"), "stop", pgdir])
        shutil.rmtree(pgdir, ignore_errors=True)
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
