//! The import driver: walks a dataset directory in a fixed order and stores each file's
//! records in one transaction.

use std::path::{Path, PathBuf};

use govmedia_model::{Account, Level, Platform, Progress, StoreListing, SurveyConfig};
use govmedia_pii::MaskCounts;
use govmedia_store_api::{ArticleOutcome, PreparedArticle, Store, StoreError, Writer};

use crate::canonical::{self, Kind};
use crate::{AccountAbout, Record, RecordError, input};

/// How to treat invalid rows.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Store the valid rows of a file and report the invalid ones, instead of storing
    /// nothing of that file.
    pub skip_invalid: bool,
}

/// What one file contributed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileReport {
    pub path: PathBuf,
    pub accounts: u64,
    pub articles: u64,
    /// Republished copies folded into one article.
    pub folded: u64,
    pub menus: u64,
    pub events: u64,
    pub pages: u64,
    pub masked: MaskCounts,
    /// Rows left out with `--skip-invalid`.
    pub rejected: Vec<RecordError>,
}

/// What an import did, file by file, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportReport {
    pub config: SurveyConfig,
    pub files: Vec<FileReport>,
}

impl ImportReport {
    pub fn rejected(&self) -> impl Iterator<Item = &RecordError> {
        self.files.iter().flat_map(|f| &f.rejected)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Invalid input: exit status 1. Nothing of `0.file` was stored.
    #[error("{0}")]
    Invalid(RecordError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The front end asked to stop; the file being read was left out whole.
    #[error("导入已取消")]
    Cancelled,
}

/// Imports the dataset directory `dir` into `store`.
///
/// Order: survey.toml; accounts (jsonl, csv, xlsx); feeds/; history/; html/; articles (jsonl,
/// csv, xlsx); menus, events, pages. Each file is one transaction. Without
/// `skip_invalid` the first invalid row stops the import; files before it stay stored.
/// The import is a bulk load ([`govmedia_store_api::bulk_load`]): the store may keep the
/// database to itself while it runs. A front end that answers `progress.cancelled()` stops it
/// between files and records; the file being written is then left out whole.
pub fn import_dataset(
    store: &mut dyn Store,
    dir: &Path,
    opts: ImportOptions,
    progress: &dyn Progress,
) -> Result<ImportReport, ImportError> {
    govmedia_store_api::bulk_load(store, |store| import_files(store, dir, opts, progress))
}

fn import_files(
    store: &mut dyn Store,
    dir: &Path,
    opts: ImportOptions,
    progress: &dyn Progress,
) -> Result<ImportReport, ImportError> {
    if !dir.is_dir() {
        return Err(ImportError::Invalid(RecordError::file(dir, "数据集目录不存在")));
    }
    let config = read_survey_toml(dir)?;
    let mut report = ImportReport { config: config.clone(), files: Vec::new() };

    // Present means any kind of file: one that is not a regular file is refused when read.
    let present = |p: &Path| p.symlink_metadata().is_ok();
    let canonical_files = |stem: &str| -> Vec<PathBuf> {
        ["jsonl", "csv", "xlsx"]
            .iter()
            .map(|ext| dir.join(format!("{stem}.{ext}")))
            .filter(|p| present(p))
            .collect()
    };
    let folder = |name: &str, exts: &[&str]| -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join(name))
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.retain(|p| p.extension().and_then(|e| e.to_str()).is_some_and(|e| exts.contains(&e)));
        files.sort();
        files
    };

    let accounts = canonical_files("accounts");
    let feeds = folder("feeds", &["xml", "rss", "atom", "json"]);
    let history = folder("history", &["json"]);
    let html = folder("html", &["html", "htm"]);
    if accounts.is_empty() && feeds.is_empty() && history.is_empty() && html.is_empty() {
        return Err(ImportError::Invalid(RecordError::file(
            &dir.join("accounts.jsonl"),
            "缺少账号文件（accounts.jsonl、accounts.csv 或 accounts.xlsx）",
        )));
    }

