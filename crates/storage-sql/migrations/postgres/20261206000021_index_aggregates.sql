-- The Decision 766 index kept live (docs/RULES.md §D5, issue 15). Each dossier keeps what its
-- procedure version said at receipt (a paper result, a fee) and its current share of the index:
-- the month of receipt (yyyymm; 0 until computed), the facts it counts for (a bit set, bit n =
-- the n-th column of index_month below) and, while its clock runs, the instant after which it is
-- late. index_month holds the sums of the shares per month, receiving desk, competent agency and
-- procedure, moved by every write of a dossier in the same transaction; `motcua index rebuild`
-- recomputes both from the records.

ALTER TABLE dossier ADD COLUMN paper_result BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE dossier ADD COLUMN fee_bearing BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE dossier ADD COLUMN index_month INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier ADD COLUMN index_facts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier ADD COLUMN open_until TIMESTAMPTZ;
CREATE INDEX dossier_index_month ON dossier (index_month, competent_agency);
CREATE INDEX dossier_open_until ON dossier (index_month, open_until) WHERE open_until IS NOT NULL;

CREATE TABLE index_month (
    id               UUID PRIMARY KEY,
    month            INTEGER NOT NULL,
    agency_code      TEXT NOT NULL,
    competent_agency TEXT NOT NULL,
    procedure_code   TEXT NOT NULL,
    received         BIGINT NOT NULL DEFAULT 0,
    timed            BIGINT NOT NULL DEFAULT 0,
    on_time          BIGINT NOT NULL DEFAULT 0,
    late             BIGINT NOT NULL DEFAULT 0,
    running          BIGINT NOT NULL DEFAULT 0,
    online           BIGINT NOT NULL DEFAULT 0,
    online_counted   BIGINT NOT NULL DEFAULT 0,
    fee_bearing      BIGINT NOT NULL DEFAULT 0,
    paid_online      BIGINT NOT NULL DEFAULT 0,
    synced           BIGINT NOT NULL DEFAULT 0,
    fee_synced       BIGINT NOT NULL DEFAULT 0,
    paper_result     BIGINT NOT NULL DEFAULT 0,
    e_result         BIGINT NOT NULL DEFAULT 0,
    digitised        BIGINT NOT NULL DEFAULT 0,
    reused           BIGINT NOT NULL DEFAULT 0,
    result_synced    BIGINT NOT NULL DEFAULT 0,
    population_data  BIGINT NOT NULL DEFAULT 0,
    UNIQUE (agency_code, month, competent_agency, procedure_code)
);
CREATE INDEX index_month_period ON index_month (month, competent_agency);
