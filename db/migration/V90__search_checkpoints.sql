-- An auto job's search, kept so that the job's next attempt resumes it after a crash or a shutdown:
-- its journal (points drawn, bracket sizes, rung results, time spent) and each point's latest
-- training checkpoint. Written only by the attempt holding the job, read back only on the same data,
-- deleted when the job ends. Trainer-private: nothing here is ever served.
CREATE TABLE search_journal (
    job_id           UUID        PRIMARY KEY REFERENCES training_job (id) ON DELETE CASCADE,
    attempt          INTEGER     NOT NULL,
    journal          JSONB       NOT NULL,      -- tuning.SearchJournal
    data_fingerprint CHAR(64)    NOT NULL,
    saved_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE search_checkpoint (
    job_id           UUID        NOT NULL REFERENCES training_job (id) ON DELETE CASCADE,
    point            INTEGER     NOT NULL,      -- the search's point number
    attempt          INTEGER     NOT NULL,
    epoch            INTEGER     NOT NULL,      -- the point's epochs completed
    state            BYTEA       NOT NULL,      -- TrainingCheckpoint.encode()
    data_fingerprint CHAR(64)    NOT NULL,
    sha256           CHAR(64)    NOT NULL,
    saved_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, point)
);

-- the point an auto job's latest attempt resumed (its resumed_from_epoch is that point's epoch)
ALTER TABLE training_job ADD COLUMN resumed_point INTEGER;