    {
        let mut w = store.writer()?;
        w.set_survey(&config, Some(&dir.display().to_string()))?;
        w.commit()?;
    }
    for path in &accounts {
        report.files.push(import_canonical(store, path, Kind::Accounts, opts, progress)?);
    }
    for path in canonical_files("apps") {
        report.files.push(import_canonical(store, &path, Kind::Apps, opts, progress)?);
    }
    type Reader = fn(&Path, &[u8]) -> Result<Vec<Record>, RecordError>;
    let collected: [(&[PathBuf], Reader); 3] =
        [(&feeds, crate::feed::read), (&history, crate::history::read), (&html, crate::wechat_page::read)];
    for (files, read) in collected {
        for path in files {
            report.files.push(import_collected(store, path, read, opts, progress)?);
        }
    }
    for path in canonical_files("articles") {
        report.files.push(import_canonical(store, &path, Kind::Articles, opts, progress)?);
    }
    for (stem, kind) in [("menus", Kind::Menus), ("events", Kind::Events), ("pages", Kind::Pages)] {
        let path = dir.join(format!("{stem}.jsonl"));
        if present(&path) {
            report.files.push(import_canonical(store, &path, kind, opts, progress)?);
        }
    }
    Ok(report)
}

/// Reads survey.toml when present.
pub fn read_survey_toml(dir: &Path) -> Result<SurveyConfig, ImportError> {
    let path = dir.join("survey.toml");
    if path.symlink_metadata().is_err() {
        return Ok(SurveyConfig::default());
    }
    let bytes = input::read(&path).map_err(ImportError::Invalid)?;
    parse_survey_toml(&path, &bytes).map_err(ImportError::Invalid)
}

/// Parses the text of a survey.toml (read from `path`) and checks its dates.
pub fn parse_survey_toml(path: &Path, bytes: &[u8]) -> Result<SurveyConfig, RecordError> {
    let text = std::str::from_utf8(canonical::strip_bom(path, bytes)?)
        .map_err(|_| canonical::not_utf8(path, None))?;
    let config: SurveyConfig = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| text[..s.start].lines().count().max(1) as u64);
        RecordError::new(path, line, None, e.message().to_owned())
    })?;
    config.validate().map_err(|e| RecordError::new(path, None, Some(&e.field), e.reason))?;
    Ok(config)
}

fn import_canonical(
    store: &mut dyn Store,
    path: &Path,
    kind: Kind,
    opts: ImportOptions,
    progress: &dyn Progress,
) -> Result<FileReport, ImportError> {
    let mut report = FileReport { path: path.to_owned(), ..FileReport::default() };
    let mut w = store.writer()?;
    let mut failure: Option<ImportError> = None;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    progress.start(&format!("导入 {name}"), size);
    let mut each = |line: u64, rec: Result<Staged, RecordError>| -> bool {
        if progress.cancelled() {
            failure = Some(ImportError::Cancelled);
            return false;
        }
        let outcome = rec.and_then(|r| match apply(&mut *w, r, &mut report) {
            Ok(()) => Ok(()),
            Err(Applied::Invalid(field, reason)) => {
                Err(RecordError::new(path, Some(line), field.as_deref(), reason))
            }
            Err(Applied::Store(e)) => {
                failure = Some(e.into());
                Err(RecordError::file(path, ""))
            }
        });
        match outcome {
            Ok(()) => true,
            Err(_) if failure.is_some() => false,
            Err(e) if opts.skip_invalid => {
                report.rejected.push(e);
                true
            }
            Err(e) => {
                failure = Some(ImportError::Invalid(e));
                false
            }
        }
    };
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let read = match ext {
        "jsonl" => {
            let file = input::open(path).map_err(ImportError::Invalid)?;
            // Parsing runs on its own thread, ahead of the writer: JSON decoding, masking and
            // serialising articles overlap with SQLite's work. Records travel in batches (one
            // wake-up per batch, not per record); the bounded channel keeps memory flat;
            // dropping the receiver (on the first error) stops the parser.
            const BATCH: usize = 256;
            let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<_>>(8);
            std::thread::scope(|scope| {
                let parser = scope.spawn(move || {
                    let mut batch = Vec::with_capacity(BATCH);
                    let result = canonical::read_jsonl(path, file, kind, |line, rec, bytes| {
                        batch.push((line, rec.map(Staged::from), bytes));
                        batch.len() < BATCH
                            || tx.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))).is_ok()
                    });
                    if !batch.is_empty() {
                        let _ = tx.send(batch);
                    }
                    result
                });
                'batches: for batch in rx.iter() {
                    for (line, rec, bytes) in batch {
                        progress.advance(bytes as u64);
                        if !each(line, rec) {
                            break 'batches;
                        }
                    }
                }
                drop(rx);
                parser.join().expect("the JSONL parser does not panic")
            })
        }
        "csv" => {
            let bytes = input::read(path).map_err(ImportError::Invalid)?;
            canonical::read_csv(path, &bytes, kind, |line, rec| each(line, rec.map(Staged::from)))
        }
        _ => {
            let bytes = input::read(path).map_err(ImportError::Invalid)?;
            crate::xlsx::read(path, &bytes, kind, |line, rec| each(line, rec.map(Staged::from)))
        }
    };
    progress.finish();
    if let Some(f) = failure {
        return Err(f);
    }
    read.map_err(ImportError::Invalid)?;
    report.masked = w.masked();
    w.commit()?;
    Ok(report)
}

