#!/usr/bin/env python3
"""Distributed evaluation on PostgreSQL: one worker against several. A monitor corpus is
generated (`govmedia generate --accounts N --articles-per-account M`) and imported into the
PostgreSQL database given with --db (use an empty throwaway database: `scripts/throwaway-postgres`);
then, for each worker count, `govmedia evaluate --distributed` enqueues a run and that many
`govmedia worker --exit-when-idle` processes do it. Each worker is limited to --threads threads
(RAYON_NUM_THREADS), so that on one machine the workers stand for machines of that many cores.
Printed: the run's seconds (enqueue to results written), articles/s, the speed-up over one
worker, and the peak RSS of the coordinator and of each worker (the one that did the run's
prepare job holds the corpus's signatures for a while; the others only what was prepared). The in-process evaluation
of the same database, with the same thread limit, is printed first for reference.

Usage: python3 benches/distributed_bench.py [path/to/govmedia] --db postgres://…
       [--articles 100000] [--per-account 100] [--workers 1,2] [--threads 1] [--skip-in-process]
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

PROBE = ("import resource, subprocess, sys; "
         "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def probed(cmd, env, **kw):
    """Starts `cmd` under a probe that prints its peak RSS (KB) when it ends."""
    return subprocess.Popen([sys.executable, "-c", PROBE, *cmd], env=env, stdout=subprocess.PIPE, text=True, **kw)


def rss_mb(proc):
    out, _ = proc.communicate()
    if proc.returncode != 0:
        sys.exit(f"a process failed: {proc.args}")
    return int(out.split()[-1]) / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary", nargs="?", default="target/release/govmedia")
    ap.add_argument("--db", required=True)
    ap.add_argument("--articles", type=int, default=100000)
    ap.add_argument("--per-account", type=int, default=100)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--skip-in-process", action="store_true",
                    help="only the distributed runs (scale_bench.py measures in-process evaluation)")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    work = tempfile.mkdtemp(prefix="govmedia-distributed-")
    env = dict(os.environ, RAYON_NUM_THREADS=str(args.threads))
    no_browser = ["--browser", os.path.join(work, "no-browser")]
    try:
        data = os.path.join(work, "data")
        accounts = max(1, args.articles // args.per_account)
        subprocess.run([binary, "generate", "--accounts", str(accounts), "--articles-per-account",
                        str(args.per_account), "--out", data], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([binary, "import", data, "--db", args.db], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        print(f"{args.articles:,} articles, {accounts:,} accounts; {args.threads} thread(s) per process")
        if not args.skip_in_process:
            t = time.perf_counter()
            rss = rss_mb(probed([binary, "evaluate", "--db", args.db, "--offline", *no_browser,
                                 "--out", os.path.join(work, "in-process")], env))
            base = time.perf_counter() - t
            print(f"{'in-process':>12} | {base:>7.1f}s {args.articles / base:>9,.0f}/s | RSS {rss:>5.0f}MB", flush=True)
        one = None
        for n in [int(x) for x in args.workers.split(",")]:
            out = os.path.join(work, f"workers-{n}")
            t = time.perf_counter()
            coordinator = subprocess.Popen(
                [sys.executable, "-c", PROBE.replace("stderr=subprocess.DEVNULL", "stderr=None"), binary, "evaluate",
                 "--db", args.db, "--offline", *no_browser, "--distributed", "--out", out],
                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            # The coordinator says when the run's jobs are queued.
            for line in coordinator.stderr:
                if "任务队列" in line:
                    break
            workers = [probed([binary, "worker", "--db", args.db, "--exit-when-idle"], env) for _ in range(n)]
            drain = threading.Thread(target=coordinator.stderr.read)
            drain.start()
            worker_rss = sorted(rss_mb(w) for w in workers)
            drain.join()
            coordinator_rss = rss_mb(coordinator)
            secs = time.perf_counter() - t
            one = one or secs
            print(f"{n:>4} worker(s) | {secs:>7.1f}s {args.articles / secs:>9,.0f}/s | ×{one / secs:.2f} | "
                  f"RSS coordinator {coordinator_rss:>5.0f}MB, workers {', '.join(f'{r:.0f}' for r in worker_rss)}MB",
                  flush=True)
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
