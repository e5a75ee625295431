-- What the provincial office records about each inspection of the plan's appendix (dates, team,
-- findings, conclusion, follow-up actions), as a JSON document of the domain's InspectionRecord.

ALTER TABLE plan_inspection ADD COLUMN record TEXT;
ALTER TABLE plan_inspection ADD COLUMN record_updated_at TEXT;
ALTER TABLE plan_inspection ADD COLUMN record_updated_by TEXT;
