-- The applicants' evaluations of dossiers (Circular 01/2018 model, docs/RULES.md §D6): one per
-- dossier, with its satisfaction level, the nine indicators (JSON array of marks 0..2), a like
-- or dislike and a comment. The dossier keeps what the index counts of it: its satisfaction,
-- whether it was disliked, whether a petition was filed about it (metric 5.4); index_month sums
-- them.

ALTER TABLE dossier ADD COLUMN satisfaction TEXT;
ALTER TABLE dossier ADD COLUMN disliked BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE dossier ADD COLUMN petitioned BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE index_month ADD COLUMN rated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE index_month ADD COLUMN satisfied INTEGER NOT NULL DEFAULT 0;
ALTER TABLE index_month ADD COLUMN complained INTEGER NOT NULL DEFAULT 0;

CREATE TABLE dossier_rating (
    id           BLOB PRIMARY KEY,
    dossier_id   BLOB NOT NULL REFERENCES dossier (id),
    agency_code  TEXT NOT NULL,
    channel      TEXT NOT NULL,
    satisfaction TEXT NOT NULL,
    indicators   TEXT NOT NULL,
    liked        BOOLEAN,
    comment      TEXT,
    at           TEXT NOT NULL,
    UNIQUE (agency_code, dossier_id)
);
