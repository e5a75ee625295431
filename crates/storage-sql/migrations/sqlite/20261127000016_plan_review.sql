-- The review (rà soát) of each costed procedure of a plan (issue 5 item 4): kept as it is, a
-- simplification proposed, or the proposal approved by a decision (number and date). Sheets
-- entered before this migration are "proposed" when they have an "after" sheet.

ALTER TABLE plan_costing ADD COLUMN review_status TEXT NOT NULL DEFAULT 'reviewed';
ALTER TABLE plan_costing ADD COLUMN decision_number TEXT;
ALTER TABLE plan_costing ADD COLUMN decided_on TEXT;
UPDATE plan_costing SET review_status = 'proposed' WHERE after_sheet IS NOT NULL;
