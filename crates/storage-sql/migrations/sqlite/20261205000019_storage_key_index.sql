-- Issue 12: the sweep of orphan objects asks which listed keys rows refer to.
CREATE INDEX dossier_document_storage_key ON dossier_document (storage_key);
CREATE INDEX plan_report_file_storage_key ON plan_report_file (storage_key);
CREATE INDEX procedure_assessment_storage_key ON procedure_assessment (storage_key);
