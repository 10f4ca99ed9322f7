-- Provenance of each model version, copied from its manifest: how to train the same model again.
-- Versions stored before these columns existed have manifest format 1 and no provenance.
ALTER TABLE model_version
    ADD COLUMN format_version   INTEGER     NOT NULL DEFAULT 1,  -- ModelManifest.formatVersion
    ADD COLUMN seed             BIGINT,                          -- random seed of the training run
    ADD COLUMN code_version     VARCHAR(64),                     -- git commit of the build that trained it
    ADD COLUMN data_fingerprint JSONB,                           -- split sizes, SHA-256 of the training split and of all data
    ADD COLUMN settings         JSONB;                           -- resolved hyper-parameters and training settings
