-- Dossiers, their event log (the processing control sheet) and the per-agency daily sequence of
-- dossier codes. Every row carries the agency that owns it (the distribution column on a
-- distributed PostgreSQL).

CREATE TABLE dossier (
    id               UUID PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE,
    agency_code      TEXT NOT NULL,
    competent_agency TEXT NOT NULL,
    procedure_code   TEXT NOT NULL,
    procedure_number INTEGER NOT NULL,
    channel          TEXT NOT NULL,
    applicant        JSONB NOT NULL,
    phone_last4      TEXT,
    state            TEXT NOT NULL,
    workflow         JSONB NOT NULL,
    received_at      TIMESTAMPTZ NOT NULL,
    due_original     TIMESTAMPTZ,
    due_current      TIMESTAMPTZ,
    ended_at         TIMESTAMPTZ,
    calendar_stamp   TEXT NOT NULL,
    revision         BIGINT NOT NULL
);
CREATE INDEX dossier_queue ON dossier (competent_agency, state, due_current);
CREATE INDEX dossier_desk ON dossier (agency_code, received_at);

CREATE TABLE dossier_event (
    id          UUID PRIMARY KEY,
    dossier_id  UUID NOT NULL REFERENCES dossier (id),
    agency_code TEXT NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    actor       TEXT NOT NULL,
    command     TEXT NOT NULL,
    from_state  TEXT,
    to_state    TEXT NOT NULL,
    detail      JSONB NOT NULL
);
CREATE INDEX dossier_event_dossier ON dossier_event (dossier_id, at);

CREATE TABLE dossier_sequence (
    agency_code TEXT NOT NULL,
    day         DATE NOT NULL,
    last        INTEGER NOT NULL,
    PRIMARY KEY (agency_code, day)
);
