-- govmedia schema for PostgreSQL, version 2: what the server keeps beside the survey, as in
-- the SQLite store (its version 3). Secrets are never stored: passwords as Argon2id hashes,
-- session and API tokens as the SHA-256 of the token.

CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    -- JSON arrays of region codes and account ids.
    regions TEXT NOT NULL,
    accounts TEXT NOT NULL,
    password_hash TEXT,
    failed_logins BIGINT NOT NULL,
    locked_until TEXT,
    disabled BOOLEAN NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE credentials (
    hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    label TEXT,
    csrf TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT
);
CREATE INDEX credentials_user ON credentials (user_id);

-- Decisions are only added: the latest on a finding (account, code, fingerprint) holds.
CREATE TABLE reviews (
    id BIGSERIAL PRIMARY KEY,
    account TEXT NOT NULL,
    code TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    decision TEXT NOT NULL,
    reason TEXT,
    user_name TEXT NOT NULL,
    at TEXT NOT NULL,
    run_id BIGINT
);
CREATE INDEX reviews_finding ON reviews (account, code, fingerprint);

CREATE TABLE rechecks (
    id BIGSERIAL PRIMARY KEY,
    account TEXT NOT NULL,
    user_name TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    done_run BIGINT
);

CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    at TEXT NOT NULL,
    user_name TEXT,
    action TEXT NOT NULL,
    object TEXT NOT NULL,
    detail TEXT NOT NULL
);
