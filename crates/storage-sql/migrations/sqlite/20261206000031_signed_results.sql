-- Signed electronic results (issue 17, item 4). Each agency has Ed25519 keys: the public half in
-- clear, the private seed sealed by the master key (XChaCha20-Poly1305; the master key is in the
-- server's configuration, never in the database). One key in use per agency; retired keys stay
-- to verify what they signed. A result is a document of its dossier plus its signature; every
-- verification is recorded with the agency that issued the result.

CREATE TABLE signing_key (
    id          BLOB PRIMARY KEY,
    agency_code TEXT NOT NULL,
    public_key  BLOB NOT NULL,
    sealed      BLOB NOT NULL,
    created_at  TEXT NOT NULL,
    retired_at  TEXT
);
CREATE UNIQUE INDEX signing_key_in_use ON signing_key (agency_code) WHERE retired_at IS NULL;

CREATE TABLE signed_result (
    id           BLOB PRIMARY KEY,
    agency_code  TEXT NOT NULL,
    dossier_code TEXT NOT NULL,
    document_id  BLOB NOT NULL,
    key_id       BLOB NOT NULL,
    title        TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    signature    BLOB NOT NULL,
    signed_at    TEXT NOT NULL,
    signed_by    TEXT NOT NULL
);
CREATE INDEX signed_result_dossier ON signed_result (dossier_code, signed_at);

CREATE TABLE result_verification (
    id          BLOB PRIMARY KEY,
    agency_code TEXT NOT NULL,
    result_id   BLOB NOT NULL,
    at          TEXT NOT NULL,
    verdict     TEXT NOT NULL,
    channel     TEXT NOT NULL,
    with_copy   INTEGER NOT NULL
);
CREATE INDEX result_verification_result ON result_verification (result_id, at);
