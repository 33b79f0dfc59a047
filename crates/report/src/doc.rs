//! A small document model shared by the HTML and PDF renderers, so both say the same thing.

/// A whole document: a cover and a sequence of blocks.
#[derive(Debug, Clone)]
pub struct Doc {
    pub title: String,
    /// Lines under the title on the cover (organisation, date …).
    pub cover_lines: Vec<String>,
    /// Whether to print a table of contents after the cover.
    pub toc: bool,
    pub blocks: Vec<Block>,
}

/// One block of content. All text is plain text; renderers escape it.
#[derive(Debug, Clone)]
pub enum Block {
    /// Level 1 = chapter, 2 = section, 3 = subsection. The text carries its own numbering.
    Heading {
        level: u8,
        text: String,
    },
    Para(String),
    /// A paragraph set off as a note (说明).
    Note(String),
    Bullets(Vec<String>),
    Table(Table),
    Chart(Chart),
}

#[derive(Debug, Clone)]
pub struct Table {
    pub caption: Option<String>,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Relative column widths (fractions); `None` lets the renderer decide.
    pub widths: Option<Vec<u32>>,
}

/// A chart: an SVG drawing, or the reason it cannot be drawn.
#[derive(Debug, Clone)]
pub struct Chart {
    pub id: String,
    pub title: String,
    pub svg: Result<String, String>,
}

impl Doc {
    pub fn new(title: impl Into<String>) -> Self {
        Doc { title: title.into(), cover_lines: Vec::new(), toc: false, blocks: Vec::new() }
    }

    pub fn h1(&mut self, text: impl Into<String>) {
        self.blocks.push(Block::Heading { level: 1, text: text.into() });
    }

    pub fn h2(&mut self, text: impl Into<String>) {
        self.blocks.push(Block::Heading { level: 2, text: text.into() });
    }

    pub fn h3(&mut self, text: impl Into<String>) {
        self.blocks.push(Block::Heading { level: 3, text: text.into() });
    }

    pub fn para(&mut self, text: impl Into<String>) {
        self.blocks.push(Block::Para(text.into()));
    }

    pub fn note(&mut self, text: impl Into<String>) {
        self.blocks.push(Block::Note(text.into()));
    }

    pub fn bullets(&mut self, items: Vec<String>) {
        if !items.is_empty() {
            self.blocks.push(Block::Bullets(items));
        }
    }

    pub fn table(
        &mut self,
        caption: Option<String>,
        header: &[&str],
        rows: Vec<Vec<String>>,
        widths: Option<&[u32]>,
    ) {
        self.blocks.push(Block::Table(Table {
            caption,
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows,
            widths: widths.map(<[u32]>::to_vec),
        }));
    }

    pub fn chart(&mut self, chart: &Chart) {
        self.blocks.push(Block::Chart(chart.clone()));
    }

    /// Every piece of text a reader sees, for glyph-coverage checks.
    #[cfg(test)]
    pub fn all_text(&self) -> String {
        let mut s = self.title.clone();
        s.extend(self.cover_lines.iter().map(String::as_str));
        for b in &self.blocks {
            match b {
                Block::Heading { text, .. } | Block::Para(text) | Block::Note(text) => s.push_str(text),
                Block::Bullets(items) => s.extend(items.iter().map(String::as_str)),
                Block::Table(t) => {
                    s.extend(t.caption.iter().map(String::as_str));
                    s.extend(t.header.iter().map(String::as_str));
                    s.extend(t.rows.iter().flatten().map(String::as_str));
                }
                Block::Chart(c) => {
                    s.push_str(&c.title);
                    if let Err(why) = &c.svg {
                        s.push_str(why);
                    }
                }
            }
        }
        s
    }
}

/// Formats a score with one decimal.
pub fn score(v: f64) -> String {
    format!("{v:.1}")
}

/// A score, or "未评估" for an account or group without one.
pub fn opt_score(v: Option<f64>) -> String {
    v.map_or_else(|| "未评估".to_owned(), score)
}

/// Formats a ratio (0–1) as a percentage with one decimal.
pub fn pct(part: f64, whole: f64) -> String {
    if whole <= 0.0 { "—".to_owned() } else { format!("{:.1}%", part / whole * 100.0) }
}

/// Formats an integer with thousands separators (12,345).
pub fn int(v: u64) -> String {
    let digits = v.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_format() {
        assert_eq!(int(0), "0");
        assert_eq!(int(1234567), "1,234,567");
        assert_eq!(pct(1.0, 3.0), "33.3%");
        assert_eq!(pct(1.0, 0.0), "—");
        assert_eq!(score(87.449), "87.4");
    }
}
