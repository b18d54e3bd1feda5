-- Candidates whose personal data was erased (see gramota.shared.personal_data): a write of their data that comes
-- later (a late event, a start) stores the blanked form.
CREATE TABLE erased_candidates (
    candidate_id text        PRIMARY KEY,
    erased_at    timestamptz NOT NULL
);
