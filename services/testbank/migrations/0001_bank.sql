-- Items and their immutable versions; exams pin the versions they use.
CREATE TABLE items (
    id              uuid PRIMARY KEY,
    current_version int         NOT NULL,
    competence      text        NOT NULL DEFAULT '',
    external_id     text        NOT NULL DEFAULT '',
    retired         boolean     NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE item_versions (
    item_id     uuid        NOT NULL REFERENCES items (id),
    version     int         NOT NULL,
    type        text        NOT NULL CHECK (type IN ('single_choice', 'multiple_choice')),
    text        text        NOT NULL,
    options     jsonb       NOT NULL,  -- [{id, text, weight, feedback}]
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (item_id, version)
);

CREATE TABLE exams (
    id                 uuid PRIMARY KEY,
    title              text        NOT NULL,
    time_limit_seconds int         NOT NULL CHECK (time_limit_seconds > 0),
    pass_score         numeric(5,2) NOT NULL CHECK (pass_score BETWEEN 0 AND 100),
    status             text        NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'retired')),
    form_version       int         NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL DEFAULT now(),
    published_at       timestamptz
);

CREATE TABLE exam_items (
    exam_id      uuid NOT NULL REFERENCES exams (id),
    position     int  NOT NULL,
    item_id      uuid NOT NULL,
    item_version int  NOT NULL,
    PRIMARY KEY (exam_id, position),
    UNIQUE (exam_id, item_id),
    FOREIGN KEY (item_id, item_version) REFERENCES item_versions (item_id, version)
);
