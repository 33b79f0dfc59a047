//! What the server keeps beside the survey: users and their roles, login sessions and API
//! tokens, reviewers' decisions on findings, re-check requests and the audit log.
//!
//! Secrets never reach a store: passwords are kept as Argon2id hashes (PHC strings) and
//! session or API tokens as the SHA-256 of the token, so a copy of the database logs nobody in.

use serde::{Deserialize, Serialize};

use crate::{Result, RunId};

/// A user's identifier (increasing).
pub type UserId = i64;

/// What a user may see and do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages users; sees everything and the audit log.
    Admin,
    /// Sees every account, starts runs, reviews findings.
    Evaluator,
    /// Sees the accounts of its regions (a code covers the codes it prefixes); reviews them.
    Supervisor,
    /// Sees its own accounts only; marks their findings fixed.
    Operator,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Evaluator, Role::Supervisor, Role::Operator];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Evaluator => "evaluator",
            Role::Supervisor => "supervisor",
            Role::Operator => "operator",
        }
    }

    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "管理员",
            Role::Evaluator => "评估人员",
            Role::Supervisor => "监管单位",
            Role::Operator => "运营单位",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A user as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    /// Unique login name.
    pub name: String,
    pub role: Role,
    /// Region codes (supervisors): each covers every code it prefixes.
    pub regions: Vec<String>,
    /// Account ids (operators).
    pub accounts: Vec<String>,
    /// Argon2id PHC string; `None` until a password is set (token-only users).
    #[serde(skip_serializing)]
    pub password_hash: Option<String>,
    /// Failed logins since the last success.
    pub failed_logins: u32,
    /// RFC 3339: no login until then.
    pub locked_until: Option<String>,
    pub disabled: bool,
    /// RFC 3339.
    pub created_at: String,
}

/// A user about to be added.
#[derive(Debug, Clone, PartialEq)]
pub struct NewUser {
    pub name: String,
    pub role: Role,
    pub regions: Vec<String>,
    pub accounts: Vec<String>,
    pub password_hash: Option<String>,
}

/// What a credential is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CredentialKind {
    /// A browser session (cookie), with its CSRF token.
    Session,
    /// A token for scripts (`Authorization: Bearer …`).
    ApiToken,
}

impl CredentialKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CredentialKind::Session => "session",
            CredentialKind::ApiToken => "api_token",
        }
    }

    pub fn parse(s: &str) -> Option<CredentialKind> {
        [CredentialKind::Session, CredentialKind::ApiToken].into_iter().find(|k| k.as_str() == s)
    }
}

/// A session or API token, known by the SHA-256 (hex) of its secret.
#[derive(Debug, Clone, PartialEq)]
pub struct Credential {
    pub hash: String,
    pub user: UserId,
    pub kind: CredentialKind,
    /// What the token is for (API tokens).
    pub label: Option<String>,
    /// The session's CSRF token (sessions).
    pub csrf: Option<String>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339; `None` never expires.
    pub expires_at: Option<String>,
}

/// A reviewer's decision on a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// The finding is right (evaluators, supervisors).
    Confirmed,
    /// The finding is wrong (evaluators, supervisors), with a reason.
    Dismissed,
    /// The operator says it is fixed: the account is queued for a re-check.
    Fixed,
}

impl Decision {
    pub const ALL: [Decision; 3] = [Decision::Confirmed, Decision::Dismissed, Decision::Fixed];

    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Confirmed => "confirmed",
            Decision::Dismissed => "dismissed",
            Decision::Fixed => "fixed",
        }
    }

    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Decision::Confirmed => "已确认",
            Decision::Dismissed => "已驳回",
            Decision::Fixed => "已整改",
        }
    }

    pub fn parse(s: &str) -> Option<Decision> {
        Decision::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

/// One decision on one finding. A finding is known across runs by its account, code and the
/// fingerprint of its evidence: the decision holds until the evidence changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    /// Assigned by the store (0 before it is added).
    pub id: i64,
    pub account: String,
    pub code: String,
    pub fingerprint: String,
    pub decision: Decision,
    pub reason: Option<String>,
    /// The reviewer's user name.
    pub user: String,
    /// RFC 3339.
    pub at: String,
    /// The run whose finding was reviewed.
    pub run: Option<RunId>,
}

