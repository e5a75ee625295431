-- Whether the applicant's identity was confirmed by the national population database at intake
-- (issue 16, item 3; the portal's MaCSDL).
ALTER TABLE dossier ADD COLUMN population_data BOOLEAN NOT NULL DEFAULT FALSE;
