-- Work queues list the open dossiers of an agency (or of a desk), soonest appointment first:
-- partial indexes in that order, so a queue page is an index range scan however many finished
-- dossiers the province keeps. The expression and the predicate are those of the queries.
CREATE INDEX dossier_open_by_handler ON dossier
    (competent_agency, (COALESCE(due_current, received_at)), code)
    WHERE state NOT IN ('returned', 'refused', 'stopped', 'withdrawn');
CREATE INDEX dossier_open_by_desk ON dossier
    (agency_code, (COALESCE(due_current, received_at)), code)
    WHERE state NOT IN ('returned', 'refused', 'stopped', 'withdrawn');
