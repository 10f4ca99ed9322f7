-- Job checkpoints as chunks of at most 4 MiB (ChunkTable.CHUNK_BYTES), as model versions' parameters
-- since V100: a checkpoint holds the model's state, the best epoch's state and Adam's two moments
-- (about four times the model's parameters), which one bytea cannot carry in a bounded Java heap.
-- A checkpoint is replaced in one transaction (its row, its old chunks deleted, the new ones written):
-- one half written is rolled back and the last complete one stays. Chunks go with their row.
CREATE TABLE training_checkpoint_chunk (
    job_id UUID    NOT NULL REFERENCES training_checkpoint (job_id) ON DELETE CASCADE,
    seq    INTEGER NOT NULL CHECK (seq >= 0),   -- 0, 1, ... in the order of TrainingCheckpoint.writeTo
    bytes  BYTEA   NOT NULL,
    PRIMARY KEY (job_id, seq)
);

CREATE TABLE search_checkpoint_chunk (
    job_id UUID    NOT NULL,
    point  INTEGER NOT NULL,
    seq    INTEGER NOT NULL CHECK (seq >= 0),
    bytes  BYTEA   NOT NULL,
    PRIMARY KEY (job_id, point, seq),
    FOREIGN KEY (job_id, point) REFERENCES search_checkpoint (job_id, point) ON DELETE CASCADE
);

-- float parameters do not compress: store them out of line without trying
ALTER TABLE training_checkpoint_chunk ALTER COLUMN bytes SET STORAGE EXTERNAL;
ALTER TABLE search_checkpoint_chunk ALTER COLUMN bytes SET STORAGE EXTERNAL;

ALTER TABLE training_checkpoint ADD COLUMN state_size BIGINT;  -- total bytes of the chunks
ALTER TABLE search_checkpoint ADD COLUMN state_size BIGINT;

-- existing checkpoints: their state split into chunks, then the column dropped (one transaction)
INSERT INTO training_checkpoint_chunk (job_id, seq, bytes)
SELECT c.job_id, s.seq, substring(c.state FROM s.seq * 4194304 + 1 FOR 4194304)
FROM training_checkpoint c
CROSS JOIN LATERAL generate_series(0, (length(c.state) + 4194303) / 4194304 - 1) AS s (seq);

INSERT INTO search_checkpoint_chunk (job_id, point, seq, bytes)
SELECT c.job_id, c.point, s.seq, substring(c.state FROM s.seq * 4194304 + 1 FOR 4194304)
FROM search_checkpoint c
CROSS JOIN LATERAL generate_series(0, (length(c.state) + 4194303) / 4194304 - 1) AS s (seq);

UPDATE training_checkpoint SET state_size = length(state);
UPDATE search_checkpoint SET state_size = length(state);
ALTER TABLE training_checkpoint ALTER COLUMN state_size SET NOT NULL;
ALTER TABLE search_checkpoint ALTER COLUMN state_size SET NOT NULL;
ALTER TABLE training_checkpoint DROP COLUMN state;
ALTER TABLE search_checkpoint DROP COLUMN state;
