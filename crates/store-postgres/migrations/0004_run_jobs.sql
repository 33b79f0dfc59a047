-- The work queue of distributed evaluation: a run's accounts in jobs that workers lease
-- (`FOR UPDATE SKIP LOCKED`), in stages (0 observe, 1 prepare, 2 assess: a job is leased once
-- every job of the earlier stages is done); what observe and prepare jobs hand back, per
-- check (`run_outputs`); and the assessments of the assess jobs, one row per account.
CREATE TABLE run_jobs (
    run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    chunk INTEGER NOT NULL,
    stage SMALLINT NOT NULL,
    first_position INTEGER NOT NULL,
    accounts TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued',
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    ready_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    lease_until TIMESTAMPTZ,
    worker TEXT,
    error TEXT,
    PRIMARY KEY (run_id, chunk)
);
CREATE INDEX run_jobs_open ON run_jobs (state, ready_at) WHERE state IN ('queued', 'running');

CREATE TABLE run_outputs (
    run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    chunk INTEGER NOT NULL,
    stage SMALLINT NOT NULL,
    check_name TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (run_id, chunk, check_name)
);
CREATE INDEX run_outputs_check ON run_outputs (run_id, stage, check_name, chunk);

CREATE TABLE run_assessed (
    run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    account TEXT NOT NULL,
    position INTEGER NOT NULL,
    data TEXT,
    error TEXT,
    PRIMARY KEY (run_id, account)
);
CREATE INDEX run_assessed_order ON run_assessed (run_id, position);
