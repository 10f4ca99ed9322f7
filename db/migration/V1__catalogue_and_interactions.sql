-- The catalogue and the interaction log: PostgreSQL is the single source of truth.
-- Ids from clients are strings (external ids); the surrogate keys are internal.

-- The modalities of the catalogue (e.g. image 128-d, audio 128-d), in slot order.
CREATE TABLE modality (
    name        VARCHAR(64) PRIMARY KEY,
    dim         INTEGER     NOT NULL CHECK (dim > 0),
    slot        INTEGER     NOT NULL UNIQUE
);

CREATE TABLE item (
    id          BIGSERIAL    PRIMARY KEY,
    external_id VARCHAR(128) NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- One feature vector per item and modality; real[] keeps rows readable with SQL.
CREATE TABLE item_feature (
    item_id     BIGINT      NOT NULL REFERENCES item (id) ON DELETE CASCADE,
    modality    VARCHAR(64) NOT NULL REFERENCES modality (name),
    vector      REAL[]      NOT NULL,
    PRIMARY KEY (item_id, modality)
);

CREATE TABLE app_user (
    id          BIGSERIAL    PRIMARY KEY,
    external_id VARCHAR(128) NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- split: 0 train, 1 validation, 2 test for imported MMRec splits (kept by retraining);
-- NULL for events that arrive through the API (the retrain job assigns their split).
CREATE TABLE interaction (
    id          BIGSERIAL    PRIMARY KEY,
    event_id    VARCHAR(128) NOT NULL UNIQUE,
    user_id     BIGINT       NOT NULL REFERENCES app_user (id),
    item_id     BIGINT       NOT NULL REFERENCES item (id),
    occurred_at TIMESTAMPTZ  NOT NULL,
    split       SMALLINT     CHECK (split IN (0, 1, 2)),
    received_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX interaction_user_idx ON interaction (user_id);
CREATE INDEX interaction_item_idx ON interaction (item_id);
