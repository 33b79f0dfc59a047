//! The canonical tables as XLSX workbooks: the first worksheet, first row = column names.
//!
//! A workbook is a zip of XML parts, so a small file can describe a huge one: a cell at
//! XFD1048576 (a dense sheet of 17 billion cells), a part that inflates a thousandfold, a
//! shared-string table that announces billions of entries. Before calamine sees the file,
//! every part is inflated once through a counter (nothing kept) and the announced string count
//! is compared with the strings really there; then cells are streamed one by one and only the
//! columns that have a name are kept, so memory follows the cells present, not the sheet's
//! dimensions.

use std::io::{Cursor, Read};
use std::path::Path;

use calamine::{Data, Reader, Xlsx};

use crate::canonical::{Kind, row_object};
use crate::{Record, RecordError};

/// The most a workbook may inflate to, all parts together.
pub const MAX_INFLATED_BYTES: u64 = 256 << 20;

/// Reads the first worksheet of the workbook `bytes` (read from `path`).
pub fn read(
    path: &Path,
    bytes: &[u8],
    kind: Kind,
    mut each: impl FnMut(u64, Result<Record, RecordError>) -> bool,
) -> Result<(), RecordError> {
    preflight(path, bytes)?;
    let bad = |e: calamine::XlsxError| RecordError::file(path, format!("无法读取 XLSX 工作簿：{e}"));
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(bad)?;
    let Some(first) = wb.sheet_names().first().cloned() else {
        return Err(RecordError::file(path, "工作簿中没有工作表"));
    };
    let mut cells = wb.worksheet_cells_reader(&first).map_err(bad)?;
    let mut headers: Option<(u32, Vec<String>)> = None;
    let mut row: Option<(u32, Vec<(String, String)>)> = None;
    let mut emit = |r: u32, cells: Vec<(String, String)>| -> bool {
        let line = u64::from(r) + 1;
        let rec = row_object(kind, cells)
            .and_then(|v| kind.record(v))
            .map_err(|(f, reason)| RecordError::new(path, Some(line), f.as_deref(), reason));
        each(line, rec)
    };
    while let Some(cell) = cells.next_cell().map_err(bad)? {
        let (r, c) = cell.get_position();
        let text = cell_text(&Data::from(cell.get_value().clone()));
        let Some((header_row, names)) = &mut headers else {
            headers = Some((r, Vec::new()));
            if let Some((_, names)) = &mut headers {
                set_name(names, c, text);
            }
            continue;
        };
        if r == *header_row {
            set_name(names, c, text);
            continue;
        }
        // Columns without a name are not part of the table.
        let Some(name) = names.get(c as usize).filter(|n| !n.is_empty()) else { continue };
        if row.as_ref().is_some_and(|(cur, _)| *cur != r) {
            let (cur, done) = row.take().expect("checked");
            if !emit(cur, done) {
                return Ok(());
            }
        }
        row.get_or_insert_with(|| (r, Vec::new())).1.push((name.clone(), text));
    }
    if let Some((cur, done)) = row {
        emit(cur, done);
    }
    Ok(())
}

/// Names a header column; a header cell beyond the columns that can hold data is ignored.
fn set_name(names: &mut Vec<String>, col: u32, text: String) {
    const MAX_COLUMNS: usize = 1024;
    let col = col as usize;
    if col < MAX_COLUMNS {
        if names.len() <= col {
            names.resize(col + 1, String::new());
        }
        names[col] = text.trim().to_owned();
    }
}

fn cell_text(c: &Data) -> String {
    match c {
        Data::DateTime(d) => d
            .as_datetime()
            .map(|t| t.format("%Y-%m-%dT%H:%M:%S").to_string())
            .unwrap_or_else(|| c.to_string()),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// Inflates every part through a counter: refuses a workbook that inflates beyond
/// [`MAX_INFLATED_BYTES`], and a shared-string table that announces more strings than it
/// holds (calamine reserves memory for the announced count).
fn preflight(path: &Path, bytes: &[u8]) -> Result<(), RecordError> {
    let bad = |e: &dyn std::fmt::Display| RecordError::file(path, format!("无法读取 XLSX 工作簿：{e}"));
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad(&e))?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|e| bad(&e))?;
        let shared_strings = part.name().is_ok_and(|n| n.ends_with("sharedStrings.xml"));
        let mut counter = Counter { shared_strings, ..Counter::default() };
        let budget = MAX_INFLATED_BYTES - total;
        let n = std::io::copy(&mut (&mut part).take(budget + 1), &mut counter).map_err(|e| bad(&e))?;
        total += n;
        if total > MAX_INFLATED_BYTES {
            return Err(RecordError::file(
                path,
                format!("工作簿解压后超过 {} MB 上限（可能是压缩炸弹），已拒绝", MAX_INFLATED_BYTES >> 20),
            ));
        }
        if counter.announced.is_some_and(|a| a > counter.items) {
            return Err(RecordError::file(
                path,
                format!(
                    "工作簿的共享字符串表声明 {} 项，实际只有 {} 项，已拒绝",
                    counter.announced.unwrap_or(0),
                    counter.items
                ),
            ));
        }
    }
    Ok(())
}

/// Counts bytes; in the shared-string table also the `<si` items and the announced
/// `uniqueCount`.
#[derive(Default)]
struct Counter {
    shared_strings: bool,
    /// The last bytes seen, to find a tag split across writes.
    tail: Vec<u8>,
    items: u64,
    announced: Option<u64>,
}

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.shared_strings {
            let mut window = std::mem::take(&mut self.tail);
            window.extend_from_slice(buf);
            self.items += count_items(&window) - count_items(&window[..window.len() - buf.len()]);
            if self.announced.is_none()
                && let Some(at) = find(&window, b"uniqueCount=\"")
            {
                let digits: Vec<u8> =
                    window[at + 13..].iter().copied().take_while(u8::is_ascii_digit).take(20).collect();
                if window.len() > at + 13 + digits.len() {
                    self.announced =
                        std::str::from_utf8(&digits).ok().and_then(|d| d.parse().ok()).or(Some(u64::MAX));
                }
            }
            let keep = window.len().min(64);
            self.tail = window[window.len() - keep..].to_vec();
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Occurrences of a string item's start tag (`<si>`, `<si `, `<x:si>` …) in `b`.
fn count_items(b: &[u8]) -> u64 {
    b.windows(4)
        .filter(|w| (w[0] == b'<' || w[0] == b':') && &w[1..3] == b"si" && matches!(w[3], b'>' | b' ' | b'/'))
        .count() as u64
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
