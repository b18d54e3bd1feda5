-- Key corrections reach exams: a pin can move to a corrected version, an item can be voided (dropped from every
-- total) or withdrawn (never drawn again: it was retired), and each decision is kept with who and why.
ALTER TABLE exam_items
    ADD COLUMN voided    boolean NOT NULL DEFAULT false,
    ADD COLUMN withdrawn boolean NOT NULL DEFAULT false;

-- Earlier versions whose key still scores the answers given on them (a correction for future attempts only).
CREATE TABLE exam_item_holds (
    exam_id  uuid NOT NULL REFERENCES exams (id),
    item_id  uuid NOT NULL,
    version  int  NOT NULL,
    PRIMARY KEY (exam_id, item_id, version),
    FOREIGN KEY (item_id, version) REFERENCES item_versions (item_id, version)
);

CREATE TABLE key_corrections (
    id            bigserial   PRIMARY KEY,
    item_id       uuid        NOT NULL REFERENCES items (id),
    exam_id       uuid        NOT NULL REFERENCES exams (id),
    from_version  int         NOT NULL,
    to_version    int         NOT NULL,
    apply         text        NOT NULL CHECK (apply IN ('past', 'future', 'none')),
    void          boolean     NOT NULL DEFAULT false,
    reason        text        NOT NULL,
    actor         text        NOT NULL DEFAULT '',
    at            timestamptz NOT NULL DEFAULT now(),
    form_version  int         NOT NULL
);
CREATE INDEX key_corrections_item ON key_corrections (item_id, id);
CREATE INDEX key_corrections_exam ON key_corrections (exam_id, id);
CREATE INDEX exam_items_item ON exam_items (item_id);
