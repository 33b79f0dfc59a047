#!/usr/bin/env python3
"""`govmedia serve` under load, on the national-scale generated survey (682 accounts, ~30,000
articles): the survey is generated, imported into a new SQLite database and evaluated offline,
an evaluator logs in, and wrk (Debian package `wrk`) requests the account page (a different
account on every request) and the rankings page over loopback for a fixed time with a few
connections. The bench prints requests/s and the latency at p50, p90 and p99 for each page.

Usage: python3 benches/serve_bench.py [path/to/govmedia] [--seconds S] [--connections C]
       [--threads T] [--data DIR]
       (default: target/release/govmedia, 20 s, 8 connections, 2 wrk threads; DIR keeps the
       generated survey and its database between runs)
"""

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

ACCOUNT_SCRIPT = """
-- One account per request, in turn, from the ids the bench wrote.
local ids = {}
for line in io.lines(os.getenv("GOVMEDIA_BENCH_IDS")) do ids[#ids + 1] = line end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/accounts/" .. ids[(n % #ids) + 1])
end
"""


def run(cmd, **kw):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kw)


def prepare(binary, data):
    """The national survey, imported and evaluated (once per data directory)."""
    db = os.path.join(data, "govmedia.db")
    if os.path.exists(os.path.join(data, "evaluated")):
        return db
    survey = os.path.join(data, "survey")
    shutil.rmtree(survey, ignore_errors=True)
    if os.path.exists(db):
        os.remove(db)
    print("generating, importing and evaluating national-2025 …", flush=True)
    run([binary, "generate", "--scale", "national-2025", "--out", survey])
    run([binary, "import", survey, "--db", db])
    run([binary, "evaluate", "--db", db, "--offline", "--out", os.path.join(data, "out")], stderr=subprocess.DEVNULL)
    env = dict(os.environ, GOVMEDIA_PASSWORD="serve-bench-password")
    run([binary, "user", "add", "bench", "--role", "evaluator", "--db", db], env=env)
    open(os.path.join(data, "evaluated"), "w").close()
    return db


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def login(base):
    """A session cookie for the bench user."""
    body = urllib.parse.urlencode({"name": "bench", "password": "serve-bench-password"}).encode()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(base + "/login", body)
    except urllib.error.HTTPError as e:
        cookie = e.headers.get("Set-Cookie", "")
        if e.code == 303 and cookie:
            return cookie.split(";")[0]
        raise
    sys.exit("login did not answer with a session")


def wrk(url, cookie, args, script=None):
    cmd = ["wrk", "-t", str(args.threads), "-c", str(args.connections), "-d", f"{args.seconds}s", "--latency",
           "-H", f"Cookie: {cookie}", url]
    if script:
        cmd[1:1] = ["-s", script]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = {p: m for p, m in re.findall(r"^\s+(50|90|99)%\s+(\S+)", out, re.M)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, lat, int(errors.group(1)) if errors else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary", nargs="?", default="target/release/govmedia")
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--data")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    binary = os.path.abspath(args.binary)
    data = args.data or tempfile.mkdtemp(prefix="govmedia-serve-bench-")
    os.makedirs(data, exist_ok=True)
    db = prepare(binary, data)
    ids = [a["id"] for a in json.load(open(os.path.join(data, "out", "results.json")))["accounts"]]
    ids_file = os.path.join(data, "ids.txt")
    with open(ids_file, "w") as f:
        f.write("\n".join(urllib.parse.quote(i, safe="") for i in ids) + "\n")
    script = os.path.join(data, "accounts.lua")
    with open(script, "w") as f:
        f.write(ACCOUNT_SCRIPT)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([binary, "serve", "--db", db, "--listen", f"127.0.0.1:{port}", "--no-evaluate"],
                              stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/login")
                break
            except OSError:
                time.sleep(0.1)
        cookie = login(base)
        # The first request reads the run into memory; the bench measures the served state.
        req = urllib.request.Request(base + "/rankings", headers={"Cookie": cookie})
        urllib.request.urlopen(req).read()
        os.environ["GOVMEDIA_BENCH_IDS"] = ids_file
        print(f"{len(ids)} accounts; wrk: {args.threads} threads, {args.connections} connections, {args.seconds} s per page")
        for name, url, lua in [("account page", base + "/", script), ("rankings page", base + "/rankings", None)]:
            rps, lat, errors = wrk(url, cookie, args, lua)
            print(f"{name}: {rps:,.0f} requests/s, latency p50 {lat.get('50')}, p90 {lat.get('90')}, "
                  f"p99 {lat.get('99')}" + (f", {errors} non-2xx answers" if errors else ""), flush=True)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
