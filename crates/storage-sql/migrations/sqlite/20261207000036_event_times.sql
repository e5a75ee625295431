-- The tracking book shows when each dossier of a page was first transferred, resolved and
-- returned: with the command in the events' index, those times come from the index alone (no
-- event row read per dossier). Replaces the index on (dossier_id, at), whose order it keeps
-- for a dossier's timeline.
DROP INDEX dossier_event_dossier;
CREATE INDEX dossier_event_dossier ON dossier_event (dossier_id, at, command);
