-- The day a published version was publicised on the national procedure database (Decision 766
-- metric 1.2, publicised within 5 working days of the publishing decision).

ALTER TABLE procedure_version ADD COLUMN publicised_on TEXT;