fn import_collected(
    store: &mut dyn Store,
    path: &Path,
    read: fn(&Path, &[u8]) -> Result<Vec<Record>, RecordError>,
    opts: ImportOptions,
    progress: &dyn Progress,
) -> Result<FileReport, ImportError> {
    let mut report = FileReport { path: path.to_owned(), ..FileReport::default() };
    let bytes = input::read(path).map_err(ImportError::Invalid)?;
    progress.start(&format!("导入 {}", path.display()), 1);
    let records = match read(path, &bytes) {
        Ok(r) => r,
        Err(e) if opts.skip_invalid => {
            report.rejected.push(e);
            return Ok(report);
        }
        Err(e) => return Err(ImportError::Invalid(e)),
    };
    let report = write_records(store, path, records, opts, progress, report)?;
    progress.advance(1);
    progress.finish();
    Ok(report)
}

/// Imports records read from a source that is not a dataset file (a feed fetched over HTTP, an
/// Open API sync): in one transaction, as the import of a collected file does; `origin` (a URL
/// or a path) names the source in errors and in the report.
pub fn import_records(
    store: &mut dyn Store,
    origin: &Path,
    records: Vec<Record>,
    opts: ImportOptions,
) -> Result<FileReport, ImportError> {
    let report = FileReport { path: origin.to_owned(), ..FileReport::default() };
    write_records(store, origin, records, opts, &govmedia_model::NoProgress, report)
}

fn write_records(
    store: &mut dyn Store,
    path: &Path,
    records: Vec<Record>,
    opts: ImportOptions,
    progress: &dyn Progress,
    mut report: FileReport,
) -> Result<FileReport, ImportError> {
    let mut w = store.writer()?;
    for rec in records {
        if progress.cancelled() {
            return Err(ImportError::Cancelled);
        }
        match apply(&mut *w, rec.into(), &mut report) {
            Ok(()) => {}
            Err(Applied::Store(e)) => return Err(e.into()),
            Err(Applied::Invalid(field, reason)) => {
                let e = RecordError::new(path, None, field.as_deref(), reason);
                if !opts.skip_invalid {
                    return Err(ImportError::Invalid(e));
                }
                report.rejected.push(e);
            }
        }
    }
    report.masked = w.masked();
    w.commit()?;
    Ok(report)
}

enum Applied {
    Invalid(Option<String>, String),
    Store(StoreError),
}

impl From<StoreError> for Applied {
    fn from(e: StoreError) -> Self {
        Applied::Store(e)
    }
}

