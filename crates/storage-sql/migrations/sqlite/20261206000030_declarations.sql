-- The declaration form (tờ khai) of a dossier as filed, checked against the procedure version it
-- was received under (issue 17, item 1), and the citizens' drafts of it: one per account and
-- procedure, as typed (unchecked), until filed or discarded. A draft belongs to its owner, not
-- to an agency: the owner's id is its distribution column.
ALTER TABLE dossier ADD COLUMN declaration TEXT;

CREATE TABLE eform_draft (
    owner_id       BLOB NOT NULL,
    procedure_code TEXT NOT NULL,
    answers        TEXT NOT NULL,
    saved_at       TEXT NOT NULL,
    PRIMARY KEY (owner_id, procedure_code)
);
