//! Hostile canonical files: each is refused with a Chinese reason naming file, line and field,
//! in bounded memory, instead of exhausting the machine or silently reading wrong data.

use std::io::Write;
use std::path::Path;

use govmedia_ingest::canonical::{Kind, read_csv, read_jsonl};
use govmedia_ingest::{Record, RecordError, xlsx};

/// Every record or the first error.
fn collect(
    read: impl FnOnce(&mut dyn FnMut(u64, Result<Record, RecordError>) -> bool) -> Result<(), RecordError>,
) -> Result<Vec<Record>, RecordError> {
    let mut out = Vec::new();
    let mut first_err = None;
    read(&mut |_, r| match r {
        Ok(rec) => {
            out.push(rec);
            true
        }
        Err(e) => {
            first_err = Some(e);
            false
        }
    })?;
    first_err.map_or(Ok(out), Err)
}

/// A workbook with the given sheet XML (followed by `padding` spaces) and shared strings,
/// written by hand (the parts a reader needs).
fn workbook(sheet: &str, padding: usize, shared: Option<&str>) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut part = |name: &str, body: &str| {
        zip.start_file(name, opts).unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    };
    part(
        "[Content_Types].xml",
        r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
    );
    part(
        "_rels/.rels",
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    part(
        "xl/workbook.xml",
        r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
    );
    part(
        "xl/_rels/workbook.xml.rels",
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
    );
    part("xl/worksheets/sheet1.xml", sheet);
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..padding >> 20 {
        zip.write_all(&chunk).unwrap();
    }
    let mut part = |name: &str, body: &str| {
        zip.start_file(name, opts).unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    };
    if let Some(s) = shared {
        part("xl/sharedStrings.xml", s);
    }
    zip.finish().unwrap().into_inner()
}

fn sheet(rows: &str, dimension: &str) -> String {
    format!(
        r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>"#
    )
}

