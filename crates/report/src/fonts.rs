//! The CJK font for the PDFs: Noto Sans CJK SC from Debian's `fonts-noto-cjk`, found at run time.

use std::path::{Path, PathBuf};

use typst::foundations::Bytes;
use typst::text::Font;

use crate::ReportError;

/// The family every PDF uses (the Simplified Chinese face of the collections).
pub const FAMILY: &str = "Noto Sans CJK SC";
const FILES: [&str; 2] = ["NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc"];
const ROOT: &str = "/usr/share/fonts";

/// The loaded faces, cheap to clone (the font data is shared).
#[derive(Clone)]
pub struct Fonts(pub Vec<Font>);

/// The paths of the regular and bold collections: under `$GOVMEDIA_FONT_DIR` when set, else
/// under /usr/share/fonts.
pub fn find_cjk_fonts() -> Result<Vec<PathBuf>, ReportError> {
    let root = std::env::var_os("GOVMEDIA_FONT_DIR").map_or_else(|| PathBuf::from(ROOT), PathBuf::from);
    FILES
        .iter()
        .map(|name| {
            find(&root, name, 6).ok_or_else(|| ReportError::FontMissing {
                file: (*name).to_owned(),
                searched: root.display().to_string(),
            })
        })
        .collect()
}

fn find(dir: &Path, name: &str, depth: u32) -> Option<PathBuf> {
    let mut entries: Vec<_> = std::fs::read_dir(dir).ok()?.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    if let Some(hit) = entries.iter().find(|p| p.file_name().is_some_and(|n| n == name)) {
        return Some(hit.clone());
    }
    if depth == 0 {
        return None;
    }
    entries.iter().filter(|p| p.is_dir()).find_map(|p| find(p, name, depth - 1))
}

/// Loads the Simplified Chinese faces of the collections (the others would only slow font
/// fallback down).
pub fn load() -> Result<Fonts, ReportError> {
    let mut fonts = Vec::new();
    for path in find_cjk_fonts()? {
        let data = std::fs::read(&path).map_err(|source| ReportError::Io { path: path.clone(), source })?;
        fonts.extend(Font::iter(Bytes::new(data)).filter(|f| f.info().family == FAMILY));
    }
    if fonts.is_empty() {
        return Err(ReportError::FontMissing {
            file: format!("{FAMILY}（字体集合中无此字体）"),
            searched: ROOT.into(),
        });
    }
    Ok(Fonts(fonts))
}
