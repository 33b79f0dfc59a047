//! The files a distributed run needs besides the stored data — the user's lexicons and labelled
//! titles, a framework given as a file, the AI configuration, and the dataset folder's page
//! bodies and screenshots
//! that the page snapshots name — carried through the database as content-addressed blobs, so
//! that a worker on another machine needs nothing from the enqueuing machine's disk.
//!
//! [`ship`] uploads them when the run is enqueued and records their list under the run;
//! [`unpack`] writes them once per machine into a folder named by that list's hash and points
//! the run's options at it.

use std::path::{Path, PathBuf};

use govmedia_store_api::{RunId, Store};
use govmedia_web::fetch::sha256_hex;
use serde::{Deserialize, Serialize};

use crate::{Error, EvaluateOptions, Header, Result};

/// The cache namespace of the runs' file lists (key: the run's id).
const NAMESPACE: &str = "run_files";

/// A run's files, each as (path relative to its folder, SHA-256 of its bytes).
#[derive(Debug, Default, Serialize, Deserialize)]
struct RunFiles {
    lexicons: Vec<(String, String)>,
    labelled: Option<(String, String)>,
    /// A framework given as a file (not a built-in name).
    framework: Option<(String, String)>,
    /// The AI configuration an AI run reads (`--ai-config`, else the working directory's
    /// govmedia.toml as the enqueuing process found it).
    #[serde(default)]
    ai_config: Option<(String, String)>,
    /// Files under the dataset folder's pages/ that the snapshots name.
    dataset: Vec<(String, String)>,
}

impl RunFiles {
    fn is_empty(&self) -> bool {
        self.lexicons.is_empty()
            && self.labelled.is_none()
            && self.framework.is_none()
            && self.ai_config.is_none()
            && self.dataset.is_empty()
    }
}

/// Hashes a file: (its path relative to its folder, SHA-256 of its bytes).
type HashFile<'a> = dyn FnMut(&Path, String) -> Result<(String, String)> + 'a;

/// The files `options` name — the lexicons folder's TOML files, the labelled titles, a
/// framework file (`framework` is a built-in name or a file), the AI configuration — as
/// `hash` gives them.
fn option_files(options: &EvaluateOptions, framework: &str, hash: &mut HashFile<'_>) -> Result<RunFiles> {
    let file_name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut files = RunFiles::default();
    if let Some(dir) = &options.checks.lexicons {
        let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        // The lexicon loaders read the folder's TOML files.
        let mut lexicons: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
            .collect();
        lexicons.sort();
        for p in lexicons {
            files.lexicons.push(hash(&p, file_name(&p))?);
        }
    }
    if let Some(p) = &options.checks.labelled {
        files.labelled = Some(hash(p, file_name(p))?);
    }
    if govmedia_score::Framework::builtin(framework).is_none() {
        let p = Path::new(framework);
        files.framework = Some(hash(p, file_name(p))?);
    }
    let ai_config = match &options.checks.ai_config {
        Some(p) => Some(p.clone()),
        None => Some(PathBuf::from("govmedia.toml")).filter(|p| options.checks.ai.is_some() && p.is_file()),
    };
    if let Some(p) = &ai_config {
        files.ai_config = Some(hash(p, file_name(p))?);
    }
    Ok(files)
}

/// A fingerprint of the settings that the checks which read neither the network nor pages (the
/// account-local checks) and the scores depend on: the check options but the web checks' and
/// `framework`, with the contents of every file they name (an edited lexicon or framework file
/// gives another fingerprint).
pub(crate) fn settings_fingerprint(options: &EvaluateOptions, framework: &str) -> Result<String> {
    let mut hash = |path: &Path, rel: String| -> Result<(String, String)> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Ok((rel, sha256_hex(&bytes)))
    };
    let files = option_files(options, framework, &mut hash)?;
    // The files by their contents, not where they are: a worker's unpacked copies are the same
    // settings.
    let checks = crate::CheckOptions {
        web: Default::default(),
        lexicons: None,
        labelled: None,
        ai_config: None,
        ..options.checks.clone()
    };
    let builtin = govmedia_score::Framework::builtin(framework).map(|_| framework);
    let settings = serde_json::json!({ "checks": checks, "framework": builtin, "files": files });
    Ok(sha256_hex(settings.to_string().as_bytes()))
}

/// The scope of the outcomes an evaluation with `options` remembers and reuses
/// ([`settings_fingerprint`]); none with [`EvaluateOptions::fresh`].
pub(crate) fn memo_scope(options: &EvaluateOptions, framework: &str) -> Result<Option<String>> {
    (!options.fresh).then(|| settings_fingerprint(options, framework)).transpose()
}

