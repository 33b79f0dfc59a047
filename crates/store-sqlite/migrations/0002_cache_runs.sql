-- govmedia schema, version 2: content-addressed blobs (page bodies of the fetch cache) and
-- the results of evaluation runs.

CREATE TABLE blobs (
    hash TEXT PRIMARY KEY,
    data BLOB NOT NULL
);

CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
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
    -- results.json without its accounts (they are in run_accounts).
    results TEXT
);

-- One row per evaluated account: its result with findings, as in results.json.
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
