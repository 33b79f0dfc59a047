//! The server's records: users, credentials, reviews, re-checks and the audit log.
//!
//! A value no govmedia writes (an unknown role …) is a corrupt record: reading it returns an
//! error naming the record, never a panic or a guess.

use govmedia_store_api::{
    AccessStore, AccountRun, AuditEntry, Credential, CredentialKind, Decision, NewUser, Recheck, Result,
    Review, Role, RunId, StoreError, User, UserId,
};
use rusqlite::{Connection, Params, Row, ffi, params};

use crate::runs::now;
use crate::{SqliteStore, sql_err};

const USERS: &str = "SELECT id, name, role, regions, accounts, password_hash, failed_logins, locked_until, \
                     disabled, created_at FROM users";
const CREDENTIALS: &str = "SELECT hash, user_id, kind, label, csrf, created_at, expires_at FROM credentials";
const REVIEWS: &str =
    "SELECT id, account, code, fingerprint, decision, reason, user_name, at, run_id FROM reviews";
const RECHECKS: &str = "SELECT id, account, user_name, requested_at, done_run FROM rechecks";

/// A `users` row with its coded columns still as text.
struct RawUser {
    id: UserId,
    name: String,
    role: String,
    regions: String,
    accounts: String,
    password_hash: Option<String>,
    failed_logins: i64,
    locked_until: Option<String>,
    disabled: bool,
    created_at: String,
}

impl RawUser {
    fn read(r: &Row) -> rusqlite::Result<RawUser> {
        Ok(RawUser {
            id: r.get(0)?,
            name: r.get(1)?,
            role: r.get(2)?,
            regions: r.get(3)?,
            accounts: r.get(4)?,
            password_hash: r.get(5)?,
            failed_logins: r.get(6)?,
            locked_until: r.get(7)?,
            disabled: r.get(8)?,
            created_at: r.get(9)?,
        })
    }

    fn decode(self, location: &str) -> Result<User> {
        let what = |field: &str| format!("用户“{}”的{field}", self.name);
        let list = |text: &str, field: &str| {
            serde_json::from_str(text).map_err(|e| StoreError::corrupt(location, what(field), e))
        };
        Ok(User {
            id: self.id,
            role: Role::parse(&self.role).ok_or_else(|| unknown(location, what("角色"), &self.role))?,
            regions: list(&self.regions, "地区")?,
            accounts: list(&self.accounts, "账号")?,
            password_hash: self.password_hash,
            failed_logins: u32::try_from(self.failed_logins.max(0)).unwrap_or(u32::MAX),
            locked_until: self.locked_until,
            disabled: self.disabled,
            created_at: self.created_at,
            name: self.name,
        })
    }
}

/// Text that no govmedia writes: a corrupt record, reported rather than guessed at.
fn unknown(location: &str, what: String, text: &str) -> StoreError {
    StoreError::Backend {
        location: location.to_owned(),
        message: format!("记录已损坏：{what}“{text}”无法识别"),
        source: None,
    }
}

/// Runs a query; `read` turns each row into a value (or a decoding result).
fn rows<T>(
    conn: &Connection,
    location: &str,
    sql: &str,
    params: impl Params,
    read: impl FnMut(&Row) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let e = |err| sql_err(location, err);
    let mut st = conn.prepare(sql).map_err(e)?;
    st.query_map(params, read).and_then(|rows| rows.collect()).map_err(e)
}

fn list(v: &[String]) -> String {
    serde_json::to_string(v).expect("strings serialise")
}

fn users_where(conn: &Connection, location: &str, filter: &str, params: impl Params) -> Result<Vec<User>> {
    let raw = rows(conn, location, &format!("{USERS} {filter}"), params, RawUser::read)?;
    raw.into_iter().map(|u| u.decode(location)).collect()
}

