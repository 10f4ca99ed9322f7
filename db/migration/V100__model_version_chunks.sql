-- A model version's parameters as chunks of at most 4 MiB (ModelParameterChunks.CHUNK_BYTES), written
-- and read one at a time: a single bytea of a large model (128 MB at 1M interactions) needs several
-- copies of it on the Java heap in the driver. Chunks go with their version (retention deletes rows).
CREATE TABLE model_version_chunk (
    version BIGINT  NOT NULL REFERENCES model_version (version) ON DELETE CASCADE,
    seq     INTEGER NOT NULL CHECK (seq >= 0),   -- 0, 1, ... in the order of the NDList encoding
    bytes   BYTEA   NOT NULL,
    PRIMARY KEY (version, seq)
);
-- float parameters do not compress: store them out of line without trying
ALTER TABLE model_version_chunk ALTER COLUMN bytes SET STORAGE EXTERNAL;

ALTER TABLE model_version ADD COLUMN parameters_size BIGINT;  -- total bytes of the chunks

-- existing versions: their parameters split into chunks, then the column dropped (one transaction)
INSERT INTO model_version_chunk (version, seq, bytes)
SELECT v.version, s.seq, substring(v.parameters FROM s.seq * 4194304 + 1 FOR 4194304)
FROM model_version v
CROSS JOIN LATERAL generate_series(0, (length(v.parameters) + 4194303) / 4194304 - 1) AS s (seq);

UPDATE model_version SET parameters_size = length(parameters);
ALTER TABLE model_version ALTER COLUMN parameters_size SET NOT NULL;
ALTER TABLE model_version DROP COLUMN parameters;
