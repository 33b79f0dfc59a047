//! Opening dataset files: only regular files, within size limits.
//!
//! A dataset comes from outside. A file that is a FIFO would block the import forever, one
//! that is (a link to) `/dev/zero` would be read until memory runs out, and one huge line or
//! workbook part would take memory far beyond its size on disk. Each reader opens its files
//! here and gets a clear error instead.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::RecordError;

/// The largest file a whole-file reader (CSV, XLSX, feeds, history JSON, pages, survey.toml)
/// takes into memory.
pub const MAX_FILE_BYTES: u64 = 512 << 20;
/// The longest JSONL line (one record; JSONL files themselves are streamed, any size).
pub const MAX_LINE_BYTES: u64 = 64 << 20;

/// Opens `path` for reading when it is a regular file (a link to one is followed). Opened
/// non-blocking, so that a FIFO cannot stall the open itself.
pub fn open(path: &Path) -> Result<File, RecordError> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| RecordError::file(path, format!("无法打开：{e}")))?;
    let meta = file.metadata().map_err(|e| RecordError::file(path, format!("无法读取文件信息：{e}")))?;
    if !meta.is_file() {
        return Err(RecordError::file(path, "不是普通文件（设备、管道或目录），已拒绝读取"));
    }
    Ok(file)
}

/// Reads a whole regular file of at most [`MAX_FILE_BYTES`].
pub fn read(path: &Path) -> Result<Vec<u8>, RecordError> {
    let file = open(path)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| RecordError::file(path, format!("读取失败：{e}")))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(path));
    }
    Ok(bytes)
}

pub(crate) fn too_large(path: &Path) -> RecordError {
    RecordError::file(path, format!("文件超过 {} MB 上限，请拆分后导入", MAX_FILE_BYTES >> 20))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_a_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("feed.xml");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        assert!(read(&link).unwrap_err().reason.contains("不是普通文件"));
        let fifo = dir.path().join("accounts.jsonl");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        assert!(open(&fifo).unwrap_err().reason.contains("不是普通文件"));
        assert!(read(dir.path()).is_err());
        let ok = dir.path().join("ok.csv");
        std::fs::write(&ok, "id\n").unwrap();
        assert_eq!(read(&ok).unwrap(), b"id\n");
    }
}
