//! A proof from the HTML alone that a saved page fits a phone, so the mobile check need not
//! render it.
//!
//! The proof is deliberately narrow: it holds only for pages whose every element, attribute
//! and style declaration is on a short list whose effect on layout is known, and it bounds
//! what the browser could measure from above and below: every font size at least 12 px (small
//! text), no run of text wider than the narrowest box it can sit in (overflow), fewer than
//! three tap targets outside running text, and a `width=device-width` viewport at scale 1.
//! Scripts, images, tables, forms, at-rules, `url()` and any other construct make the page
//! "not proven" and it is rendered. A page that is not proven is not suspect: most real pages
//! are rendered; the proof spares the browser the plain pages that national snapshots are
//! full of. It never proves a page has a problem: findings always come from the browser, with
//! its measurements and screenshot.

use scraper::{ElementRef, Html, Node};

use crate::browser::PHONE_WIDTH;

/// Why a page is not proven to fit (for tests and diagnostics; the page is then rendered).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doubt(pub String);

fn doubt<T>(why: impl Into<String>) -> Result<T, Doubt> {
    Err(Doubt(why.into()))
}

/// `Ok` when `html`, rendered offline at the phone viewport, cannot be found "not adapted" by
/// [`crate::browser::Measurement::problems`].
pub fn proves_fit(html: &str) -> Result<(), Doubt> {
    let doc = Html::parse_document(html);
    let root = doc.root_element();
    let mut css = Css::default();
    let mut viewports = 0;
    for el in root.descendants().filter_map(ElementRef::wrap) {
        let e = el.value();
        let name = e.name();
        if !ELEMENTS.contains(&name) {
            return doubt(format!("<{name}>"));
        }
        for (attr, value) in e.attrs() {
            let known = ATTRIBUTES.contains(&attr)
                || attr.starts_with("aria-")
                || attr.starts_with("data-")
                || (attr == "href" && name == "a");
            if !known {
                return doubt(format!("<{name} {attr}>"));
            }
            // Checked here, counted for this element alone in the walk; the root's own
            // style would reach the body by inheritance, which the walk does not follow.
            if attr == "style" {
                if name == "html" {
                    return doubt("<html style>");
                }
                css.clone().declarations(value, Some(&mut Own::default()))?;
            }
        }
        match name {
            "style" => css.sheet(&el.text().collect::<String>())?,
            "meta" => viewports += meta(el)?,
            _ => {}
        }
    }
    if viewports == 0 {
        return doubt("没有 viewport");
    }
    let Some(body) = root.children().filter_map(ElementRef::wrap).find(|e| e.value().name() == "body") else {
        return doubt("没有 body");
    };
    let mut walk = Walk { css: &css, run_px: 0.0, run_room: f64::INFINITY, taps: 0 };
    let bounds = Bounds { low: 16.0, high: 16.0, room: f64::from(PHONE_WIDTH) };
    walk.element(body, bounds)?;
    walk.end_run()?;
    if walk.taps >= 3 {
        return doubt(format!("{} 个点击目标", walk.taps));
    }
    Ok(())
}

/// Elements whose default rendering is plain flow content.
const ELEMENTS: &[&str] = &[
    "html",
    "head",
    "title",
    "meta",
    "style",
    "body",
    "div",
    "p",
    "span",
    "a",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "br",
    "hr",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "main",
    "aside",
    "blockquote",
    "address",
    "time",
    "abbr",
    "cite",
    "mark",
    "figure",
    "figcaption",
    "center",
    "wbr",
    "del",
    "ins",
];

/// Attributes without effect on layout (`style` is checked; `href` only on links).
const ATTRIBUTES: &[&str] = &[
    "class",
    "id",
    "lang",
    "title",
    "target",
    "rel",
    "name",
    "content",
    "charset",
    "http-equiv",
    "style",
    "role",
    "datetime",
    "translate",
];

