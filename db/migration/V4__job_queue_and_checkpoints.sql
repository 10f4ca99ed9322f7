-- Retraining jobs as a queue that trainer processes claim (FOR UPDATE SKIP LOCKED) under a lease,
-- and the per-epoch checkpoints that let a job resume after its trainer died.

ALTER TABLE training_job RENAME COLUMN owner TO replica;           -- the process that runs (ran) it
ALTER TABLE training_job
    ADD COLUMN attempts          INTEGER     NOT NULL DEFAULT 0,  -- claims so far (a fencing token too)
    ADD COLUMN lease_until       TIMESTAMPTZ,                     -- a RUNNING job whose lease passed is claimable again
    ADD COLUMN resumed_from_epoch INTEGER,
    ADD COLUMN popular_recall20  DOUBLE PRECISION,                -- quality gate floor: popularity on the same holdout                        -- the checkpoint the latest attempt started from
    -- the catalogue as the first attempt read it (rows up to these ids), so a resumed job trains on the same data
    ADD COLUMN snapshot_item_id        BIGINT,
    ADD COLUMN snapshot_user_id        BIGINT,
    ADD COLUMN snapshot_interaction_id BIGINT,
    ADD COLUMN data_fingerprint        CHAR(64);                  -- SHA-256 of the training data read

CREATE INDEX training_job_claimable_idx ON training_job (created_at) WHERE status IN ('QUEUED', 'RUNNING');

-- The latest checkpoint of a job: written at every epoch end by the trainer holding the job,
-- deleted when the job finishes. Trainer-private: nothing here is ever served.
CREATE TABLE training_checkpoint (
    job_id     UUID        PRIMARY KEY REFERENCES training_job (id) ON DELETE CASCADE,
    attempt    INTEGER     NOT NULL,
    epoch      INTEGER     NOT NULL,      -- epochs completed
    state      BYTEA       NOT NULL,      -- TrainingCheckpoint.encode()
    data_fingerprint CHAR(64) NOT NULL,   -- the data it was trained on: resumed only on the same
    sha256     CHAR(64)    NOT NULL,
    saved_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
