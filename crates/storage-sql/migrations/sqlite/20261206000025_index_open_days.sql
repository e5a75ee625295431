-- Running dossiers of the live index by the day (Vietnam, yyyymmdd) their clock turns late, per
-- month of receipt, competent agency and procedure: "late at the time of asking" is the sum of
-- the days before today, plus the dossiers due earlier today read from their rows (few), instead
-- of reading every running dossier (issue 15's benchmark). Moved with index_month; a rebuild
-- recomputes it.

CREATE TABLE index_open_day (
    id               BLOB PRIMARY KEY,
    competent_agency TEXT NOT NULL,
    month            INTEGER NOT NULL,
    procedure_code   TEXT NOT NULL,
    day              INTEGER NOT NULL,
    n                INTEGER NOT NULL DEFAULT 0,
    UNIQUE (competent_agency, month, procedure_code, day)
);
CREATE INDEX index_open_day_period ON index_open_day (month, day);

-- Running dossiers stored before this table count again from a rebuild at the next start.
UPDATE dossier SET index_month = 0 WHERE open_until IS NOT NULL;
