-- govmedia schema, version 1.
-- Portable SQL (SQLite and PostgreSQL): TEXT, BIGINT, INTEGER; booleans as INTEGER 0/1;
-- times as Unix seconds. Each record keeps its full JSON in `data` (contract fields and the
-- unknown fields the contract says to keep); the other columns exist for keys and queries.

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

-- Comment and reply texts are stored only after personal data has been masked;
-- masked_* count what was masked.
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

-- survey.toml of the imported dataset, as JSON, under key 'config'; the dataset path under 'dataset'.
CREATE TABLE survey (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Generic cache (AI judgements and the like): namespace + key → value.
CREATE TABLE cache (
    namespace TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (namespace, key)
);
