#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target under CORPUS/<target>/seed-*.

Seeds come from the repository (the sample survey, frameworks, lexicons) and, where present,
from the shared real data beside the project (feeds, history-API JSON, saved WeChat pages,
API fixtures, government texts). Inputs are kept small (a few records each) so that libFuzzer
mutates structure, not megabytes.

usage: seed.py CORPUS
"""

import csv
import io
import json
import sys
import zipfile
from pathlib import Path

FUZZ = Path(__file__).resolve().parent
REPO = FUZZ.parent
SHARED = REPO.parent / "shared" / "data"
SAMPLE = REPO / "examples" / "sample-survey"

# The first byte picks the record kind in the jsonl, csv and xlsx targets.
JSONL_KINDS = {"accounts": 0, "articles": 1, "menus": 2, "events": 3, "pages": 4}
TABLE_KINDS = {"accounts": 0, "articles": 1}
# Largest seed file taken whole; bigger files are left out (or cut into records).
MAX_SEED = 64 << 10


def writer(corpus: Path, target: str):
    out = corpus / target
    out.mkdir(parents=True, exist_ok=True)
    count = 0

    def write(data: bytes):
        nonlocal count
        (out / f"seed-{count:04}").write_bytes(data)
        count += 1

    return write


def chunks(lines, size):
    for i in range(0, len(lines), size):
        yield lines[i : i + size]


def jsonl_records(name):
    path = SAMPLE / f"{name}.jsonl"
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def flat_rows(name, limit):
    """Rows of the sample's JSONL as flat tables: scalar fields only, as CSV/XLSX carry them."""
    rows = []
    for line in jsonl_records(name)[:limit]:
        obj = json.loads(line)
        rows.append({k: v for k, v in obj.items() if not isinstance(v, (dict, list))})
    columns = sorted({k for r in rows for k in r})
    return columns, rows


def cell_text(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str) and len(v) > 400:
        return v[:400]
    return str(v)


def csv_bytes(columns, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([cell_text(r.get(c)) for c in columns])
    return buf.getvalue().encode("utf-8")


def xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def column_name(i):
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def xlsx_bytes(columns, rows, compression):
    """A minimal workbook: one sheet of inline strings (no shared-string table)."""
    sheet_rows = []
    for y, values in enumerate([columns] + [[cell_text(r.get(c)) for c in columns] for r in rows]):
        cells = "".join(
            f'<c r="{column_name(x)}{y + 1}" t="inlineStr"><is><t>{xml_escape(v)}</t></is></c>'
            for x, v in enumerate(values)
            if v != ""
        )
        sheet_rows.append(f'<row r="{y + 1}">{cells}</row>')
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + "".join(sheet_rows)
        + "</sheetData></worksheet>",
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, text in parts.items():
            z.writestr(name, text.encode("utf-8"))
    return buf.getvalue()


def small_files(paths, limit=MAX_SEED):
    for p in sorted(paths):
        if p.is_file() and p.stat().st_size <= limit:
            yield p.read_bytes()


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    corpus = Path(sys.argv[1])

    write = writer(corpus, "jsonl")
    for name, kind in JSONL_KINDS.items():
        for part in list(chunks(jsonl_records(name), 3))[:40]:
            write(bytes([kind]) + "\n".join(part).encode("utf-8") + b"\n")

    write_csv, write_xlsx = writer(corpus, "csv"), writer(corpus, "xlsx")
    for name, kind in TABLE_KINDS.items():
        columns, rows = flat_rows(name, 40)
        for part in chunks(rows, 4):
            write_csv(bytes([kind]) + csv_bytes(columns, part))
        for part in list(chunks(rows, 8))[:3]:
            for compression in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                write_xlsx(bytes([kind]) + xlsx_bytes(columns, part, compression))

    write = writer(corpus, "survey_toml")
    for data in small_files(REPO.glob("**/survey.toml")):
        write(data)

    write = writer(corpus, "framework")
    for data in small_files((REPO / "frameworks").glob("*.toml"), 256 << 10):
        write(data)

    write = writer(corpus, "lexicon")
    for data in small_files((REPO / "lexicons").glob("*.toml")):
        write(data)

    write = writer(corpus, "menu")
    for line in jsonl_records("menus")[:60]:
        write(json.dumps(json.loads(line)["menu"], ensure_ascii=False).encode("utf-8"))
    for name in ("get_current_selfmenu_info.json", "menu_get.json"):
        path = SHARED / "wechat" / "api-fixtures" / "wechatpy" / name
        if path.is_file():
            write(path.read_bytes())

    write = writer(corpus, "ai_answer")
    for answer in (
        '{"category": "政务服务", "confidence": 0.82, "reason": "办事指南"}',
        '```json\n{"category": "政策发布解读", "confidence": 0.9, "reason": "解读文件"}\n```',
        '{"original_insight": 6, "readability": 8, "usefulness": 7, "correct_wording": 9, "rationale": "结构清楚"}',
        '{"issues": [{"kind": "factual", "quote": "防汛工作", "suggestion": "核对日期", "severity": "major"}]}',
        '{"issues": [{"kind": "wording", "quote": "各区县", "suggestion": "", "severity": "minor"}]}',
        '{"problems": [{"kind": "答非所问", "score": 3, "reason": "未回应诉求"}]}',
        '{"relevant": true, "completeness": 8, "confidence": 0.7, "reason": "回复了办理地点"}',
        '好的，结果如下：{"relevant": false, "completeness": 2, "confidence": 0.6, "reason": "x"} 以上。',
    ):
        write(answer.encode("utf-8"))

    write = writer(corpus, "feed")
    for data in list(small_files((SHARED / "wechat" / "feeds-gov-2021").glob("**/*.xml")))[:80]:
        write(data)

    write = writer(corpus, "history")
    for data in small_files((SHARED / "wechat" / "history-api").glob("**/*.json"), 256 << 10):
        write(data)

    write = writer(corpus, "wechat_page")
    pages = SHARED / "wechat" / "article-pages"
    for data in small_files(list(pages.glob("*.html")) + list(pages.glob("*.md")), 128 << 10):
        write(data)
    for data in list(small_files((SAMPLE / "pages").glob("*.html"), 32 << 10))[:20]:
        write(data)

    write = writer(corpus, "pii")
    for text in (
        "请联系13812345678或拨打0571-87654321，邮箱 zhang.san@example.com。",
        "身份证号 11010519491231002X，银行卡 6222 0212 3456 7890 123。",
        "我的手机是 138 1234 5678，住在幸福小区 3 栋 2 单元 501 室。",
    ):
        write(text.encode("utf-8"))
    for line in jsonl_records("articles")[:200]:
        for comment in json.loads(line).get("comments") or []:
            for text in (comment.get("text"), (comment.get("reply") or {}).get("text")):
                if text:
                    write(text.encode("utf-8"))
    for data in list(small_files((SHARED / "gov-text").glob("**/*.md"), 32 << 10))[:40]:
        write(data)

    for target in sorted(p.name for p in corpus.iterdir()):
        print(f"{target}: {len(list((corpus / target).glob('seed-*')))} seeds")


if __name__ == "__main__":
    main()
