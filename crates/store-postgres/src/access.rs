//! The server's records: users, credentials, reviews, re-checks and the audit log.
//!
//! A value no govmedia writes (an unknown role …) is a corrupt record: reading it returns an
//! error naming the record, never a panic or a guess. Names sort with `COLLATE "C"` (byte
//! order), as in SQLite.

use govmedia_store_api::{
    AccessStore, AccountRun, AuditEntry, Credential, CredentialKind, Decision, NewUser, Recheck, Result,
    Review, Role, RunId, StoreError, User, UserId,
};
use postgres::error::SqlState;
use postgres::types::ToSql;
use postgres::{Client, Row};

use crate::runs::now;
use crate::{PgStore, pg_err};

const USERS: &str = "SELECT id, name, role, regions, accounts, password_hash, failed_logins, locked_until, \
                     disabled, created_at FROM users";
const REVIEWS: &str =
    "SELECT id, account, code, fingerprint, decision, reason, user_name, at, run_id FROM reviews";
const RECHECKS: &str = "SELECT id, account, user_name, requested_at, done_run FROM rechecks";

/// Text that no govmedia writes: a corrupt record, reported rather than guessed at.
fn unknown(location: &str, what: String, text: &str) -> StoreError {
    StoreError::Backend {
        location: location.to_owned(),
        message: format!("记录已损坏：{what}“{text}”无法识别"),
        source: None,
    }
}

fn list(v: &[String]) -> String {
    serde_json::to_string(v).expect("strings serialise")
}

