-- Impact assessments of procedures in draft legal documents (issue 5 item 4): one per version of
-- a procedure, made by the drafting agency (agency_code), with the assessment form attached.

CREATE TABLE procedure_assessment (
    id               BLOB PRIMARY KEY,
    agency_code      TEXT NOT NULL,
    procedure_code   TEXT NOT NULL,
    version_number   INTEGER NOT NULL,
    assessed_on      TEXT NOT NULL,
    necessity        TEXT NOT NULL,
    reasonableness   TEXT NOT NULL,
    legality         TEXT NOT NULL,
    cost_year_vnd    BIGINT,
    conclusion       TEXT NOT NULL,
    opinion          TEXT NOT NULL,
    file_name        TEXT,
    content_type     TEXT,
    file_size        BIGINT,
    sha256           TEXT,
    storage_key      TEXT,
    updated_at       TEXT NOT NULL,
    updated_by       TEXT NOT NULL,
    UNIQUE (procedure_code, version_number)
);
