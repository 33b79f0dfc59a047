#!/usr/bin/env bash
# Runs the Rust content pipeline benchmark and the Python reference on the same generated
# national-scale corpus, and prints the ratio. Usage: benches/python/run.sh [PY_LIMIT]
# (the Python side is slow: it reads the first PY_LIMIT articles, default 2000).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
corpus="$(mktemp -d)/corpus.jsonl"
limit="${1:-2000}"
cd "$root"
cargo run --quiet --release -p govmedia-content --example bench_pipeline -- --write-corpus "$corpus" | tee /tmp/govmedia-bench-rust.txt
python3 "$here/reference.py" "$corpus" --limit "$limit" | tee /tmp/govmedia-bench-py.txt
rust=$(sed -n 's/^RESULT rust_articles_per_s=//p' /tmp/govmedia-bench-rust.txt)
py=$(sed -n 's/^RESULT python_articles_per_s=//p' /tmp/govmedia-bench-py.txt)
python3 -c "print(f'ratio rust/python: {float($rust) / float($py):.1f}x')"
