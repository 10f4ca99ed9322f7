-- A shop's catalogue and rules: item metadata (title, description, categories, stock, retirement),
-- event types, and the audit log of user erasures.

ALTER TABLE item
    ADD COLUMN title               TEXT,
    ADD COLUMN description         TEXT,
    ADD COLUMN categories          TEXT[]      NOT NULL DEFAULT '{}',
    ADD COLUMN available           BOOLEAN     NOT NULL DEFAULT TRUE,
    ADD COLUMN retired_at          TIMESTAMPTZ,             -- DELETE /items/{id}: never served again, interactions kept
    ADD COLUMN metadata_updated_at TIMESTAMPTZ NOT NULL DEFAULT now();
-- updated_at keeps meaning "features written" (serving reloads the feature cache when it moves);
-- metadata_updated_at moves with PATCH/DELETE (serving reloads only the cheap eligibility rules).

-- Modalities filled in by the service rather than given: computed from text, or imputed from neighbours.
ALTER TABLE item_feature
    ADD COLUMN origin VARCHAR(16) NOT NULL DEFAULT 'given' CHECK (origin IN ('given', 'computed', 'imputed'));

ALTER TABLE interaction
    ADD COLUMN event_type VARCHAR(16) NOT NULL DEFAULT 'purchase'
        CHECK (event_type IN ('view', 'cart', 'purchase', 'like', 'dislike'));

-- One row per erasure (DELETE /users/{id}). The erased id itself is not kept: subject_sha256 is the
-- SHA-256 of it, enough to prove that a given id was erased (and to keep older model versions
-- from serving it) without storing it.
CREATE TABLE user_erasure (
    id              BIGSERIAL   PRIMARY KEY,
    subject_sha256  CHAR(64)    NOT NULL,
    events_deleted  INTEGER     NOT NULL,
    requested_by    VARCHAR(128),
    erased_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX user_erasure_subject_idx ON user_erasure (subject_sha256);
