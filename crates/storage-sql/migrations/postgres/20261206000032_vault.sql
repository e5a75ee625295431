-- The document vault (issue 17, item 3): each holder's documents (citizen:<id> or
-- organisation:<tax code>; the holder is the distribution column), the bytes shared with the
-- dossier file they came from. Accounts stand for a holder once their identity is checked (an
-- admin, or the identity provider): one account per holder. Accesses to a vault are audit rows
-- (entity 'vault', entity_id the holder), read by the holder.

CREATE TABLE vault_item (
    id           UUID PRIMARY KEY,
    holder       TEXT NOT NULL,
    agency_code  TEXT NOT NULL,
    kind         TEXT NOT NULL,
    doc_type     TEXT NOT NULL,
    name         TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    storage_key  TEXT NOT NULL,
    valid_until  DATE,
    dossier_code TEXT,
    added_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX vault_item_holder ON vault_item (holder, added_at);

CREATE TABLE identity_link (
    user_id   UUID PRIMARY KEY,
    holder    TEXT NOT NULL UNIQUE,
    source    TEXT NOT NULL,
    linked_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, at);
