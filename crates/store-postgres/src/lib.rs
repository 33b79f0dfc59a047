//! The server store: PostgreSQL, shared by every machine that evaluates, serves or collects.
//!
//! Same data model and the same rules as the SQLite store (see `govmedia-store-api`), with
//! migrations of its own. Imports stream articles into a temporary staging table with binary
//! `COPY` and merge them with `INSERT … ON CONFLICT`, in the file's one transaction; reads run
//! in a `REPEATABLE READ` transaction, so an evaluation sees one state of the database.
//! Connections are plain TCP or a Unix socket (no TLS): run the server on loopback, a socket or
//! a trusted network.

mod access;
mod binary_copy;
mod cache;
mod migrate;
mod queue;
mod read;
mod runs;
pub mod testing;
mod writer;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use govmedia_model::results::Results;
use govmedia_store_api::{
    KvCache, LockGuard, NewRun, Result, RunId, RunSummary, Store, StoreError, SurveyRead, Writer,
};
use postgres::config::Host;
use postgres::error::SqlState;
use postgres::{Client, Config, IsolationLevel, NoTls};

/// An open PostgreSQL store.
pub struct PgStore {
    client: Client,
    config: Config,
    location: String,
}

impl PgStore {
    /// Connects to the database named by `url` (`postgres://user[:password]@host[:port]/dbname`,
    /// or key=value pairs) and brings its schema up to date. The password may also come from
    /// the `PGPASSWORD` environment variable.
    pub fn connect(url: &str) -> Result<PgStore> {
        let mut config = Config::from_str(url).map_err(|e| StoreError::Connect {
            location: redact(url),
            reason: format!("数据库地址无法解析（应为 postgres://用户@主机:端口/数据库）：{e}"),
        })?;
        if config.get_password().is_none()
            && let Ok(p) = std::env::var("PGPASSWORD")
        {
            config.password(p);
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        if config.get_user().is_none()
            && let Ok(u) = std::env::var("USER")
        {
            config.user(&u);
        }
        let location = describe(&config);
        let mut client = connect(&config, &location)?;
        migrate::run(&mut client, &location)?;
        Ok(PgStore { client, config, location })
    }
}

fn connect(config: &Config, location: &str) -> Result<Client> {
    config.connect(NoTls).map_err(|e| connect_err(location, config, e))
}

/// `postgres://user@host:port/dbname`, never with the password.
fn describe(config: &Config) -> String {
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        Some(Host::Unix(p)) => p.display().to_string(),
        None => "localhost".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!(
        "postgres://{}@{host}:{port}/{}",
        config.get_user().unwrap_or(""),
        config.get_dbname().or(config.get_user()).unwrap_or("")
    )
}

/// A URL that did not parse, with anything between `://` and `@` hidden.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://***{}", &url[..s], &url[at..]),
        _ => url.to_owned(),
    }
}

fn connect_err(location: &str, config: &Config, e: postgres::Error) -> StoreError {
    let code = e.code().cloned();
    if code == Some(SqlState::INVALID_PASSWORD) || code == Some(SqlState::INVALID_AUTHORIZATION_SPECIFICATION)
    {
        return StoreError::Auth {
            location: location.to_owned(),
            user: config.get_user().unwrap_or("").to_owned(),
        };
    }
    let reason = if code == Some(SqlState::INVALID_CATALOG_NAME) {
        format!("数据库“{}”不存在，请先用 createdb 创建", config.get_dbname().unwrap_or(""))
    } else if e.as_db_error().is_some() {
        format!("服务器拒绝连接（{e}）")
    } else {
        format!("服务器无法访问：请检查主机、端口，以及 PostgreSQL 是否已启动（{e}）")
    };
    StoreError::Connect { location: location.to_owned(), reason }
}

/// A failure of a statement.
pub(crate) fn pg_err(location: &str, e: postgres::Error) -> StoreError {
    if e.is_closed() {
        return StoreError::Connect {
            location: location.to_owned(),
            reason: format!("与服务器的连接已断开（{e}）"),
        };
    }
    StoreError::backend(location, "PostgreSQL 操作失败", e)
}

impl Store for PgStore {
    fn location(&self) -> &str {
        &self.location
    }

    fn snapshot(&mut self) -> Result<Box<dyn SurveyRead + '_>> {
        let tx = self
            .client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(|e| pg_err(&self.location, e))?;
        Ok(Box::new(read::Snapshot::new(tx, &self.location)))
    }

    fn reopen(&self) -> Result<Box<dyn Store>> {
        let client = connect(&self.config, &self.location)?;
        Ok(Box::new(PgStore { client, config: self.config.clone(), location: self.location.clone() }))
    }

    fn writer(&mut self) -> Result<Box<dyn Writer + '_>> {
        let tx = self.client.transaction().map_err(|e| pg_err(&self.location, e))?;
        Ok(Box::new(writer::PgWriter::new(tx, &self.location)))
    }

    /// Nothing to switch: PostgreSQL's write-ahead log is what makes a kill safe, and other
    /// sessions may keep reading while an import runs.
    fn begin_bulk_load(&mut self) -> Result<()> {
        Ok(())
    }

    fn end_bulk_load(&mut self) -> Result<()> {
        Ok(())
    }

    fn cache(&self) -> Result<Arc<dyn KvCache>> {
        let client = connect(&self.config, &self.location)?;
        Ok(Arc::new(cache::PgCache::new(client, &self.location)))
    }

    fn start_run(&mut self, run: &NewRun) -> Result<RunId> {
        runs::start(&mut self.client, &self.location, run)
    }

    fn finish_run(&mut self, id: RunId, results: &Results) -> Result<()> {
        runs::finish(&mut self.client, &self.location, id, results)
    }

    fn fail_run(&mut self, id: RunId, reason: &str) -> Result<()> {
        runs::fail(&mut self.client, &self.location, id, reason)
    }

    fn runs(&mut self) -> Result<Vec<RunSummary>> {
        runs::list(&mut self.client, &self.location)
    }

    fn run_results(&mut self, id: RunId) -> Result<Option<Results>> {
        runs::results(&mut self.client, &self.location, id)
    }

    /// A session-level advisory lock on a connection of its own: the server releases it when
    /// the guard closes the connection, or when the holder's connection is lost.
    fn try_lock(&self, name: &str) -> Result<Option<LockGuard>> {
        let mut client = connect(&self.config, &self.location)?;
        // FNV-1a of the name: a stable 64-bit key, apart from the migration lock's.
        let key = name
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
        let row = client
            .query_one("SELECT pg_try_advisory_lock($1)", &[&(key as i64)])
            .map_err(|e| pg_err(&self.location, e))?;
        Ok(row.get::<_, bool>(0).then(|| LockGuard::new(client)))
    }

    fn queue(&self) -> Result<Box<dyn govmedia_store_api::RunQueue>> {
        let client = connect(&self.config, &self.location)?;
        Ok(Box::new(queue::PgQueue { client, location: self.location.clone() }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_never_show_the_password() {
        let c = Config::from_str("postgres://alice:s3cret@db.example:5433/survey").unwrap();
        assert_eq!(describe(&c), "postgres://alice@db.example:5433/survey");
        assert_eq!(redact("postgres://alice:s3cret@db:5/x?bad=%"), "postgres://***@db:5/x?bad=%");
        let e = PgStore::connect("postgres://alice:s3cret@127.0.0.1:1/survey").err().unwrap().to_string();
        assert!(
            !e.contains("s3cret") && e.contains("无法连接数据库 postgres://alice@127.0.0.1:1/survey"),
            "{e}"
        );
    }
}
