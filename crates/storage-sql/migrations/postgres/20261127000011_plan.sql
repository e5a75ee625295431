-- The province's annual plan (issue 5): imported from the plan document, its sections, tasks
-- and the appendix of agencies to inspect; agencies' monthly progress reports on tasks.
-- Rows carry the owner agency (the provincial committee) or the reporting agency.

CREATE TABLE plan (
    id               UUID PRIMARY KEY,
    agency_code      TEXT NOT NULL,
    year             INTEGER NOT NULL,
    title            TEXT NOT NULL,
    decision         TEXT NOT NULL,
    issued           TEXT NOT NULL,
    effective        DATE NOT NULL,
    inspection_title TEXT NOT NULL,
    content_hash     TEXT NOT NULL,
    imported_at      TIMESTAMPTZ NOT NULL,
    revision         BIGINT NOT NULL,
    UNIQUE (agency_code, year, title)
);

CREATE TABLE plan_section (
    plan_id     UUID NOT NULL REFERENCES plan (id),
    agency_code TEXT NOT NULL,
    number      TEXT NOT NULL,
    title       TEXT NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (plan_id, number)
);

CREATE TABLE plan_task (
    id            UUID PRIMARY KEY,
    plan_id       UUID NOT NULL REFERENCES plan (id),
    agency_code   TEXT NOT NULL,
    key           TEXT NOT NULL,
    section       TEXT NOT NULL,
    number        TEXT NOT NULL,
    parent        TEXT,
    position      INTEGER NOT NULL,
    title         TEXT NOT NULL,
    lead          JSONB NOT NULL,
    cooperating   JSONB NOT NULL,
    product       TEXT NOT NULL,
    deadline_kind TEXT NOT NULL,
    due           DATE,
    period_from   DATE,
    period_to     DATE,
    deadline_text TEXT NOT NULL,
    targets       JSONB NOT NULL,
    UNIQUE (plan_id, key)
);

CREATE TABLE plan_inspection (
    id          UUID PRIMARY KEY,
    plan_id     UUID NOT NULL REFERENCES plan (id),
    agency_code TEXT NOT NULL,
    key         TEXT NOT NULL,
    grp         TEXT NOT NULL,
    group_title TEXT NOT NULL,
    number      TEXT NOT NULL,
    text        TEXT NOT NULL,
    agencies    JSONB NOT NULL,
    note        TEXT NOT NULL,
    position    INTEGER NOT NULL,
    UNIQUE (plan_id, key)
);

CREATE TABLE plan_report (
    id          UUID PRIMARY KEY,
    plan_id     UUID NOT NULL REFERENCES plan (id),
    task_id     UUID NOT NULL REFERENCES plan_task (id),
    agency_code TEXT NOT NULL,
    month       TEXT NOT NULL,
    status      TEXT NOT NULL,
    percent     INTEGER NOT NULL,
    note        TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  TEXT NOT NULL,
    UNIQUE (task_id, agency_code, month)
);
CREATE INDEX plan_report_plan ON plan_report (plan_id, month);
