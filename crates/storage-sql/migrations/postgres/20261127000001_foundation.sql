-- Foundation: administrative map, procedure catalog, accounts, sessions, audit log.
-- Distributed-safe subset (docs/ARCHITECTURE.md): UUID keys, no sequences, no LISTEN/NOTIFY,
-- no advisory locks. Map and catalog tables are small reference tables (replicated on a
-- distributed PostgreSQL); rows of agency-owned data carry agency_code.

CREATE TABLE admin_unit (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL,
    parent_code TEXT,
    valid_from  DATE NOT NULL,
    valid_to    DATE
);
CREATE INDEX admin_unit_parent ON admin_unit (parent_code);

CREATE TABLE unit_successor (
    from_code TEXT NOT NULL REFERENCES admin_unit (code),
    to_code   TEXT NOT NULL REFERENCES admin_unit (code),
    share     TEXT,
    PRIMARY KEY (from_code, to_code)
);

CREATE TABLE agency (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    parent_code TEXT,
    unit_code   TEXT NOT NULL REFERENCES admin_unit (code),
    valid_from  DATE NOT NULL,
    valid_to    DATE
);
CREATE INDEX agency_unit ON agency (unit_code);

CREATE TABLE procedure (
    id         UUID PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    revision   BIGINT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE procedure_version (
    id                    UUID PRIMARY KEY,
    procedure_id          UUID NOT NULL REFERENCES procedure (id),
    code                  TEXT NOT NULL,
    number                INTEGER NOT NULL,
    status                TEXT NOT NULL,
    decision_no           TEXT,
    decision_date         DATE,
    effective_from        DATE,
    effective_to          DATE,
    name                  TEXT NOT NULL,
    field                 TEXT,
    levels                TEXT NOT NULL,
    online_level          TEXT NOT NULL,
    full_process_eligible BOOLEAN NOT NULL,
    search_text           TEXT NOT NULL,
    time_limit            JSONB,
    UNIQUE (procedure_id, number)
);
CREATE INDEX procedure_version_code ON procedure_version (code);
CREATE INDEX procedure_version_in_force ON procedure_version (status, effective_from, effective_to);

-- The full content lives apart so that searches scan narrow rows.
CREATE TABLE procedure_version_content (
    version_id UUID PRIMARY KEY REFERENCES procedure_version (id) ON DELETE CASCADE,
    content    JSONB NOT NULL
);

CREATE TABLE procedure_version_agency (
    version_id  UUID NOT NULL REFERENCES procedure_version (id) ON DELETE CASCADE,
    agency_code TEXT NOT NULL,
    PRIMARY KEY (version_id, agency_code)
);
CREATE INDEX procedure_version_agency_code ON procedure_version_agency (agency_code);

CREATE TABLE app_user (
    id            UUID PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    full_name     TEXT NOT NULL,
    role          TEXT NOT NULL,
    agency_code   TEXT,
    password_hash TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE session (
    token_hash TEXT PRIMARY KEY,
    user_id    UUID NOT NULL REFERENCES app_user (id),
    kind       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX session_by_user ON session (user_id);

CREATE TABLE audit_log (
    id          UUID PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL,
    actor_id    UUID,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    ip          TEXT,
    agency_code TEXT,
    detail      JSONB NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
