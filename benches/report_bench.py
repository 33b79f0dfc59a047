#!/usr/bin/env python3
"""Report benchmark on the national-scale generated survey (682 accounts, ~30,000 articles):
generate, import and evaluate it (offline, without the browser check), then time
`govmedia report` three times and print the median of the survey report (HTML, PDF, Excel)
and of the 682 diagnoses (HTML and PDF each), as the command itself reports them.

Usage: python3 benches/report_bench.py [path/to/govmedia]   (default: target/release/govmedia)
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "target/release/govmedia")
    work = tempfile.mkdtemp(prefix="govmedia-report-bench-")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "check": True}
    try:
        data, db, out = (os.path.join(work, n) for n in ("national", "national.db", "results"))
        subprocess.run([binary, "generate", "--scale", "national-2025", "--out", data], **quiet)
        subprocess.run([binary, "import", data, "--db", db], **quiet)
        # No browser: the mobile check would take most of an hour on 7,000 pages, and the
        # report does not depend on it.
        subprocess.run([binary, "evaluate", "--db", db, "--offline", "--browser", os.path.join(work, "none"),
                        "--out", out], **quiet)
        survey, diagnoses, total = [], [], []
        for _ in range(3):
            rep = os.path.join(work, "report")
            shutil.rmtree(rep, ignore_errors=True)
            t = time.perf_counter()
            text = subprocess.run([binary, "report", "--results", os.path.join(out, "results.json"), "--out", rep],
                                  check=True, capture_output=True, text=True).stdout
            total.append(time.perf_counter() - t)
            secs = [float(x) for x in re.findall(r"用时 ([0-9.]+) 秒", text)]
            survey.append(secs[0])
            diagnoses.append(secs[1])
        n = len(os.listdir(os.path.join(work, "report", "diagnoses"))) // 2
        print(f"survey report (HTML, PDF, Excel): {statistics.median(survey):.2f} s")
        print(f"{n} diagnoses (HTML + PDF): {statistics.median(diagnoses):.2f} s")
        print(f"govmedia report in all (load results.json, both): {statistics.median(total):.2f} s")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