/// A `<meta>`: 1 for a viewport that is the device's width at scale 1, 0 for a harmless
/// other one, a doubt for a refresh or anything else.
fn meta(el: ElementRef) -> Result<usize, Doubt> {
    let e = el.value();
    if let Some(h) = e.attr("http-equiv") {
        return match h.to_ascii_lowercase().as_str() {
            "content-type" | "x-ua-compatible" | "content-language" => Ok(0),
            other => doubt(format!("meta http-equiv={other}")),
        };
    }
    let Some(name) = e.attr("name") else {
        return if e.attr("charset").is_some() { Ok(0) } else { doubt("meta") };
    };
    if !name.eq_ignore_ascii_case("viewport") {
        return Ok(0);
    }
    let content = e.attr("content").unwrap_or("").to_ascii_lowercase();
    let mut device_width = false;
    for part in content.split([',', ';']).map(str::trim).filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').map(|(k, v)| (k.trim(), v.trim())).unwrap_or((part, ""));
        let number = || v.parse::<f64>().ok();
        let fine = match k {
            "width" => {
                device_width = v == "device-width";
                device_width
            }
            "initial-scale" => number() == Some(1.0),
            "minimum-scale" => number().is_some_and(|s| s <= 1.0),
            "maximum-scale" => number().is_some_and(|s| s >= 1.0),
            "user-scalable" | "viewport-fit" | "shrink-to-fit" => true,
            _ => false,
        };
        if !fine {
            return doubt(format!("viewport “{content}”"));
        }
    }
    if !device_width {
        return doubt(format!("viewport “{content}”"));
    }
    Ok(1)
}

/// What the style sheets and `style` attributes may do to any element, taken together (a
/// rule is assumed to match every element: no selector is evaluated).
#[derive(Debug, Clone, Default)]
struct Css {
    /// Smallest and largest absolute font size declared, px.
    font_min: Option<f64>,
    font_max: Option<f64>,
    /// Largest relative font size (em, rem, %) declared; none below 1 is accepted.
    grow: Option<f64>,
    /// Largest horizontal spacing (margins, paddings, borders, indent) one element may get:
    /// px, and em of its font size.
    space_px: f64,
    space_em: f64,
}

/// One element's own declarations, when they come from its `style` attribute.
#[derive(Debug, Clone, Default)]
struct Own {
    font: Option<f64>,
    grow: Option<f64>,
    space_px: f64,
    space_em: f64,
}

impl Css {
    fn sheet(&mut self, text: &str) -> Result<(), Doubt> {
        let text = strip_comments(text);
        if text.contains('@') {
            return doubt("样式表中的 @ 规则");
        }
        for rule in text.split('}') {
            let Some((_, body)) = rule.split_once('{') else {
                if rule.trim().is_empty() {
                    continue;
                }
                return doubt("样式规则");
            };
            self.declarations(body, None)?;
        }
        Ok(())
    }

    /// Reads declarations into the sheet-wide bounds, or into `own` for a `style` attribute.
    fn declarations(&mut self, text: &str, mut own: Option<&mut Own>) -> Result<(), Doubt> {
        let text = text.to_ascii_lowercase();
        if text.contains("url(")
            || text.contains("expression")
            || text.contains("calc(")
            || text.contains('{')
        {
            return doubt(format!("样式 “{text}”"));
        }
        for decl in text.split(';').map(str::trim).filter(|d| !d.is_empty()) {
            let Some((prop, value)) = decl.split_once(':') else {
                return doubt(format!("样式 “{decl}”"));
            };
            let (prop, value) = (prop.trim(), value.trim().trim_end_matches("!important").trim());
            let (mut space_px, mut space_em) = (0.0, 0.0);
            match prop {
                "font-size" => match font_size(value) {
                    Some(Size::Px(px)) => {
                        self.font_min = Some(self.font_min.map_or(px, |m| m.min(px)));
                        self.font_max = Some(self.font_max.map_or(px, |m| m.max(px)));
                        if let Some(o) = own.as_deref_mut() {
                            o.font = Some(px);
                        }
                    }
                    Some(Size::Factor(f)) => {
                        self.grow = Some(self.grow.map_or(f, |g| g.max(f)));
                        if let Some(o) = own.as_deref_mut() {
                            o.grow = Some(f);
                        }
                    }
                    None => return doubt(format!("font-size: {value}")),
                },
                "margin" | "padding" => {
                    let sides: Vec<&str> = value.split_whitespace().collect();
                    let (left, right) = match sides.as_slice() {
                        [a] => (*a, *a),
                        [_, b] | [_, b, _] => (*b, *b),
                        [_, b, _, d] => (*b, *d),
                        _ => return doubt(format!("{prop}: {value}")),
                    };
                    for side in [left, right] {
                        let (px, em) = length(side).ok_or_else(|| Doubt(format!("{prop}: {value}")))?;
                        space_px += px;
                        space_em += em;
                    }
                }
                "margin-left" | "margin-right" | "padding-left" | "padding-right" | "text-indent" => {
                    let (px, em) = length(value).ok_or_else(|| Doubt(format!("{prop}: {value}")))?;
                    space_px += px;
                    space_em += em;
                }
                "border" | "border-width" | "border-left" | "border-right" => {
                    let width = border_width(value).ok_or_else(|| Doubt(format!("{prop}: {value}")))?;
                    space_px += if matches!(prop, "border" | "border-width") { 2.0 * width } else { width };
                }
                p if HARMLESS.contains(&p) => {}
                p => return doubt(format!("样式属性 {p}")),
            }
            match own.as_deref_mut() {
                Some(o) => {
                    o.space_px += space_px;
                    o.space_em += space_em;
                }
                None => {
                    self.space_px += space_px;
                    self.space_em += space_em;
                }
            }
        }
        Ok(())
    }
}

