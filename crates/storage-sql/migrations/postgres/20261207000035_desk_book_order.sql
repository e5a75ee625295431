-- The tracking book reads a desk's dossiers of a period in the order received, then by code,
-- a page at a time: with the code in the index, the page's codes come from the index alone
-- (no row read for the rows skipped). Replaces the index on (agency_code, received_at).
DROP INDEX dossier_desk;
CREATE INDEX dossier_desk ON dossier (agency_code, received_at, code);
