-- Feedback and petitions (phản ánh, kiến nghị; docs/RULES.md §D7): the columns the lists and the
-- index filter and sort on, and the petition itself (petitioner, title, content, deadlines,
-- answer, history) as JSON. Likes and dislikes of a published answer are counted once per voter.

CREATE TABLE petition (
    id              UUID PRIMARY KEY,
    agency_code     TEXT NOT NULL,
    assigned_agency TEXT,
    dossier_code    TEXT,
    state           TEXT NOT NULL,
    received_at     TIMESTAMPTZ NOT NULL,
    published_at    TIMESTAMPTZ,
    likes           INTEGER NOT NULL DEFAULT 0,
    dislikes        INTEGER NOT NULL DEFAULT 0,
    body            JSONB NOT NULL,
    revision        BIGINT NOT NULL
);
CREATE INDEX petition_received ON petition (received_at);
CREATE INDEX petition_published ON petition (state, published_at);

CREATE TABLE petition_vote (
    id          UUID PRIMARY KEY,
    petition_id UUID NOT NULL REFERENCES petition (id),
    agency_code TEXT NOT NULL,
    voter       TEXT NOT NULL,
    liked       BOOLEAN NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    UNIQUE (agency_code, petition_id, voter)
);