/// Properties that cannot make text smaller, a page wider or add tap targets.
const HARMLESS: &[&str] = &[
    "color",
    "background-color",
    "background",
    "font-weight",
    "font-style",
    "font-family",
    "text-decoration",
    "text-decoration-line",
    "text-decoration-color",
    "text-align",
    "line-height",
    "list-style-type",
    "border-radius",
    "border-color",
    "border-style",
    "border-top",
    "border-bottom",
    "margin-top",
    "margin-bottom",
    "padding-top",
    "padding-bottom",
    "min-height",
    "opacity",
    "visibility",
    "cursor",
    "vertical-align",
];

enum Size {
    Px(f64),
    /// Of the parent's size; at least 1.
    Factor(f64),
}

fn font_size(value: &str) -> Option<Size> {
    let keyword = match value {
        "medium" | "initial" => Some(16.0),
        "large" => Some(18.0),
        "x-large" => Some(24.0),
        "xx-large" => Some(32.0),
        "xxx-large" => Some(48.0),
        _ => None,
    };
    if let Some(px) = keyword {
        return Some(Size::Px(px));
    }
    if matches!(value, "larger" | "inherit") {
        return Some(Size::Factor(if value == "larger" { 1.2 } else { 1.0 }));
    }
    let (number, unit) = split_unit(value)?;
    let size = match unit {
        "px" => Size::Px(number),
        "pt" => Size::Px(number * 4.0 / 3.0),
        "em" | "rem" => Size::Factor(number),
        "%" => Size::Factor(number / 100.0),
        _ => return None,
    };
    match size {
        Size::Px(px) if px >= 12.0 => Some(size),
        Size::Factor(f) if f >= 1.0 => Some(size),
        _ => None,
    }
}

/// A horizontal length: (px, em). Percentages count against the whole phone width.
fn length(value: &str) -> Option<(f64, f64)> {
    if value == "0" || value == "auto" {
        return Some((0.0, 0.0));
    }
    let (number, unit) = split_unit(value)?;
    if number < 0.0 {
        return None;
    }
    match unit {
        "px" => Some((number, 0.0)),
        "em" | "rem" => Some((0.0, number)),
        "%" => Some((number / 100.0 * f64::from(PHONE_WIDTH), 0.0)),
        _ => None,
    }
}

/// The width in a border shorthand (`1px solid #ccc`); none when it is not in px.
fn border_width(value: &str) -> Option<f64> {
    let mut width = 3.0; // `medium`, the default when a style is given
    for token in value.split_whitespace() {
        match token {
            "thin" => width = 1.0,
            "medium" => width = 3.0,
            "thick" => width = 5.0,
            "none" | "0" => width = 0.0,
            t if t.starts_with(|c: char| c.is_ascii_digit() || c == '.') => match split_unit(t)? {
                (n, "px") if n >= 0.0 => width = n,
                _ => return None,
            },
            _ => {}
        }
    }
    Some(width)
}

fn split_unit(value: &str) -> Option<(f64, &str)> {
    let at = value.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+'))?;
    let (number, unit) = value.split_at(at);
    Some((number.parse().ok()?, unit))
}

fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start + 2..].find("*/").map_or("", |end| &rest[start + 2 + end + 2..]);
    }
    out.push_str(rest);
    out
}

/// The font sizes an element's text may have (px) and the width its content has at least.
#[derive(Debug, Clone, Copy)]
struct Bounds {
    low: f64,
    high: f64,
    room: f64,
}

/// The walk over the body: bounds per element, unbreakable runs of text across elements, and
/// tap targets.
struct Walk<'a> {
    css: &'a Css,
    /// Width of the current unbreakable run, px, and the narrowest room it crosses.
    run_px: f64,
    run_room: f64,
    taps: usize,
}

