"""Python reference for the content pipeline benchmark (crates/content/examples/bench_pipeline.rs).

Does the same per-article work with the usual Python tools: jieba segmentation (precise mode,
HMM on), pyahocorasick over the same shipped lexicons (folded the same way: NFKC, lower case,
traditional -> simplified table, punctuation dropped), regex PII detection with the ID check
digit and the Luhn check, and a datasketch MinHash (64 permutations) over character 5-grams.

Usage: python3 reference.py CORPUS.jsonl [--limit N]
Requires: pip install jieba pyahocorasick datasketch
"""

import json
import re
import sys
import time
import tomllib
import unicodedata
from pathlib import Path

import ahocorasick
import jieba
from datasketch import MinHash

ROOT = Path(__file__).resolve().parents[2]
LEX = ROOT / "lexicons"


def load_t2s():
    table = {}
    for line in (LEX / "t2s-chars.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and len(line) >= 2:
            table[ord(line[0])] = line[1]
    return table


T2S = load_t2s()


def fold(text):
    """Folded text and, per folded character, the index of the original character."""
    out, origin = [], []
    for i, c in enumerate(text):
        c = unicodedata.normalize("NFKC", c).lower()
        if len(c) != 1 or not c.isalnum():
            continue
        out.append(T2S.get(ord(c), c))
        origin.append(i)
    return "".join(out), origin


def load_automaton():
    a = ahocorasick.Automaton()
    n = 0
    for f in sorted(LEX.glob("*.toml")):
        d = tomllib.loads(f.read_text(encoding="utf-8"))
        if d.get("kind") not in ("deny", "allow", "wording"):
            continue
        terms = list(d.get("terms", [])) + [p["wrong"] for p in d.get("pairs", [])]
        for t in terms:
            ft, _ = fold(t)
            if ft:
                a.add_word(ft, (d["kind"], d.get("category", ""), t))
                n += 1
    a.make_automaton()
    return a, n


ID_RE = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
PHONE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
CARD_RE = re.compile(r"(?<!\d)\d{16,19}(?!\d)")
ID_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_ok(s):
    total = sum(int(c) * w for c, w in zip(s[:17], ID_W))
    return "10X98765432"[total % 11] == s[17].upper()


def luhn(s):
    total = 0
    for i, c in enumerate(reversed(s)):
        d = int(c)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def pii(text):
    n = sum(1 for m in ID_RE.finditer(text) if id_ok(m.group()))
    n += sum(1 for _ in PHONE_RE.finditer(text))
    n += sum(1 for m in CARD_RE.finditer(text) if luhn(m.group()))
    return n


def signature(folded):
    m = MinHash(num_perm=64)
    m.update_batch([folded[i:i + 5].encode("utf-8") for i in range(len(folded) - 4)])
    return m


def main():
    path = sys.argv[1]
    limit = int(sys.argv[sys.argv.index("--limit") + 1]) if "--limit" in sys.argv else None
    bodies = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            bodies.append(json.loads(line)["content"])
            if limit and len(bodies) >= limit:
                break
    t0 = time.perf_counter()
    jieba.initialize()
    automaton, n_terms = load_automaton()
    print(f"loaded jieba + {n_terms} lexicon terms in {time.perf_counter() - t0:.2f}s", file=sys.stderr)
    mb = sum(len(b.encode("utf-8")) for b in bodies) / 1e6
    start = time.perf_counter()
    check = 0
    for b in bodies:
        check += len(jieba.lcut(b))
        folded, _ = fold(b)
        check += sum(1 for _ in automaton.iter(folded))
        check += pii(b)
        if len(folded) >= 50:
            check += signature(folded).hashvalues[0] & 1
    s = time.perf_counter() - start
    print(f"python 1 process All: {len(bodies) / s:.1f} articles/s, {mb / s:.2f} MB/s ({len(bodies)} articles, {s:.1f}s)")
    print(f"RESULT python_articles_per_s={len(bodies) / s:.2f}")


if __name__ == "__main__":
    main()
