-- What the provincial office records about each inspection of the plan's appendix (dates, team,
-- findings, conclusion, follow-up actions), as a JSON document of the domain's InspectionRecord.

ALTER TABLE plan_inspection ADD COLUMN record JSONB;
ALTER TABLE plan_inspection ADD COLUMN record_updated_at TIMESTAMPTZ;
ALTER TABLE plan_inspection ADD COLUMN record_updated_by TEXT;
