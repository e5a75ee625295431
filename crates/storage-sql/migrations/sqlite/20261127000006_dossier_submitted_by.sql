-- The account that filed a dossier online (a citizen's own dossiers); NULL for dossiers the desk
-- registered. Citizens read and act only on the dossiers their account filed.
ALTER TABLE dossier ADD COLUMN submitted_by BLOB;
CREATE INDEX dossier_submitted_by ON dossier (submitted_by, received_at);