/// Uploads the files `run` needs and records their list; `framework` is the run's framework
/// (a built-in name or a file).
pub(crate) fn ship(
    store: &dyn Store,
    run: RunId,
    options: &EvaluateOptions,
    framework: &str,
    header: &Header,
) -> Result<()> {
    // Hashed first, uploaded only when the database lacks them: a monitor enqueues a run every
    // round, and a national survey's snapshots run to hundreds of megabytes.
    let mut paths: Vec<PathBuf> = Vec::new();
    let mut hash = |path: &Path, rel: String| -> Result<(String, String)> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        paths.push(path.to_owned());
        Ok((rel, sha256_hex(&bytes)))
    };
    let mut files = option_files(options, framework, &mut hash)?;
    let dataset = header.survey.dataset_dir.as_deref();
    let mut named: Vec<&str> = header
        .survey
        .pages
        .values()
        .flat_map(|s| s.body.as_deref().into_iter().chain(s.extra.get("screenshot").and_then(|v| v.as_str())))
        .collect();
    named.sort_unstable();
    named.dedup();
    for rel in named {
        // What the checks would read: a regular file inside pages/ (others are not read).
        if let Some(p) = govmedia_web::snapshot::snapshot_file(dataset, rel) {
            files.dataset.push(hash(&p, rel.to_owned())?);
        }
    }
    if files.is_empty() {
        return Ok(());
    }
    let cache = store.cache()?;
    let all = files
        .lexicons
        .iter()
        .chain(&files.labelled)
        .chain(&files.framework)
        .chain(&files.ai_config)
        .chain(&files.dataset);
    let hashes: Vec<String> = all.map(|(_, h)| h.clone()).collect();
    let missing: std::collections::HashSet<String> = cache.missing_blobs(&hashes)?.into_iter().collect();
    for (path, h) in paths.iter().zip(&hashes) {
        if missing.contains(h) {
            let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
            if sha256_hex(&bytes) != *h {
                return Err(Error::Invalid(format!(
                    "{} 在放入任务队列时被修改，请重新发起评估",
                    path.display()
                )));
            }
            cache.put_blob(h, &bytes)?;
        }
    }
    cache.put(NAMESPACE, &run.to_string(), &serde_json::to_string(&files).expect("file lists serialise"))?;
    Ok(())
}

/// Writes the files of `run` into a folder of this machine's temporary directory (once: the
/// folder is named by the list's hash, and a worker that finds it complete uses it), then
/// points `options` and `framework` at them.
pub(crate) fn unpack(
    store: &dyn Store,
    run: RunId,
    options: &mut EvaluateOptions,
    framework: &mut String,
) -> Result<()> {
    let cache = store.cache()?;
    let Some(list) = cache.get(NAMESPACE, &run.to_string())? else { return Ok(()) };
    let files: RunFiles = serde_json::from_str(&list)
        .map_err(|e| Error::Invalid(format!("评估任务 {run} 的文件清单无法解析：{e}")))?;
    let dir = std::env::temp_dir().join("govmedia-run-files").join(&sha256_hex(list.as_bytes())[..20]);
    if !dir.join(COMPLETE).exists() {
        // Written beside, then renamed: workers of one machine may unpack the same run at once.
        let partial =
            dir.with_extension(format!("partial-{}-{:?}", std::process::id(), std::thread::current().id()));
        let _ = std::fs::remove_dir_all(&partial);
        let write = |sub: &str, (rel, hash): &(String, String)| -> Result<()> {
            let path = partial.join(sub).join(rel);
            let bytes = cache.blob(hash)?.ok_or_else(|| {
                Error::Invalid(format!("评估任务 {run} 所需的文件 {rel} 不在数据库中（{hash}）"))
            })?;
            if sha256_hex(&bytes) != *hash {
                return Err(Error::Invalid(format!("评估任务 {run} 所需的文件 {rel} 在数据库中已损坏")));
            }
            let parent = path.parent().expect("a file under the folder");
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))
        };
        for f in &files.lexicons {
            write("lexicons", f)?;
        }
        if let Some(f) = &files.labelled {
            write("labelled", f)?;
        }
        if let Some(f) = &files.framework {
            write("framework", f)?;
        }
        if let Some(f) = &files.ai_config {
            write("ai", f)?;
        }
        for f in &files.dataset {
            write("dataset", f)?;
        }
        std::fs::write(partial.join(COMPLETE), "").map_err(|e| Error::io(&partial, e))?;
        if let Some(parent) = dir.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        if std::fs::rename(&partial, &dir).is_err() {
            // Another worker finished first: its copy is the same.
            let _ = std::fs::remove_dir_all(&partial);
        }
    }
    if !files.lexicons.is_empty() {
        options.checks.lexicons = Some(dir.join("lexicons"));
    }
    if let Some((name, _)) = &files.labelled {
        options.checks.labelled = Some(dir.join("labelled").join(name));
    }
    if let Some((name, _)) = &files.framework {
        *framework = dir.join("framework").join(name).display().to_string();
    }
    if let Some((name, _)) = &files.ai_config {
        options.checks.ai_config = Some(dir.join("ai").join(name));
    }
    if !files.dataset.is_empty() {
        options.dataset = Some(dir.join("dataset"));
    }
    Ok(())
}

/// Marks a folder whose files are all written.
const COMPLETE: &str = ".complete";
