-- Files of dossiers (digitised components, electronic results; the bytes are in the file store
-- under storage_key) and the per-dossier facts of the Decision 766 index that are not times.

ALTER TABLE dossier ADD COLUMN component_files INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier ADD COLUMN reused_data BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE dossier ADD COLUMN e_result BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE dossier ADD COLUMN paid_online BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE dossier ADD COLUMN synced_at TEXT;
ALTER TABLE dossier ADD COLUMN vneid BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE dossier_document (
    id           BLOB PRIMARY KEY,
    dossier_id   BLOB NOT NULL REFERENCES dossier (id),
    agency_code  TEXT NOT NULL,
    kind         TEXT NOT NULL,
    name         TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    storage_key  TEXT NOT NULL,
    source       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL
);
CREATE INDEX dossier_document_dossier ON dossier_document (dossier_id, created_at);
