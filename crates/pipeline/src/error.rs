//! What stops a pipeline stage, in words a user can act on (Chinese).

/// An error of a pipeline stage.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] govmedia_store_api::StoreError),
    /// Invalid input data: `FILE:LINE: field: reason`.
    #[error(transparent)]
    Import(#[from] govmedia_ingest::ImportError),
    #[error(transparent)]
    Evaluate(#[from] govmedia_score::EvaluateError),
    #[error(transparent)]
    Framework(#[from] govmedia_score::FrameworkError),
    #[error(transparent)]
    Content(#[from] govmedia_content::ContentError),
    #[error(transparent)]
    Ai(#[from] govmedia_ai::AiError),
    #[error(transparent)]
    Report(#[from] govmedia_report::ReportError),
    /// The survey or the options cannot be evaluated as they are.
    #[error("{0}")]
    Invalid(String),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io { path: std::path::PathBuf, source: std::io::Error },
    /// The front end asked to stop.
    #[error("已取消")]
    Cancelled,
}

impl Error {
    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        Error::Io { path: path.to_owned(), source }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
