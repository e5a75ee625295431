-- The monthly public reports of the Decision 766 index: the figures as published (JSON), once per
-- period and publishing office; the publishing job may run in several server processes, the
-- unique key keeps one.

CREATE TABLE published_report (
    id           UUID PRIMARY KEY,
    agency_code  TEXT NOT NULL,
    period       TEXT NOT NULL,
    published_at TIMESTAMPTZ NOT NULL,
    body         JSONB NOT NULL,
    UNIQUE (agency_code, period)
);
