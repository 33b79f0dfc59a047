-- govmedia schema for PostgreSQL, version 1. The tables and columns are those of the SQLite
-- store (same names, same meaning): booleans as INTEGER 0/1 and times as Unix seconds, so that
-- the shared queries (statistics) run on both. Each record keeps its full JSON, verbatim, in
-- `data` (TEXT, not JSONB: JSONB reorders keys, and results must be byte-identical).

CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    owner TEXT NOT NULL,
    level TEXT NOT NULL,
    field TEXT,
    region TEXT,
    platform TEXT NOT NULL,
    biz TEXT,
    kind TEXT,
    status TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX accounts_biz ON accounts (biz);
CREATE INDEX accounts_level ON accounts (level);

CREATE TABLE articles (
    url TEXT PRIMARY KEY,
    account TEXT NOT NULL REFERENCES accounts (id),
    title TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    position INTEGER,
    reads BIGINT,
    reads_capped INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0,
    data TEXT NOT NULL
);
CREATE INDEX articles_account_time ON articles (account, published_at);
CREATE INDEX articles_account_title ON articles (account, title);

-- Comment and reply texts are stored only after personal data has been masked.
CREATE TABLE comments (
    article_url TEXT NOT NULL REFERENCES articles (url) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    comment_id TEXT,
    created_at BIGINT NOT NULL,
    text TEXT NOT NULL,
    likes BIGINT,
    featured INTEGER,
    reply_text TEXT,
    reply_at BIGINT,
    masked_phone INTEGER NOT NULL DEFAULT 0,
    masked_id_number INTEGER NOT NULL DEFAULT 0,
    masked_bank_card INTEGER NOT NULL DEFAULT 0,
    masked_email INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_url, seq)
);

CREATE TABLE menus (
    account TEXT NOT NULL REFERENCES accounts (id),
    captured_at BIGINT NOT NULL,
    menu TEXT NOT NULL,
    PRIMARY KEY (account, captured_at)
);

CREATE TABLE events (
    id TEXT PRIMARY KEY,
    occurred_at BIGINT NOT NULL,
    data TEXT NOT NULL
);

CREATE TABLE pages (
    url TEXT PRIMARY KEY,
    fetched_at BIGINT NOT NULL,
    status INTEGER,
    data TEXT NOT NULL
);

CREATE TABLE survey (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE cache (
    namespace TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (namespace, key)
);

CREATE TABLE blobs (
    hash TEXT PRIMARY KEY,
    data BYTEA NOT NULL
);

CREATE TABLE runs (
    id BIGSERIAL PRIMARY KEY,
    framework TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    check_date TEXT NOT NULL,
    options TEXT NOT NULL,
    state TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    error TEXT,
    accounts BIGINT,
    passed BIGINT,
    results TEXT
);

CREATE TABLE run_accounts (
    run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    account TEXT NOT NULL,
    score DOUBLE PRECISION,
    rank INTEGER,
    passed INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
);
CREATE INDEX run_accounts_account ON run_accounts (account, run_id);
