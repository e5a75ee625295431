-- Electronic certified copies (issue 17, item 5): the certifying body's register, one row per
-- copy issued, written with the copy's file, its signature and its place in the holder's vault.
CREATE TABLE certified_copy (
    id           BLOB PRIMARY KEY,
    agency_code  TEXT NOT NULL,
    dossier_code TEXT NOT NULL,
    original     TEXT NOT NULL,
    pages        BIGINT NOT NULL,
    fee_vnd      BIGINT NOT NULL,
    valid_until  TEXT,
    result_id    BLOB NOT NULL,
    issued_at    TEXT NOT NULL,
    issued_by    TEXT NOT NULL
);
CREATE INDEX certified_copy_dossier ON certified_copy (dossier_code, issued_at);