fn add_user(conn: &Connection, location: &str, user: &NewUser) -> Result<UserId> {
    conn.execute(
        "INSERT INTO users (name, role, regions, accounts, password_hash, failed_logins, locked_until,
                            disabled, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 0, NULL, 0, ?6)",
        params![
            user.name,
            user.role.as_str(),
            list(&user.regions),
            list(&user.accounts),
            user.password_hash,
            now()
        ],
    )
    .map_err(|e| match &e {
        rusqlite::Error::SqliteFailure(f, _) if f.extended_code == ffi::SQLITE_CONSTRAINT_UNIQUE => {
            StoreError::Conflict { location: location.to_owned(), what: format!("用户“{}”", user.name) }
        }
        _ => sql_err(location, e),
    })?;
    Ok(conn.last_insert_rowid())
}

fn update_user(conn: &Connection, location: &str, user: &User) -> Result<()> {
    conn.execute(
        "UPDATE users SET role = ?2, regions = ?3, accounts = ?4, password_hash = ?5, failed_logins = ?6,
                          locked_until = ?7, disabled = ?8
         WHERE id = ?1",
        params![
            user.id,
            user.role.as_str(),
            list(&user.regions),
            list(&user.accounts),
            user.password_hash,
            user.failed_logins,
            user.locked_until,
            user.disabled
        ],
    )
    .map(|_| ())
    .map_err(|e| sql_err(location, e))
}

fn put_credential(conn: &Connection, location: &str, c: &Credential) -> Result<()> {
    conn.execute(
        "INSERT INTO credentials (hash, user_id, kind, label, csrf, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (hash) DO UPDATE SET user_id = excluded.user_id, kind = excluded.kind,
             label = excluded.label, csrf = excluded.csrf, created_at = excluded.created_at,
             expires_at = excluded.expires_at",
        params![c.hash, c.user, c.kind.as_str(), c.label, c.csrf, c.created_at, c.expires_at],
    )
    .map(|_| ())
    .map_err(|e| sql_err(location, e))
}

fn credentials_where(
    conn: &Connection,
    location: &str,
    filter: &str,
    params: impl Params,
) -> Result<Vec<Credential>> {
    let found = rows(conn, location, &format!("{CREDENTIALS} {filter}"), params, |r| {
        let kind: String = r.get(2)?;
        let Some(kind) = CredentialKind::parse(&kind) else {
            return Ok(Err(unknown(location, "登录凭据的类型".into(), &kind)));
        };
        Ok(Ok(Credential {
            hash: r.get(0)?,
            user: r.get(1)?,
            kind,
            label: r.get(3)?,
            csrf: r.get(4)?,
            created_at: r.get(5)?,
            expires_at: r.get(6)?,
        }))
    })?;
    found.into_iter().collect()
}

fn add_review(conn: &Connection, location: &str, r: &Review) -> Result<i64> {
    conn.execute(
        "INSERT INTO reviews (account, code, fingerprint, decision, reason, user_name, at, run_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![r.account, r.code, r.fingerprint, r.decision.as_str(), r.reason, r.user, r.at, r.run],
    )
    .map_err(|e| sql_err(location, e))?;
    Ok(conn.last_insert_rowid())
}

fn reviews(conn: &Connection, location: &str, account: Option<&str>) -> Result<Vec<Review>> {
    let read = |r: &Row| {
        let id = r.get(0)?;
        let decision: String = r.get(4)?;
        let Some(decision) = Decision::parse(&decision) else {
            return Ok(Err(unknown(location, format!("审核记录 {id} 的结论"), &decision)));
        };
        Ok(Ok(Review {
            id,
            account: r.get(1)?,
            code: r.get(2)?,
            fingerprint: r.get(3)?,
            decision,
            reason: r.get(5)?,
            user: r.get(6)?,
            at: r.get(7)?,
            run: r.get(8)?,
        }))
    };
    let found = match account {
        Some(a) => rows(conn, location, &format!("{REVIEWS} WHERE account = ?1 ORDER BY id"), [a], read)?,
        None => rows(conn, location, &format!("{REVIEWS} ORDER BY id"), [], read)?,
    };
    found.into_iter().collect()
}