fn resolve(w: &mut dyn Writer, key: &str) -> Result<String, Applied> {
    w.resolve_account(key)?.ok_or_else(|| {
        Applied::Invalid(
            Some("account".into()),
            format!("未知账号“{key}”（应先在 accounts 中登记，或提供其 __biz）"),
        )
    })
}

/// A record on its way to the writer. Articles travel prepared (comments masked, JSON written),
/// so that the JSONL parser thread does that work instead of the writer.
enum Staged {
    Article(PreparedArticle),
    Other(Record),
}

impl From<Record> for Staged {
    fn from(r: Record) -> Self {
        match r {
            Record::Article(a) => Staged::Article(PreparedArticle::new(a)),
            other => Staged::Other(other),
        }
    }
}

fn store_article(w: &mut dyn Writer, mut a: PreparedArticle, report: &mut FileReport) -> Result<(), Applied> {
    let id = resolve(w, a.account())?;
    a.set_account(id);
    match w.upsert_article(a)? {
        ArticleOutcome::Stored => report.articles += 1,
        ArticleOutcome::Replaced(old) => {
            report.articles += 1;
            report.folded += old.len() as u64;
        }
        ArticleOutcome::Folded(_) => report.folded += 1,
    }
    Ok(())
}

fn apply(w: &mut dyn Writer, rec: Staged, report: &mut FileReport) -> Result<(), Applied> {
    let rec = match rec {
        Staged::Article(a) => return store_article(w, a, report),
        Staged::Other(rec) => rec,
    };
    match rec {
        Record::Account(a) => {
            w.upsert_account(&a)?;
            report.accounts += 1;
        }
        Record::AccountIfMissing(a) => {
            if w.insert_account_if_missing(&a)? {
                report.accounts += 1;
            }
        }
        Record::AccountAbout(about) => {
            merge_about(w, about)?;
            report.accounts += 1;
        }
        Record::AppListings(mut a) => {
            if let Some(old) = w.account(&a.id)? {
                if old.platform != Platform::App {
                    return Err(Applied::Invalid(
                        Some("id".into()),
                        format!("“{}”已登记为{}账号，不能再作为政务APP导入", a.id, old.platform.label()),
                    ));
                }
                let mut stores: Vec<StoreListing> =
                    old.stores.into_iter().filter(|l| a.stores.iter().all(|n| n.store != l.store)).collect();
                stores.append(&mut a.stores);
                a.stores = stores;
            }
            w.upsert_account(&a)?;
            report.accounts += 1;
        }
        Record::Article(a) => store_article(w, PreparedArticle::new(a), report)?,
        Record::Menu(mut m) => {
            m.account = resolve(w, &m.account)?;
            w.upsert_menu(&m)?;
            report.menus += 1;
        }
        Record::Event(e) => {
            w.upsert_event(&e)?;
            report.events += 1;
        }
        Record::Page(p) => {
            w.upsert_page(&p)?;
            report.pages += 1;
        }
    }
    Ok(())
}

/// Merges a "关于公众号" page into the account it describes (creating one when unknown).
fn merge_about(w: &mut dyn Writer, about: AccountAbout) -> Result<(), Applied> {
    let existing = match w.resolve_account(&about.biz)? {
        Some(id) => w.account(&id)?,
        None => None,
    };
    let mut a = existing.unwrap_or_else(|| {
        let name = about.name.clone().unwrap_or_else(|| about.biz.clone());
        let owner = about.verified_subject.clone().unwrap_or_else(|| name.clone());
        let mut a = Account::new(about.biz.clone(), name, owner, Level::Other);
        a.biz = Some(about.biz.clone());
        a
    });
    if about.verification_type.is_some() {
        a.verified = Some(true);
        a.verification_type = about.verification_type;
    }
    a.verified_subject = about.verified_subject.or(a.verified_subject);
    a.ip_location = about.ip_location.or(a.ip_location);
    a.intro = a.intro.or(about.intro);
    if !about.former_names.is_empty() {
        a.former_names = about.former_names;
    }
    w.upsert_account(&a)?;
    Ok(())
}