fn cell(r: &str, text: &str) -> String {
    format!(r#"<c r="{r}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

#[test]
fn a_cell_at_the_last_position_of_a_sheet_costs_nothing() {
    let head = ["id", "name", "owner", "level"]
        .iter()
        .zip('A'..)
        .map(|(t, c)| cell(&format!("{c}1"), t))
        .collect::<String>();
    let row = ["gh_a", "某市发布", "某市人民政府办公室", "prefecture"]
        .iter()
        .zip('A'..)
        .map(|(t, c)| cell(&format!("{c}2"), t))
        .collect::<String>();
    let rows = format!(
        r#"<row r="1">{head}</row><row r="2">{row}</row><row r="1048576">{}</row>"#,
        cell("XFD1048576", "x")
    );
    let bytes = workbook(&sheet(&rows, "A1:XFD1048576"), 0, None);
    assert!(bytes.len() < 4096);
    // The old reader allocated the whole 1048576 × 16384 sheet (24 GB until the OOM killer).
    let recs = collect(|each| xlsx::read(Path::new("accounts.xlsx"), &bytes, Kind::Accounts, each)).unwrap();
    assert_eq!(recs.len(), 1, "the far cell has no column name and is not part of the table");
    assert!(matches!(&recs[0], Record::Account(a) if a.name == "某市发布"));
}

#[test]
fn a_workbook_that_inflates_beyond_the_limit_is_refused() {
    // 300 MB of spaces after the sheet compress to a few hundred KB.
    let bytes = workbook(&sheet(&format!("<row r=\"1\">{}</row>", cell("A1", "id")), "A1"), 300 << 20, None);
    assert!(bytes.len() < 2 << 20, "{} bytes", bytes.len());
    let e = collect(|each| xlsx::read(Path::new("accounts.xlsx"), &bytes, Kind::Accounts, each)).unwrap_err();
    assert!(e.reason.contains("压缩炸弹"), "{e}");
}

#[test]
fn shared_strings_announcing_more_than_they_hold_are_refused() {
    let shared = r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="4000000000"><si><t>id</t></si></sst>"#;
    let bytes = workbook(&sheet(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#, "A1"), 0, Some(shared));
    let e = collect(|each| xlsx::read(Path::new("accounts.xlsx"), &bytes, Kind::Accounts, each)).unwrap_err();
    assert!(e.reason.contains("共享字符串"), "{e}");
}

#[test]
fn an_unterminated_quote_in_a_csv_is_an_error_with_its_line() {
    let csv = "id,name,owner,level\ngh_a,\"某市发布,某市人民政府办公室,prefecture\ngh_b,某省教育,某省教育厅,province_dept\n";
    let e = collect(|each| read_csv(Path::new("accounts.csv"), csv.as_bytes(), Kind::Accounts, each))
        .unwrap_err();
    assert_eq!(e.line, Some(2), "{e}");
    assert!(e.reason.contains("引号未闭合"), "{e}");
    // Quotes that close, with escaped quotes and line breaks inside, are fine.
    let ok = "id,name,owner,level\ngh_a,\"某市\"\"发布\"\"\",\"某市\n办公室\",prefecture\n";
    assert_eq!(
        collect(|each| read_csv(Path::new("a.csv"), ok.as_bytes(), Kind::Accounts, each)).unwrap().len(),
        1
    );
}

#[test]
fn a_huge_jsonl_line_is_refused_with_its_line() {
    let mut text =
        String::from("{\"id\":\"gh_a\",\"name\":\"n\",\"owner\":\"o\",\"level\":\"prefecture\"}\n");
    text.push_str(&format!("{{\"id\":\"{}\"}}\n", "x".repeat(65 << 20)));
    let e = collect(|each| {
        read_jsonl(Path::new("accounts.jsonl"), text.as_bytes(), Kind::Accounts, |l, r, _| each(l, r))
    })
    .unwrap_err();
    assert_eq!(e.line, Some(2));
    assert!(e.reason.contains("64 MB"), "{e}");
}

#[test]
fn duplicate_keys_and_escaping_snapshot_files_are_refused() {
    let cases = [
        (
            Kind::Accounts,
            r#"{"id":"a","name":"n","owner":"o","level":"prefecture","x":1,"x":2}"#,
            "字段“x”重复出现",
        ),
        (
            Kind::Accounts,
            r#"{"id":"a","id":"b","name":"n","owner":"o","level":"prefecture"}"#,
            "字段重复出现",
        ),
        (
            Kind::Pages,
            r#"{"url":"https://a/","fetched_at":"2025-03-01","body":"../../etc/passwd"}"#,
            "pages/",
        ),
        (Kind::Pages, r#"{"url":"https://a/","fetched_at":"2025-03-01","body":"/etc/passwd"}"#, "pages/"),
        (Kind::Pages, r#"{"url":"https://a/","fetched_at":"2025-03-01","body":"pages/../../x"}"#, "pages/"),
        (Kind::Pages, r#"{"url":"https://a/","fetched_at":"2025-03-01","screenshot":"../x.png"}"#, "pages/"),
        (
            Kind::Articles,
            r#"{"account":"a","url":"u","title":"t","published_at":"-0001-01-01 00:00:00"}"#,
            "超出允许范围",
        ),
        (
            Kind::Articles,
            r#"{"account":"a","url":"u","title":"t","published_at":"2025-01-01","reads":9223372036854775808}"#,
            "超出范围",
        ),
    ];
    for (kind, line, want) in cases {
        let e = collect(|each| read_jsonl(Path::new("x.jsonl"), line.as_bytes(), kind, |l, r, _| each(l, r)))
            .unwrap_err();
        assert!(e.to_string().contains(want), "{line}: {e}");
    }
    let ok = r#"{"url":"https://a/","fetched_at":"2025-03-01","body":"pages/a.html"}"#;
    assert!(
        collect(|each| read_jsonl(Path::new("x.jsonl"), ok.as_bytes(), Kind::Pages, |l, r, _| each(l, r)))
            .is_ok()
    );
}