fn read_recheck(r: &Row) -> rusqlite::Result<Recheck> {
    Ok(Recheck {
        id: r.get(0)?,
        account: r.get(1)?,
        user: r.get(2)?,
        requested_at: r.get(3)?,
        done_run: r.get(4)?,
    })
}

fn add_recheck(conn: &Connection, location: &str, r: &Recheck) -> Result<i64> {
    conn.execute(
        "INSERT INTO rechecks (account, user_name, requested_at, done_run) VALUES (?1, ?2, ?3, ?4)",
        params![r.account, r.user, r.requested_at, r.done_run],
    )
    .map_err(|e| sql_err(location, e))?;
    Ok(conn.last_insert_rowid())
}

fn complete_rechecks(conn: &Connection, location: &str, ids: &[i64], run: RunId) -> Result<()> {
    let ids = serde_json::to_string(ids).expect("ids serialise");
    conn.execute(
        "UPDATE rechecks SET done_run = ?1
         WHERE done_run IS NULL AND id IN (SELECT value FROM json_each(?2))",
        params![run, ids],
    )
    .map(|_| ())
    .map_err(|e| sql_err(location, e))
}

fn add_audit(conn: &Connection, location: &str, a: &AuditEntry) -> Result<()> {
    conn.execute(
        "INSERT INTO audit_log (at, user_name, action, object, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![a.at, a.user, a.action, a.object, a.detail.to_string()],
    )
    .map(|_| ())
    .map_err(|e| sql_err(location, e))
}

fn audit_log(conn: &Connection, location: &str, limit: usize) -> Result<Vec<AuditEntry>> {
    let sql = "SELECT id, at, user_name, action, object, detail FROM audit_log ORDER BY id DESC LIMIT ?1";
    let found = rows(conn, location, sql, [i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
        let id = r.get(0)?;
        let detail = match serde_json::from_str(&r.get::<_, String>(5)?) {
            Ok(d) => d,
            Err(e) => return Ok(Err(StoreError::corrupt(location, format!("审计日志 {id} 的详情"), e))),
        };
        Ok(Ok(AuditEntry {
            id,
            at: r.get(1)?,
            user: r.get(2)?,
            action: r.get(3)?,
            object: r.get(4)?,
            detail,
        }))
    })?;
    found.into_iter().collect()
}

fn account_runs(conn: &Connection, location: &str, account: &str) -> Result<Vec<AccountRun>> {
    let sql = "SELECT r.id, r.check_date, a.score, a.rank, a.passed <> 0,
                      COALESCE(json_array_length(a.data, '$.findings'), 0)
               FROM run_accounts a JOIN runs r ON r.id = a.run_id
               WHERE a.account = ?1 AND r.state = 'finished' ORDER BY r.id, a.seq";
    rows(conn, location, sql, [account], |r| {
        Ok(AccountRun {
            run: r.get(0)?,
            check_date: r.get(1)?,
            score: r.get(2)?,
            rank: r.get(3)?,
            passed: r.get(4)?,
            findings: r.get::<_, i64>(5)?.max(0) as u64,
        })
    })
}

impl AccessStore for SqliteStore {
    fn add_user(&mut self, user: &NewUser) -> Result<UserId> {
        add_user(&self.conn, &self.location, user)
    }

    fn update_user(&mut self, user: &User) -> Result<()> {
        update_user(&self.conn, &self.location, user)
    }

    fn user(&mut self, name: &str) -> Result<Option<User>> {
        Ok(users_where(&self.conn, &self.location, "WHERE name = ?1", [name])?.pop())
    }

    fn user_by_id(&mut self, id: UserId) -> Result<Option<User>> {
        Ok(users_where(&self.conn, &self.location, "WHERE id = ?1", [id])?.pop())
    }

    fn users(&mut self) -> Result<Vec<User>> {
        users_where(&self.conn, &self.location, "ORDER BY name", [])
    }

    fn put_credential(&mut self, credential: &Credential) -> Result<()> {
        put_credential(&self.conn, &self.location, credential)
    }

