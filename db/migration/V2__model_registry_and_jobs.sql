-- Model versions and retraining jobs.

CREATE TABLE training_job (
    id                 UUID             PRIMARY KEY,
    status             VARCHAR(16)      NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'REJECTED', 'FAILED', 'CANCELLED')),
    model_name         VARCHAR(32)      NOT NULL,
    request            JSONB            NOT NULL,  -- the POST /retrain body as resolved (params, force, ...)
    epoch              INTEGER          NOT NULL DEFAULT 0,
    max_epochs         INTEGER          NOT NULL,
    last_loss          DOUBLE PRECISION,
    valid_recall20     DOUBLE PRECISION,
    best_epoch         INTEGER,
    seconds_per_epoch  DOUBLE PRECISION,
    model_version      BIGINT,
    candidate_recall20 DOUBLE PRECISION,           -- quality gate: candidate's test Recall@20 on the job's holdout
    active_recall20    DOUBLE PRECISION,           -- quality gate: the then-active model's, same holdout
    error              TEXT,
    cancel_requested   BOOLEAN          NOT NULL DEFAULT FALSE,
    owner              VARCHAR(128),               -- replica that runs it
    created_at         TIMESTAMPTZ      NOT NULL DEFAULT now(),
    started_at         TIMESTAMPTZ,
    finished_at        TIMESTAMPTZ,
    heartbeat_at       TIMESTAMPTZ
);
CREATE INDEX training_job_status_idx ON training_job (status);

CREATE TABLE model_version (
    version        BIGSERIAL    PRIMARY KEY,
    model_name     VARCHAR(32)  NOT NULL,
    status         VARCHAR(16)  NOT NULL CHECK (status IN ('ACTIVE', 'INACTIVE', 'REJECTED')),
    manifest       BYTEA        NOT NULL,          -- ModelArtifact.manifestJson()
    parameters     BYTEA        NOT NULL,          -- ModelArtifact.parameters() (DJL NDList encoding)
    sha256         CHAR(64)     NOT NULL,
    metrics        JSONB        NOT NULL,          -- {"valid": {...}, "test": {...}}
    config         JSONB        NOT NULL,          -- hyper-parameters and settings
    job_id         UUID         REFERENCES training_job (id),
    source         VARCHAR(16)  NOT NULL,          -- RETRAIN or BOOTSTRAP
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    activated_at   TIMESTAMPTZ
);
-- at most one active version at any time
CREATE UNIQUE INDEX model_version_one_active ON model_version (status) WHERE status = 'ACTIVE';
