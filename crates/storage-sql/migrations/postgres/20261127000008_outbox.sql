-- The transactional outbox: notices to applicants written in the transaction of the change they
-- report, delivered by the jobs worker. A worker claims a row by writing its id and a lease
-- (claimed_until); a row whose lease ran out may be claimed again. No LISTEN/NOTIFY, no advisory
-- locks: workers poll.

CREATE TABLE outbox (
    id            UUID PRIMARY KEY,
    agency_code   TEXT NOT NULL,
    dossier_code  TEXT,
    channel       TEXT NOT NULL,
    recipient     TEXT NOT NULL,
    subject       TEXT NOT NULL,
    body          TEXT NOT NULL,
    state         TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    available_at  TIMESTAMPTZ NOT NULL,
    attempts      INTEGER NOT NULL,
    claimed_by    UUID,
    claimed_until TIMESTAMPTZ,
    sent_at       TIMESTAMPTZ,
    last_error    TEXT
);
CREATE INDEX outbox_due ON outbox (channel, available_at) WHERE state = 'pending';
CREATE INDEX outbox_dossier ON outbox (dossier_code, created_at);
