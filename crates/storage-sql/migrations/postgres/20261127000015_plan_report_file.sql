-- Documents agencies attach to their monthly reports on plan tasks (the bytes are in the file
-- store under storage_key).

CREATE TABLE plan_report_file (
    id           UUID PRIMARY KEY,
    plan_id      UUID NOT NULL REFERENCES plan (id),
    task_id      UUID NOT NULL REFERENCES plan_task (id),
    agency_code  TEXT NOT NULL,
    month        TEXT NOT NULL,
    name         TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    storage_key  TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    created_by   TEXT NOT NULL
);
CREATE INDEX plan_report_file_task ON plan_report_file (plan_id, task_id, agency_code);
