-- Answers to POST requests sent with an Idempotency-Key, per caller; status 0 = in progress.
CREATE TABLE idempotency (
    caller     TEXT NOT NULL,
    key        TEXT NOT NULL,
    request    TEXT NOT NULL,
    status     INTEGER NOT NULL,
    body       BYTEA,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (caller, key)
);