impl Walk<'_> {
    fn element(&mut self, el: ElementRef, parent: Bounds) -> Result<(), Doubt> {
        let name = el.value().name();
        let mut own = Own::default();
        if let Some(style) = el.value().attr("style") {
            self.css.clone().declarations(style, Some(&mut own))?;
        }
        let b = self.bounds(name, &own, parent);
        if b.low < 12.0 {
            return doubt(format!("<{name}> 的字号可能小于 12px"));
        }
        if name == "a" && el.value().attr("href").is_some() && !in_running_text(el) {
            self.taps += 1;
        }
        if el.value().attr("role").is_some_and(|r| r.eq_ignore_ascii_case("button")) {
            self.taps += 1;
        }
        if matches!(name, "style" | "title") {
            return Ok(());
        }
        // A line ends at a forced break and at the edges of a block.
        let block = !INLINE.contains(&name);
        if block || name == "br" {
            self.end_run()?;
        }
        for child in el.children() {
            match child.value() {
                Node::Text(t) => self.text(t, b)?,
                Node::Element(_) => {
                    if let Some(c) = ElementRef::wrap(child) {
                        self.element(c, b)?;
                    }
                }
                _ => {}
            }
        }
        if block {
            self.end_run()?;
        }
        Ok(())
    }

    fn bounds(&self, name: &str, own: &Own, parent: Bounds) -> Bounds {
        let factor = match name {
            "h1" => 2.0,
            "h2" => 1.5,
            "h3" => 1.17,
            "h5" => 0.83,
            _ => 1.0,
        };
        let css = self.css;
        let mut low = parent.low * factor;
        let mut high = parent.high * factor;
        for px in [css.font_min, own.font].into_iter().flatten() {
            low = low.min(px);
        }
        for px in [css.font_max, own.font].into_iter().flatten() {
            high = high.max(px);
        }
        if let Some(g) = [css.grow, own.grow].into_iter().flatten().reduce(f64::max) {
            high = high.max(parent.high * g);
        }
        let ua = match name {
            "body" => 16.0,
            "ul" | "ol" | "dd" => 40.0,
            "blockquote" | "figure" => 80.0,
            _ => 0.0,
        };
        let space = ua + css.space_px + own.space_px + (css.space_em + own.space_em) * high;
        Bounds { low, high, room: parent.room - space }
    }

    fn text(&mut self, text: &str, b: Bounds) -> Result<(), Doubt> {
        let mut previous_ideograph = false;
        for c in text.chars() {
            if c.is_whitespace() && c != '\u{a0}' {
                self.end_run()?;
                previous_ideograph = false;
                continue;
            }
            let ideograph = is_ideograph(c);
            if ideograph && previous_ideograph {
                self.end_run()?;
            }
            previous_ideograph = ideograph;
            self.run_px += char_em(c) * b.high;
            self.run_room = self.run_room.min(b.room);
        }
        Ok(())
    }

    /// Closes the current run: it must fit in the narrowest box it crossed.
    fn end_run(&mut self) -> Result<(), Doubt> {
        if self.run_px > self.run_room {
            return doubt(format!(
                "一段不可断行的文字约 {:.0}px，可用宽度 {:.0}px",
                self.run_px, self.run_room
            ));
        }
        self.run_px = 0.0;
        self.run_room = f64::INFINITY;
        Ok(())
    }
}

/// Elements that flow inside a line.
const INLINE: &[&str] =
    &["span", "a", "strong", "b", "em", "i", "u", "s", "time", "abbr", "cite", "mark", "wbr", "del", "ins"];

/// Whether the browser's measurement skips this link as part of running text: its parent's
/// text is longer than its own by more than 10 (with a margin of one for trimming
/// differences between JavaScript and Rust).
fn in_running_text(a: ElementRef) -> bool {
    let utf16 = |e: ElementRef| e.text().collect::<String>().trim().encode_utf16().count();
    a.parent().and_then(ElementRef::wrap).is_some_and(|p| utf16(p) > utf16(a) + 11)
}

/// Width of a character in em of its font, from above (wide Latin fonts, bold included).
fn char_em(c: char) -> f64 {
    match c {
        'm' | 'w' | 'M' | 'W' | '@' | '%' => 1.25,
        c if c.is_ascii() => 0.95,
        _ => 1.25,
    }
}

