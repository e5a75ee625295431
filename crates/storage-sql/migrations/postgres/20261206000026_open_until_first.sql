-- The running dossiers due earlier today are read by the instant their clock turns late: lead
-- the partial index with it, so that the planner ranges over today's instants rather than
-- over every dossier of the months asked.
DROP INDEX dossier_open_until;
CREATE INDEX dossier_open_until ON dossier (open_until, index_month) WHERE open_until IS NOT NULL;
