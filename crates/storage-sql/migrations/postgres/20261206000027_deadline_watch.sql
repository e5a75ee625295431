-- The deadline watch (issue 16). Staff accounts get an e-mail address for the watch's warnings.
-- Each dossier keeps the instant the watch should next look at it (`watch_at`: set to the instant
-- of every change while it runs, moved by the watch to its next alarm, cleared when it ends); the
-- alarms raised are kept once per dossier, kind and due instant; `job_lease` lets one of several
-- server processes run a scheduled job (a conditional upsert, no advisory lock).

ALTER TABLE app_user ADD COLUMN email TEXT;

ALTER TABLE dossier ADD COLUMN watch_at TIMESTAMPTZ;
UPDATE dossier SET watch_at = received_at WHERE ended_at IS NULL;
CREATE INDEX dossier_watch ON dossier (watch_at) WHERE watch_at IS NOT NULL;

CREATE TABLE dossier_alarm (
    id           UUID PRIMARY KEY,
    agency_code  TEXT NOT NULL,
    dossier_id   UUID NOT NULL REFERENCES dossier (id),
    dossier_code TEXT NOT NULL,
    holder       TEXT NOT NULL,
    competent    TEXT NOT NULL,
    handler      TEXT,
    kind         TEXT NOT NULL,
    step         TEXT,
    due_at       TIMESTAMPTZ NOT NULL,
    raised_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (agency_code, dossier_id, kind, due_at)
);
CREATE INDEX dossier_alarm_holder ON dossier_alarm (holder, raised_at);
CREATE INDEX dossier_alarm_competent ON dossier_alarm (competent, raised_at);

CREATE TABLE job_lease (
    agency_code TEXT NOT NULL,
    name        TEXT NOT NULL,
    holder      UUID NOT NULL,
    until       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (agency_code, name)
);
