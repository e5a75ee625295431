-- Online payments of dossiers' fees (issue 16): one row per order sent to the gateway (the id is
-- the order number), paid once; the daily reconciliations with the gateway's report.

CREATE TABLE payment (
    id           BLOB PRIMARY KEY,
    agency_code  TEXT NOT NULL,
    dossier_id   BLOB NOT NULL REFERENCES dossier (id),
    dossier_code TEXT NOT NULL,
    amount_vnd   INTEGER NOT NULL,
    lines        TEXT NOT NULL,
    state        TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    gateway_txn  TEXT,
    paid_at      TEXT,
    receipt_no   TEXT,
    note         TEXT
);
CREATE INDEX payment_dossier ON payment (dossier_code, created_at);
CREATE INDEX payment_created ON payment (created_at);

CREATE TABLE payment_reconciliation (
    id            BLOB PRIMARY KEY,
    agency_code   TEXT NOT NULL,
    day           TEXT NOT NULL,
    ran_at        TEXT NOT NULL,
    gateway_count INTEGER NOT NULL,
    ledger_count  INTEGER NOT NULL,
    differences   TEXT NOT NULL,
    UNIQUE (agency_code, day)
);
