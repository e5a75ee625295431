-- The set of printed forms that applied when the dossier was received (part of its rule set).
ALTER TABLE dossier ADD COLUMN form_set TEXT NOT NULL DEFAULT 'tt03_2025';