/// A request to evaluate an account again (an operator's "fixed, check again").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recheck {
    /// Assigned by the store (0 before it is added).
    pub id: i64,
    pub account: String,
    /// The requesting user's name.
    pub user: String,
    /// RFC 3339.
    pub requested_at: String,
    /// The run that answered it; `None` while it waits.
    pub done_run: Option<RunId>,
}

/// One change, for the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Assigned by the store (0 before it is added).
    pub id: i64,
    /// RFC 3339.
    pub at: String,
    /// Who (a user name; `None` for the command line or the server itself).
    pub user: Option<String>,
    /// What, as a stable word (`user.add`, `login.failed`, `review.add` …).
    pub action: String,
    /// On what (a user name, an account id …).
    pub object: String,
    /// The change's details (never a secret).
    pub detail: serde_json::Value,
}

/// One account's outcome in one finished run, for its trend across runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountRun {
    pub run: RunId,
    pub check_date: String,
    pub score: Option<f64>,
    pub rank: Option<i64>,
    pub passed: bool,
    /// How many findings the account had in that run.
    pub findings: u64,
}

/// The server's records. Every list comes back in the order its method names.
pub trait AccessStore {
    /// Adds a user; a name already taken is [`crate::StoreError::Conflict`].
    fn add_user(&mut self, user: &NewUser) -> Result<UserId>;

    /// Replaces a user's role, scope, password hash, login counters and `disabled` (by id).
    fn update_user(&mut self, user: &User) -> Result<()>;

    fn user(&mut self, name: &str) -> Result<Option<User>>;

    fn user_by_id(&mut self, id: UserId) -> Result<Option<User>>;

    /// Every user, by name.
    fn users(&mut self) -> Result<Vec<User>>;

    /// Stores a credential (a new hash; an existing one is replaced).
    fn put_credential(&mut self, credential: &Credential) -> Result<()>;

    fn credential(&mut self, hash: &str) -> Result<Option<Credential>>;

    fn delete_credential(&mut self, hash: &str) -> Result<()>;

    /// Deletes the credentials that expired before `now` (RFC 3339 UTC, written as the server
    /// writes expiry times, so that text order is time order); returns how many.
    fn delete_expired_credentials(&mut self, now: &str) -> Result<u64>;

    /// The API tokens of one user, or of every user, oldest first.
    fn api_tokens(&mut self, user: Option<UserId>) -> Result<Vec<Credential>>;

    /// Adds a decision (decisions are never overwritten: the latest on a finding holds).
    fn add_review(&mut self, review: &Review) -> Result<i64>;

    /// Decisions on one account's findings, or on all, oldest first.
    fn reviews(&mut self, account: Option<&str>) -> Result<Vec<Review>>;

    fn add_recheck(&mut self, recheck: &Recheck) -> Result<i64>;

    /// Re-check requests still waiting, oldest first.
    fn pending_rechecks(&mut self) -> Result<Vec<Recheck>>;

    /// Re-check requests of one account, newest first.
    fn rechecks(&mut self, account: &str) -> Result<Vec<Recheck>>;

    /// Marks the waiting requests with these ids answered by `run`.
    fn complete_rechecks(&mut self, ids: &[i64], run: RunId) -> Result<()>;

    fn add_audit(&mut self, entry: &AuditEntry) -> Result<()>;

    /// The latest `limit` entries, newest first.
    fn audit_log(&mut self, limit: usize) -> Result<Vec<AuditEntry>>;

    /// The account's outcome in every finished run that evaluated it, oldest first.
    fn account_runs(&mut self, account: &str) -> Result<Vec<AccountRun>>;
}
