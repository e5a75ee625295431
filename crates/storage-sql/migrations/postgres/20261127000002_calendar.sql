-- Holiday calendars announced per year (replacing the statutory default of that year) and office
-- hours per agency ('*' = the province default). Small reference tables.

CREATE TABLE calendar_year (
    year       INTEGER PRIMARY KEY,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE calendar_day (
    id     UUID PRIMARY KEY,
    year   INTEGER NOT NULL REFERENCES calendar_year (year) ON DELETE CASCADE,
    date   DATE NOT NULL UNIQUE,
    kind   TEXT NOT NULL,
    name   TEXT NOT NULL,
    source TEXT
);
CREATE INDEX calendar_day_year ON calendar_day (year);

CREATE TABLE working_time (
    agency_code TEXT PRIMARY KEY,
    settings    JSONB NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
