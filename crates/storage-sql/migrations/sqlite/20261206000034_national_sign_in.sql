-- Sign-in through the national identity provider (issue 17, item 2). A session says how it was
-- opened; a dossier filed from a session opened by the identity provider counts for 766 metric
-- 4.5a. A sign-in under way is one row, keyed by the SHA-256 of its `state` (never the state
-- itself), holding the PKCE verifier and the nonce until the provider sends the person back;
-- the callback deletes it as it reads it, so a state or nonce works once.
ALTER TABLE session ADD COLUMN sign_in TEXT NOT NULL DEFAULT 'password';

CREATE TABLE oidc_login (
    state_hash TEXT PRIMARY KEY,
    verifier   TEXT NOT NULL,
    nonce      TEXT NOT NULL,
    return_to  TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX oidc_login_expiry ON oidc_login (expires_at);

-- 766 metric 4.5 counts dossiers whose applicant the population database confirmed as well as
-- those filed from a VNeID-authenticated account: their index shares are recomputed on start.
UPDATE dossier SET index_month = 0 WHERE population_data = TRUE;
