-- The transactional outbox (see the PostgreSQL migration of the same name).

CREATE TABLE outbox (
    id            BLOB PRIMARY KEY,
    agency_code   TEXT NOT NULL,
    dossier_code  TEXT,
    channel       TEXT NOT NULL,
    recipient     TEXT NOT NULL,
    subject       TEXT NOT NULL,
    body          TEXT NOT NULL,
    state         TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    available_at  TEXT NOT NULL,
    attempts      INTEGER NOT NULL,
    claimed_by    BLOB,
    claimed_until TEXT,
    sent_at       TEXT,
    last_error    TEXT
);
CREATE INDEX outbox_due ON outbox (channel, available_at) WHERE state = 'pending';
CREATE INDEX outbox_dossier ON outbox (dossier_code, created_at);
