-- The bank's mapping from GIFT (Moodle) category paths, below $course$/top, to competences: given at an import,
-- remembered for the next ones. Items whose category maps to nothing keep competence '' until assigned.
CREATE TABLE gift_category_map (
    category   text PRIMARY KEY,
    competence text NOT NULL REFERENCES competences (code),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX items_unassigned ON items (created_at) WHERE competence = '' AND NOT retired;