fn query(client: &mut Client, location: &str, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>> {
    client.query(sql, params).map_err(|e| pg_err(location, e))
}

fn execute(client: &mut Client, location: &str, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<()> {
    client.execute(sql, params).map(|_| ()).map_err(|e| pg_err(location, e))
}

fn decode_user(location: &str, r: &Row) -> Result<User> {
    let name: String = r.get(1);
    let what = |field: &str| format!("用户“{name}”的{field}");
    let role: String = r.get(2);
    let list = |i: usize, field: &str| {
        serde_json::from_str(r.get(i)).map_err(|e| StoreError::corrupt(location, what(field), e))
    };
    Ok(User {
        id: r.get(0),
        role: Role::parse(&role).ok_or_else(|| unknown(location, what("角色"), &role))?,
        regions: list(3, "地区")?,
        accounts: list(4, "账号")?,
        password_hash: r.get(5),
        failed_logins: u32::try_from(r.get::<_, i64>(6).max(0)).unwrap_or(u32::MAX),
        locked_until: r.get(7),
        disabled: r.get(8),
        created_at: r.get(9),
        name,
    })
}

fn users_where(
    client: &mut Client,
    location: &str,
    filter: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Vec<User>> {
    query(client, location, &format!("{USERS} {filter}"), params)?
        .iter()
        .map(|r| decode_user(location, r))
        .collect()
}

fn add_user(client: &mut Client, location: &str, user: &NewUser) -> Result<UserId> {
    let row = client
        .query_one(
            "INSERT INTO users (name, role, regions, accounts, password_hash, failed_logins, locked_until,
                                disabled, created_at)
             VALUES ($1, $2, $3, $4, $5, 0, NULL, FALSE, $6) RETURNING id",
            &[
                &user.name,
                &user.role.as_str(),
                &list(&user.regions),
                &list(&user.accounts),
                &user.password_hash,
                &now(),
            ],
        )
        .map_err(|e| match e.code() {
            Some(&SqlState::UNIQUE_VIOLATION) => StoreError::Conflict {
                location: location.to_owned(),
                what: format!("用户“{}”", user.name),
            },
            _ => pg_err(location, e),
        })?;
    Ok(row.get(0))
}

fn update_user(client: &mut Client, location: &str, user: &User) -> Result<()> {
    execute(
        client,
        location,
        "UPDATE users SET role = $2, regions = $3, accounts = $4, password_hash = $5, failed_logins = $6,
                          locked_until = $7, disabled = $8
         WHERE id = $1",
        &[
            &user.id,
            &user.role.as_str(),
            &list(&user.regions),
            &list(&user.accounts),
            &user.password_hash,
            &i64::from(user.failed_logins),
            &user.locked_until,
            &user.disabled,
        ],
    )
}

fn put_credential(client: &mut Client, location: &str, c: &Credential) -> Result<()> {
    execute(
        client,
        location,
        "INSERT INTO credentials (hash, user_id, kind, label, csrf, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (hash) DO UPDATE SET user_id = excluded.user_id, kind = excluded.kind,
             label = excluded.label, csrf = excluded.csrf, created_at = excluded.created_at,
             expires_at = excluded.expires_at",
        &[&c.hash, &c.user, &c.kind.as_str(), &c.label, &c.csrf, &c.created_at, &c.expires_at],
    )
}

fn credentials_where(
    client: &mut Client,
    location: &str,
    filter: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Vec<Credential>> {
    let sql =
        format!("SELECT hash, user_id, kind, label, csrf, created_at, expires_at FROM credentials {filter}");
    query(client, location, &sql, params)?
        .iter()
        .map(|r| {
            let kind: String = r.get(2);
            Ok(Credential {
                hash: r.get(0),
                user: r.get(1),
                kind: CredentialKind::parse(&kind)
                    .ok_or_else(|| unknown(location, "登录凭据的类型".into(), &kind))?,
                label: r.get(3),
                csrf: r.get(4),
                created_at: r.get(5),
                expires_at: r.get(6),
            })
        })
        .collect()
}

fn add_review(client: &mut Client, location: &str, r: &Review) -> Result<i64> {
    let row = client
        .query_one(
            "INSERT INTO reviews (account, code, fingerprint, decision, reason, user_name, at, run_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            &[&r.account, &r.code, &r.fingerprint, &r.decision.as_str(), &r.reason, &r.user, &r.at, &r.run],
        )
        .map_err(|e| pg_err(location, e))?;
    Ok(row.get(0))
}

fn reviews(client: &mut Client, location: &str, account: Option<&str>) -> Result<Vec<Review>> {
    let found = match account {
        Some(a) => query(client, location, &format!("{REVIEWS} WHERE account = $1 ORDER BY id"), &[&a])?,
        None => query(client, location, &format!("{REVIEWS} ORDER BY id"), &[])?,
    };
    found
        .iter()
        .map(|r| {
            let id: i64 = r.get(0);
            let decision: String = r.get(4);
            Ok(Review {
                id,
                account: r.get(1),
                code: r.get(2),
                fingerprint: r.get(3),
                decision: Decision::parse(&decision)
                    .ok_or_else(|| unknown(location, format!("审核记录 {id} 的结论"), &decision))?,
                reason: r.get(5),
                user: r.get(6),
                at: r.get(7),
                run: r.get(8),
            })
        })
        .collect()
}

fn rechecks_where(
    client: &mut Client,
    location: &str,
    filter: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Vec<Recheck>> {
    let found = query(client, location, &format!("{RECHECKS} {filter}"), params)?;
    Ok(found
        .iter()
        .map(|r| Recheck {
            id: r.get(0),
            account: r.get(1),
            user: r.get(2),
            requested_at: r.get(3),
            done_run: r.get(4),
        })
        .collect())
}

fn add_recheck(client: &mut Client, location: &str, r: &Recheck) -> Result<i64> {
    let row = client
        .query_one(
            "INSERT INTO rechecks (account, user_name, requested_at, done_run) VALUES ($1, $2, $3, $4)
             RETURNING id",
            &[&r.account, &r.user, &r.requested_at, &r.done_run],
        )
        .map_err(|e| pg_err(location, e))?;
    Ok(row.get(0))
}

fn audit_log(client: &mut Client, location: &str, limit: usize) -> Result<Vec<AuditEntry>> {
    let sql = "SELECT id, at, user_name, action, object, detail FROM audit_log ORDER BY id DESC LIMIT $1";
    let found = query(client, location, sql, &[&i64::try_from(limit).unwrap_or(i64::MAX)])?;
    found
        .iter()
        .map(|r| {
            let id: i64 = r.get(0);
            Ok(AuditEntry {
                id,
                at: r.get(1),
                user: r.get(2),
                action: r.get(3),
                object: r.get(4),
                detail: serde_json::from_str(r.get(5))
                    .map_err(|e| StoreError::corrupt(location, format!("审计日志 {id} 的详情"), e))?,
            })
        })
        .collect()
}

fn account_runs(client: &mut Client, location: &str, account: &str) -> Result<Vec<AccountRun>> {
    let sql = "SELECT r.id, r.check_date, a.score, a.rank, a.passed <> 0,
                      COALESCE(jsonb_array_length(a.data::jsonb -> 'findings'), 0)::BIGINT
               FROM run_accounts a JOIN runs r ON r.id = a.run_id
               WHERE a.account = $1 AND r.state = 'finished' ORDER BY r.id, a.seq";
    Ok(query(client, location, sql, &[&account])?
        .iter()
        .map(|r| AccountRun {
            run: r.get(0),
            check_date: r.get(1),
            score: r.get(2),
            rank: r.get::<_, Option<i32>>(3).map(i64::from),
            passed: r.get(4),
            findings: r.get::<_, i64>(5).max(0) as u64,
        })
        .collect())
}

impl AccessStore for PgStore {
    fn add_user(&mut self, user: &NewUser) -> Result<UserId> {
        add_user(&mut self.client, &self.location, user)
    }

    fn update_user(&mut self, user: &User) -> Result<()> {
        update_user(&mut self.client, &self.location, user)
    }

    fn user(&mut self, name: &str) -> Result<Option<User>> {
        Ok(users_where(&mut self.client, &self.location, "WHERE name = $1", &[&name])?.pop())
    }

    fn user_by_id(&mut self, id: UserId) -> Result<Option<User>> {
        Ok(users_where(&mut self.client, &self.location, "WHERE id = $1", &[&id])?.pop())
    }

    fn users(&mut self) -> Result<Vec<User>> {
        users_where(&mut self.client, &self.location, "ORDER BY name COLLATE \"C\"", &[])
    }

    fn put_credential(&mut self, credential: &Credential) -> Result<()> {
        put_credential(&mut self.client, &self.location, credential)
    }

    fn credential(&mut self, hash: &str) -> Result<Option<Credential>> {
        Ok(credentials_where(&mut self.client, &self.location, "WHERE hash = $1", &[&hash])?.pop())
    }

    fn delete_credential(&mut self, hash: &str) -> Result<()> {
        execute(&mut self.client, &self.location, "DELETE FROM credentials WHERE hash = $1", &[&hash])
    }

    fn delete_expired_credentials(&mut self, now: &str) -> Result<u64> {
        self.client
            .execute("DELETE FROM credentials WHERE expires_at < $1 COLLATE \"C\"", &[&now])
            .map_err(|e| pg_err(&self.location, e))
    }

    fn api_tokens(&mut self, user: Option<UserId>) -> Result<Vec<Credential>> {
        let filter = "WHERE kind = 'api_token' AND ($1::BIGINT IS NULL OR user_id = $1)
                      ORDER BY created_at, hash COLLATE \"C\"";
        credentials_where(&mut self.client, &self.location, filter, &[&user])
    }

    fn add_review(&mut self, review: &Review) -> Result<i64> {
        add_review(&mut self.client, &self.location, review)
    }

    fn reviews(&mut self, account: Option<&str>) -> Result<Vec<Review>> {
        reviews(&mut self.client, &self.location, account)
    }

    fn add_recheck(&mut self, recheck: &Recheck) -> Result<i64> {
        add_recheck(&mut self.client, &self.location, recheck)
    }

    fn pending_rechecks(&mut self) -> Result<Vec<Recheck>> {
        rechecks_where(&mut self.client, &self.location, "WHERE done_run IS NULL ORDER BY id", &[])
    }

    fn rechecks(&mut self, account: &str) -> Result<Vec<Recheck>> {
        rechecks_where(&mut self.client, &self.location, "WHERE account = $1 ORDER BY id DESC", &[&account])
    }

    fn complete_rechecks(&mut self, ids: &[i64], run: RunId) -> Result<()> {
        let sql = "UPDATE rechecks SET done_run = $1 WHERE done_run IS NULL AND id = ANY($2)";
        execute(&mut self.client, &self.location, sql, &[&run, &ids])
    }

    fn add_audit(&mut self, entry: &AuditEntry) -> Result<()> {
        execute(
            &mut self.client,
            &self.location,
            "INSERT INTO audit_log (at, user_name, action, object, detail) VALUES ($1, $2, $3, $4, $5)",
            &[&entry.at, &entry.user, &entry.action, &entry.object, &entry.detail.to_string()],
        )
    }

    fn audit_log(&mut self, limit: usize) -> Result<Vec<AuditEntry>> {
        audit_log(&mut self.client, &self.location, limit)
    }

    fn account_runs(&mut self, account: &str) -> Result<Vec<AccountRun>> {
        account_runs(&mut self.client, &self.location, account)
    }
}

#[cfg(test)]
mod tests {
    use govmedia_store_api::{AccessStore, NewUser, Role};

    use crate::PgStore;
    use crate::testing::TestDb;

    #[test]
    fn text_no_govmedia_writes_is_a_corrupt_record() {
        let Some(db) = TestDb::create("corrupt_access") else { return };
        let mut store = PgStore::connect(db.url()).unwrap();
        let user = NewUser {
            name: "alice".into(),
            role: Role::Admin,
            regions: vec![],
            accounts: vec![],
            password_hash: None,
        };
        let id = store.add_user(&user).unwrap();
        store
            .client
            .batch_execute(&format!(
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
