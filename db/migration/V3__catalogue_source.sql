-- Where the catalogue came from (one row): an MMRec folder import, or the synthetic demo
-- catalogue of a zero-configuration start, which is labelled as synthetic everywhere it shows.
CREATE TABLE catalogue_source (
    id          SMALLINT     PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    name        VARCHAR(128) NOT NULL,
    synthetic   BOOLEAN      NOT NULL,
    origin      TEXT         NOT NULL,  -- the imported folder, or how the synthetic data was generated
    imported_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);
