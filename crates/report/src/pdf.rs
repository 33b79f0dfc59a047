//! Renders a [`Doc`] as PDF with typst (as a library): real CJK typesetting with an embedded,
//! subset Noto Sans CJK SC, vector charts (the same SVG as the HTML), an outline, page numbers.
//!
//! All text enters typst as string literals (`#"…"`), so nothing in the data can be read as
//! markup. The document date is fixed from the results' check date, so the bytes are stable.

use std::fmt::Write;

use chrono::{Datelike, NaiveDate};
use typst_as_lib::TypstEngine;
use typst_layout::PagedDocument;

use crate::ReportError;
use crate::doc::{Block, Doc};
use crate::fonts::{FAMILY, Fonts};

/// Typesets `doc`; `date` becomes the PDF's creation date.
pub fn render(doc: &Doc, fonts: &Fonts, date: &NaiveDate) -> Result<Vec<u8>, ReportError> {
    let covered = |c: char| fonts.0.iter().any(|f| f.info().coverage.contains(c as u32));
    let (source, files) = source(doc, date, &covered);
    let engine = TypstEngine::builder()
        .main_file(source)
        .fonts(fonts.0.iter().cloned())
        .with_static_file_resolver(files.iter().map(|(name, svg)| (name.as_str(), svg.as_bytes())))
        .build();
    let compiled: PagedDocument = engine
        .compile()
        .output
        .map_err(|e| ReportError::Pdf { doc: doc.title.clone(), message: e.to_string() })?;
    typst_pdf::pdf(&compiled, &typst_pdf::PdfOptions::default()).map_err(|diags| ReportError::Pdf {
        doc: doc.title.clone(),
        message: diags.iter().map(|d| d.message.to_string()).collect::<Vec<_>>().join("；"),
    })
}

/// The typst source and the chart files it refers to.
/// Characters no loaded font covers (emoji in titles, rare symbols) are left out of the PDF
/// rather than printed as empty boxes; the HTML keeps them.
fn source(doc: &Doc, date: &NaiveDate, covered: &dyn Fn(char) -> bool) -> (String, Vec<(String, String)>) {
    let lit = |s: &str| lit(s, covered);
    let mut s = String::with_capacity(32 * 1024);
    let mut files = Vec::new();
    let title = lit(&doc.title);
    let _ = writeln!(
        s,
        "#set document(title: {title}, author: \"govmedia\", date: datetime(year: {}, month: {}, day: {}))",
        date.year(),
        date.month(),
        date.day()
    );
    let _ = writeln!(s, "#set text(font: \"{FAMILY}\", size: 10.5pt, lang: \"zh\", region: \"cn\")");
    s.push_str(PREAMBLE);
    if doc.toc {
        s.push_str("#set page(paper: \"a4\", margin: (x: 2.2cm, y: 2.5cm))\n");
        s.push_str("#align(center + horizon)[\n");
        let _ = writeln!(s, "#text(size: 24pt, weight: \"bold\", {title})\n#v(2em)");
        for l in &doc.cover_lines {
            let _ = writeln!(s, "#text(size: 12pt, {})\\", lit(l));
        }
        s.push_str("]\n");
        s.push_str("#set page(numbering: \"I\", footer: context align(center, text(size: 9pt, counter(page).display(\"I\"))))\n");
        s.push_str("#counter(page).update(1)\n#outline(title: \"目　录\", depth: 2)\n");
        s.push_str("#show heading.where(level: 1): it => { pagebreak(weak: true); it }\n");
        let _ = writeln!(
            s,
            "#set page(header: align(right, text(size: 8pt, fill: gray, {title})), {BODY_FOOTER})"
        );
        s.push_str("#counter(page).update(1)\n");
    } else {
        let _ = writeln!(
            s,
            "#set page(paper: \"a4\", margin: (x: 2cm, y: 2.2cm), header: align(right, text(size: 8pt, fill: gray, {title})), {BODY_FOOTER})"
        );
        let _ = writeln!(s, "#align(center, text(size: 18pt, weight: \"bold\", {title}))");
        for l in &doc.cover_lines {
            let _ = writeln!(s, "#align(center, text(size: 10pt, fill: rgb(\"#555\"), {}))", lit(l));
        }
        s.push_str("#v(1em)\n");
    }
    for b in &doc.blocks {
        match b {
            Block::Heading { level, text } => {
                let _ = writeln!(s, "#heading(level: {level}, {})", lit(text));
            }
            Block::Para(t) => {
                let _ = writeln!(s, "#par({})\n", lit(t));
            }
            Block::Note(t) => {
                let _ = writeln!(s, "#note({})\n", lit(t));
            }
            Block::Bullets(items) => {
                let list: Vec<_> = items.iter().map(|i| lit(i)).collect();
                let _ = writeln!(s, "#list({})", list.join(", "));
            }
            Block::Table(t) => {
                if let Some(c) = &t.caption {
                    let _ = writeln!(s, "#caption({})", lit(c));
                }
                let cols = match &t.widths {
                    Some(w) => w.iter().map(|x| format!("{x}fr")).collect::<Vec<_>>().join(", "),
                    None => std::iter::once("2fr")
                        .chain(std::iter::repeat_n("1fr", t.header.len().saturating_sub(1)))
                        .collect::<Vec<_>>()
                        .join(", "),
                };
                let _ = write!(s, "#tbl(({cols},), (");
                for h in &t.header {
                    let _ = write!(s, "{}, ", lit(h));
                }
                s.push_str("), (");
                for r in &t.rows {
                    for c in r {
                        let _ = write!(s, "{}, ", lit(c));
                    }
                }
                s.push_str("))\n");
            }
            Block::Chart(c) => {
                match &c.svg {
                    Ok(svg) => {
                        // Caption and drawing stay on one page.
                        let name = format!("charts/{}.svg", c.id);
                        let _ = writeln!(
                            s,
                            "#block(breakable: false, width: 100%)[#caption({}) #align(center, image(\"/{name}\", width: 92%))]",
                            lit(&c.title)
                        );
                        files.push((name, svg.clone()));
                    }
                    Err(why) => {
                        let _ = writeln!(s, "#caption({})", lit(&c.title));
                        let _ = writeln!(s, "#note({})\n", lit(why));
                    }
                }
            }
        }
    }
    (s, files)
}