/// CJK ideographs and kana: a line may break between two of them.
fn is_ideograph(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xf900..=0xfaff | 0x20000..=0x2fa1f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(head: &str, body: &str) -> String {
        format!(
            "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">{head}</head>\
             <body>{body}</body></html>"
        )
    }

    fn proven(head: &str, body: &str) -> bool {
        proves_fit(&page(head, body)).is_ok()
    }

    #[test]
    fn a_plain_column_page_is_proven() {
        assert_eq!(
            proves_fit(&page("<title>政策文件</title>", "<h1>政策文件</h1><p>本栏目发布规范性文件。</p>")),
            Ok(())
        );
        let styled = page(
            "<style>/* 栏目页 */ body{color:#333;font-size:16px} h1{font-size:1.2em;margin:12px 0}</style>",
            "<h1>办事指南</h1><p style=\"text-indent:2em\">列明申请材料、办理流程和办理时限。咨询电话 12345。</p>",
        );
        assert_eq!(proves_fit(&styled), Ok(()));
        // Spacing a rule gives may apply at every depth: the same page with side margins
        // on every element is left to the browser.
        let margins = styled.replace("margin:12px 0", "margin:0 90px");
        assert!(proves_fit(&margins).is_err());
    }

    #[test]
    fn no_viewport_or_a_fixed_or_scaled_one_is_not_proven() {
        let html = "<html><head><title>t</title></head><body><p>文字</p></body></html>";
        assert!(proves_fit(html).is_err());
        for content in ["width=1200", "width=device-width, initial-scale=0.5", "initial-scale=1"] {
            let html = format!(
                "<html><head><meta name=\"viewport\" content=\"{content}\"></head><body><p>文字</p></body></html>"
            );
            assert!(proves_fit(&html).is_err(), "{content}");
        }
    }

    #[test]
    fn small_text_of_any_origin_is_not_proven() {
        assert!(!proven("<style>.note{font-size:11px}</style>", "<p class=\"note\">注</p>"));
        assert!(!proven("<style>p{font-size:0.7em}</style>", "<p>注</p>"));
        assert!(!proven("<style>p{font:10px sans-serif}</style>", "<p>注</p>"));
        assert!(!proven("", "<p style=\"font-size:8pt\">注</p>"));
        assert!(!proven("", "<small>注</small>"));
        // h5 is 0.83em: in a 14px body its text is 11.6px.
        assert!(!proven("<style>body{font-size:14px}</style>", "<h5>小标题</h5>"));
    }

    #[test]
    fn what_can_widen_a_page_is_not_proven() {
        assert!(!proven("", "<table width=\"1200\"><tr><td>表</td></tr></table>"));
        assert!(!proven("<style>.w{width:800px}</style>", "<div class=\"w\">宽</div>"));
        assert!(!proven("", "<p>https://www.example.gov.cn/col/col1229004112/index.html?number=1</p>"));
        assert!(!proven("", "<pre>preformatted</pre>"));
        assert!(!proven("", "<img src=\"a.png\">"));
        assert!(!proven("<style>p{white-space:nowrap}</style>", "<p>文字</p>"));
        assert!(!proven("<style>@media (min-width:1px){p{width:900px}}</style>", "<p>文字</p>"));
        assert!(!proven("<style>p{margin:0 -40px}</style>", "<p>文字</p>"));
        // A run that fits the page but not a deeply padded box.
        let deep =
            "<div style=\"padding:0 60px\"><div style=\"padding:0 60px\"><p>ABCDEFGHIJKLMNOP</p></div></div>";
        assert!(!proven("", deep));
        assert!(proven("", "<p>ABCDEFGHIJKLMNOP</p>"));
    }

    #[test]
    fn runs_continue_across_inline_elements_and_end_at_breaks() {
        let long = "<p>ABCDEFGHIJKLMNOPQRSTUVWXYZ<b>ABCDEFGHIJ</b></p>";
        assert!(!proven("", long));
        assert!(proven("", "<p>ABCDEFGHIJKLMNOPQRS<br>ABCDEFGHIJKLMNOPQRS</p>"));
    }

    #[test]
    fn scripts_forms_and_three_tap_targets_are_not_proven() {
        assert!(!proven("<script>document.body.style.width='2000px'</script>", "<p>文字</p>"));
        assert!(!proven("", "<form><input name=\"q\"></form>"));
        assert!(!proven(
            "",
            "<p><a href=\"/a\">一</a></p><p><a href=\"/b\">二</a></p><p><a href=\"/c\">三</a></p>"
        ));
        assert!(!proven(
            "",
            "<div role=\"button\">甲</div><div role=\"button\">乙</div><a href=\"/x\">丙</a>"
        ));
        assert!(!proven("<meta http-equiv=\"refresh\" content=\"0;url=/x\">", "<p>文字</p>"));
        assert!(!proven("", "<p onclick=\"go()\">文字</p>"));
    }

    #[test]
    fn links_in_running_text_are_not_tap_targets() {
        let para = "<p>详细内容请见<a href=\"/a\">通知</a>，办理材料见<a href=\"/b\">指南</a>，咨询请见<a href=\"/c\">问答</a>页面的说明。</p>";
        assert!(proven("", para));
    }
}
