//! Which store a front end talks to: an SQLite file (the default) or a PostgreSQL server.

use std::path::{Path, PathBuf};

use govmedia_store_api::{DEFAULT_DB, Store};
use govmedia_store_postgres::PgStore;
use govmedia_store_sqlite::SqliteStore;

use crate::Result;

/// The environment variable that names the store when `--db` is not given.
pub const DB_ENV: &str = "GOVMEDIA_DB";

/// A store as a user names it: a path, or a `postgres://` / `postgresql://` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreSpec {
    Sqlite(PathBuf),
    Postgres(String),
}

impl StoreSpec {
    /// Parses `--db` (or `GOVMEDIA_DB`): URLs with a PostgreSQL scheme are servers, anything
    /// else is a file path.
    pub fn parse(s: &str) -> StoreSpec {
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            StoreSpec::Postgres(s.to_owned())
        } else {
            StoreSpec::Sqlite(PathBuf::from(s))
        }
    }

    /// `explicit` if given, else `GOVMEDIA_DB`, else `default` (a file).
    pub fn resolve(explicit: Option<&str>, default: &Path) -> StoreSpec {
        match explicit.map(str::to_owned).or_else(|| std::env::var(DB_ENV).ok().filter(|v| !v.is_empty())) {
            Some(s) => StoreSpec::parse(&s),
            None => StoreSpec::Sqlite(default.to_owned()),
        }
    }

    /// The default: `govmedia.db` in the working directory (or `GOVMEDIA_DB`).
    pub fn from_env_or_default(explicit: Option<&str>) -> StoreSpec {
        Self::resolve(explicit, Path::new(DEFAULT_DB))
    }
}

/// Opens (creating or migrating as needed) the store `spec` names.
pub fn open_store(spec: &StoreSpec) -> Result<Box<dyn Store>> {
    Ok(match spec {
        StoreSpec::Sqlite(path) => Box::new(SqliteStore::open(path)?),
        StoreSpec::Postgres(url) => Box::new(PgStore::connect(url)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_urls() {
        assert_eq!(StoreSpec::parse("out/govmedia.db"), StoreSpec::Sqlite("out/govmedia.db".into()));
        assert_eq!(StoreSpec::parse("postgres://u@h/d"), StoreSpec::Postgres("postgres://u@h/d".into()));
        assert_eq!(StoreSpec::parse("postgresql://u@h/d"), StoreSpec::Postgres("postgresql://u@h/d".into()));
        assert_eq!(StoreSpec::resolve(Some("x.db"), Path::new("y.db")), StoreSpec::Sqlite("x.db".into()));
    }
}