const BODY_FOOTER: &str =
    "numbering: \"1\", footer: context align(center, text(size: 9pt, [— #counter(page).display(\"1\") —]))";

const PREAMBLE: &str = r##"#set par(justify: true, leading: 0.75em, spacing: 1em)
#show list: set par(justify: false)
#show heading: set text(weight: "bold")
#show heading.where(level: 1): set text(size: 16pt)
#show heading.where(level: 2): set text(size: 13pt)
#show heading.where(level: 3): set text(size: 11pt)
#show heading: set block(above: 1.4em, below: 0.8em)
#let note(body) = block(inset: (left: 8pt, y: 2pt), stroke: (left: 2pt + luma(180)), text(size: 9pt, fill: luma(80), body))
#let caption(body) = align(center, block(above: 1em, below: 0.5em, text(weight: "bold", size: 10pt, body)))
#let tbl(cols, head, cells) = {
  set text(size: 8.5pt)
  set par(justify: false)
  table(
    columns: cols,
    stroke: 0.5pt + luma(160),
    inset: 4pt,
    fill: (_, y) => if y == 0 { rgb("#f2e8e8") },
    table.header(..head.map(h => text(weight: "bold", h))),
    ..cells,
  )
}
"##;

/// A typst string literal of the covered characters of `s`.
fn lit(s: &str, covered: &dyn Fn(char) -> bool) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '\\' => o.push_str("\\\\"),
            '"' => o.push_str("\\\""),
            '\n' => o.push_str("\\n"),
            '\r' => {}
            '\t' => o.push(' '),
            c if c.is_control() => {}
            ' ' | '\u{3000}' => o.push(c),
            c if !covered(c) => {}
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_cannot_escape() {
        let all = |_: char| true;
        assert_eq!(lit("a\"b\\c\n#d", &all), "\"a\\\"b\\\\c\\n#d\"");
        assert_eq!(lit("通知😀", &|c: char| c != '😀'), "\"通知\"");
    }

    #[test]
    fn source_declares_fixed_date_and_outline() {
        let mut d = Doc::new("报告");
        d.toc = true;
        d.h1("一、背景");
        let (s, files) = source(&d, &NaiveDate::from_ymd_opt(2025, 11, 1).unwrap(), &|_| true);
        assert!(s.contains("date: datetime(year: 2025, month: 11, day: 1)"));
        assert!(s.contains("#outline("));
        assert!(files.is_empty());
    }
}
