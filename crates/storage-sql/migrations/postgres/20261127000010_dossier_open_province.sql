-- Work-queue indexes that cover their filters. The queues of migration 0007 walked the open
-- dossiers of an agency in appointment order, but every filter on another column (state,
-- procedure, appointment, channel) and every page count read the dossier row itself; with wide
-- rows (applicant and workflow JSON) that was most of the time. These carry the filter columns,
-- so filters and counts are read from the index and only the rows of the page are fetched; the
-- third serves the province-wide queue (the provincial office, no agency filter).
DROP INDEX dossier_open_by_handler;
DROP INDEX dossier_open_by_desk;
CREATE INDEX dossier_open_by_handler ON dossier
    (competent_agency, (COALESCE(due_current, received_at)), code, state, procedure_code, due_current, channel)
    WHERE state NOT IN ('returned', 'refused', 'stopped', 'withdrawn');
CREATE INDEX dossier_open_by_desk ON dossier
    (agency_code, (COALESCE(due_current, received_at)), code, state, procedure_code, due_current, channel)
    WHERE state NOT IN ('returned', 'refused', 'stopped', 'withdrawn');
CREATE INDEX dossier_open_by_due ON dossier
    ((COALESCE(due_current, received_at)), code, state, procedure_code, due_current, channel)
    WHERE state NOT IN ('returned', 'refused', 'stopped', 'withdrawn');