    fn credential(&mut self, hash: &str) -> Result<Option<Credential>> {
        Ok(credentials_where(&self.conn, &self.location, "WHERE hash = ?1", [hash])?.pop())
    }

    fn delete_credential(&mut self, hash: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM credentials WHERE hash = ?1", [hash])
            .map(|_| ())
            .map_err(|e| sql_err(&self.location, e))
    }

    fn delete_expired_credentials(&mut self, now: &str) -> Result<u64> {
        self.conn
            .execute("DELETE FROM credentials WHERE expires_at < ?1", [now])
            .map(|n| n as u64)
            .map_err(|e| sql_err(&self.location, e))
    }

    fn api_tokens(&mut self, user: Option<UserId>) -> Result<Vec<Credential>> {
        let filter = "WHERE kind = 'api_token' AND (?1 IS NULL OR user_id = ?1) ORDER BY created_at, hash";
        credentials_where(&self.conn, &self.location, filter, [user])
    }

    fn add_review(&mut self, review: &Review) -> Result<i64> {
        add_review(&self.conn, &self.location, review)
    }

    fn reviews(&mut self, account: Option<&str>) -> Result<Vec<Review>> {
        reviews(&self.conn, &self.location, account)
    }

    fn add_recheck(&mut self, recheck: &Recheck) -> Result<i64> {
        add_recheck(&self.conn, &self.location, recheck)
    }

    fn pending_rechecks(&mut self) -> Result<Vec<Recheck>> {
        let sql = format!("{RECHECKS} WHERE done_run IS NULL ORDER BY id");
        rows(&self.conn, &self.location, &sql, [], read_recheck)
    }

    fn rechecks(&mut self, account: &str) -> Result<Vec<Recheck>> {
        let sql = format!("{RECHECKS} WHERE account = ?1 ORDER BY id DESC");
        rows(&self.conn, &self.location, &sql, [account], read_recheck)
    }

    fn complete_rechecks(&mut self, ids: &[i64], run: RunId) -> Result<()> {
        complete_rechecks(&self.conn, &self.location, ids, run)
    }

    fn add_audit(&mut self, entry: &AuditEntry) -> Result<()> {
        add_audit(&self.conn, &self.location, entry)
    }

    fn audit_log(&mut self, limit: usize) -> Result<Vec<AuditEntry>> {
        audit_log(&self.conn, &self.location, limit)
    }

    fn account_runs(&mut self, account: &str) -> Result<Vec<AccountRun>> {
        account_runs(&self.conn, &self.location, account)
    }
}

#[cfg(test)]
mod tests {
    use govmedia_store_api::{AccessStore, NewUser, Role};

    use crate::SqliteStore;

    #[test]
    fn text_no_govmedia_writes_is_a_corrupt_record() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let user = NewUser {
            name: "alice".into(),
            role: Role::Admin,
            regions: vec![],
            accounts: vec![],
            password_hash: None,
        };
        let id = store.add_user(&user).unwrap();
        store
            .conn
            .execute_batch(&format!(
                "UPDATE users SET role = 'root';
                 INSERT INTO credentials VALUES ('h', {id}, 'cookie', NULL, NULL, 't', NULL);
                 INSERT INTO reviews VALUES (7, 'gh_a', 'C', 'f', 'maybe', NULL, 'alice', 't', NULL);
                 INSERT INTO audit_log VALUES (9, 't', NULL, 'a', 'o', '{{');"
            ))
            .unwrap();
        let error = |e: govmedia_store_api::StoreError| e.to_string();
        assert!(error(store.user("alice").unwrap_err()).contains("用户“alice”的角色“root”无法识别"));
        assert!(error(store.credential("h").unwrap_err()).contains("登录凭据的类型“cookie”无法识别"));
        assert!(error(store.reviews(None).unwrap_err()).contains("审核记录 7 的结论“maybe”无法识别"));
        assert!(error(store.audit_log(1).unwrap_err()).contains("审计日志 9 的详情"));
    }
}
