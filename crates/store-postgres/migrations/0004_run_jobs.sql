-- The work queue of distributed evaluation: a run's accounts in jobs that workers lease
-- (`FOR UPDATE SKIP LOCKED`) — first the observe jobs, whose compact output (`observed`) every
-- worker reads before assessing, then the assess jobs — and the assessments they hand back,
-- one row per account.
CREATE TABLE run_jobs (
    run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    chunk INTEGER NOT NULL,
    stage TEXT NOT NULL,
    first_position INTEGER NOT NULL,
    accounts TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued',
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    ready_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    lease_until TIMESTAMPTZ,
    worker TEXT,
    error TEXT,
    observed TEXT,
    PRIMARY KEY (run_id, chunk)
);
CREATE INDEX run_jobs_open ON run_jobs (state, ready_at) WHERE state IN ('queued', 'running');

CREATE TABLE run_assessed (
    run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    account TEXT NOT NULL,
    position INTEGER NOT NULL,
    data TEXT,
    error TEXT,
    PRIMARY KEY (run_id, account)
);
CREATE INDEX run_assessed_order ON run_assessed (run_id, position);
