-- The article results of a run, one row per account (a JSON array, as in results.json's
-- `articles`), so that recording a national run never binds all of them as one text.
CREATE TABLE run_articles (
    run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    account TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
);
