-- Compliance-cost sheets of the procedures in a plan (issue 5 item 5): before and after
-- simplification, as JSON documents of the domain's CostSheet.

CREATE TABLE plan_costing (
    id             UUID PRIMARY KEY,
    plan_id        UUID NOT NULL REFERENCES plan (id),
    agency_code    TEXT NOT NULL,
    procedure_code TEXT NOT NULL,
    name           TEXT NOT NULL,
    before_sheet   JSONB NOT NULL,
    after_sheet    JSONB,
    note           TEXT NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    updated_by     TEXT NOT NULL,
    UNIQUE (plan_id, procedure_code)
);
