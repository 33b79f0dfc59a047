//! Renders a [`Doc`] as one self-contained HTML page (inline CSS, inline SVG charts, no scripts).

use std::fmt::Write;

use crate::doc::{Block, Doc};

const CSS: &str = "body{font-family:'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif;\
max-width:960px;margin:2em auto;padding:0 1em;line-height:1.7;color:#222}\
h1{font-size:1.6em;border-bottom:2px solid #b22;padding-bottom:.2em;margin-top:2em}\
h2{font-size:1.3em;margin-top:1.5em}h3{font-size:1.1em}\
.cover{text-align:center;margin:3em 0}.cover h1{border:none;font-size:2em}\
.cover p{margin:.3em;color:#555}.note{color:#555;font-size:.92em;border-left:3px solid #ccc;padding-left:.8em}\
table{border-collapse:collapse;width:100%;margin:.8em 0;font-size:.92em}\
th,td{border:1px solid #bbb;padding:.3em .5em;text-align:left;vertical-align:top}\
th{background:#f2e8e8}caption{font-weight:bold;margin-bottom:.3em}\
figure{margin:1.2em 0;text-align:center;break-inside:avoid}figure svg{max-width:100%;height:auto}\
figcaption{font-weight:bold;margin-bottom:.4em}.na{color:#777;font-style:italic}\
nav ol{list-style:none;padding-left:1em}";

/// The HTML page for `doc`.
pub fn render(doc: &Doc) -> String {
    let mut h = String::with_capacity(64 * 1024);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{CSS}</style></head><body>\n",
        esc(&doc.title)
    );
    let _ = write!(h, "<header class=\"cover\"><h1>{}</h1>", esc(&doc.title));
    for l in &doc.cover_lines {
        let _ = write!(h, "<p>{}</p>", esc(l));
    }
    h.push_str("</header>\n");
    if doc.toc {
        toc(&mut h, doc);
    }
    let mut heading_no = 0;
    for b in &doc.blocks {
        match b {
            Block::Heading { level, text } => {
                heading_no += 1;
                let tag = level + 1;
                let _ = writeln!(h, "<h{tag} id=\"s{heading_no}\">{}</h{tag}>", esc(text));
            }
            Block::Para(t) => {
                let _ = writeln!(h, "<p>{}</p>", esc(t));
            }
            Block::Note(t) => {
                let _ = writeln!(h, "<p class=\"note\">{}</p>", esc(t));
            }
            Block::Bullets(items) => {
                h.push_str("<ul>");
                for i in items {
                    let _ = write!(h, "<li>{}</li>", esc(i));
                }
                h.push_str("</ul>\n");
            }
            Block::Table(t) => {
                h.push_str("<table>");
                if let Some(c) = &t.caption {
                    let _ = write!(h, "<caption>{}</caption>", esc(c));
                }
                h.push_str("<thead><tr>");
                for c in &t.header {
                    let _ = write!(h, "<th>{}</th>", esc(c));
                }
                h.push_str("</tr></thead><tbody>");
                for r in &t.rows {
                    h.push_str("<tr>");
                    for c in r {
                        let _ = write!(h, "<td>{}</td>", esc(c));
                    }
                    h.push_str("</tr>");
                }
                h.push_str("</tbody></table>\n");
            }
            Block::Chart(c) => {
                let _ = write!(h, "<figure id=\"chart-{}\"><figcaption>{}</figcaption>", c.id, esc(&c.title));
                match &c.svg {
                    Ok(svg) => h.push_str(svg_body(svg)),
                    Err(why) => {
                        let _ = write!(h, "<p class=\"na\">{}</p>", esc(why));
                    }
                }
                h.push_str("</figure>\n");
            }
        }
    }
    h.push_str("</body></html>\n");
    h
}

fn toc(h: &mut String, doc: &Doc) {
    h.push_str("<nav><h2>目录</h2><ol>");
    let mut heading_no = 0;
    for b in &doc.blocks {
        if let Block::Heading { level, text } = b {
            heading_no += 1;
            if *level <= 2 {
                let indent = if *level == 2 { " style=\"margin-left:1.5em\"" } else { "" };
                let _ = write!(h, "<li{indent}><a href=\"#s{heading_no}\">{}</a></li>", esc(text));
            }
        }
    }
    h.push_str("</ol></nav>\n");
}

/// The `<svg …>` element without any XML declaration in front of it.
fn svg_body(svg: &str) -> &str {
    svg.find("<svg").map_or(svg, |i| &svg[i..])
}

/// Escapes text for element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_links_headings() {
        let mut d = Doc::new("<测试>");
        d.toc = true;
        d.h1("一、背景 & 范围");
        d.para("a<b");
        let h = render(&d);
        assert!(h.contains("<title>&lt;测试&gt;</title>"));
        assert!(h.contains("<a href=\"#s1\">一、背景 &amp; 范围</a>"));
        assert!(h.contains("<h2 id=\"s1\">"));
        assert!(h.contains("<p>a&lt;b</p>"));
    }
}
