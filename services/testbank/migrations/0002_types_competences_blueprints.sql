-- Every item type; competence, difficulty and tags on each immutable version; the competency framework;
-- blueprint rules and settings on exams, and the rule each pinned item was drawn into.
ALTER TABLE item_versions DROP CONSTRAINT item_versions_type_check;
ALTER TABLE item_versions ADD CONSTRAINT item_versions_type_check CHECK (type IN (
    'single_choice', 'multiple_choice', 'true_false', 'ordering', 'matching', 'short_answer', 'numeric'));
ALTER TABLE item_versions
    ADD COLUMN competence  text   NOT NULL DEFAULT '',
    ADD COLUMN difficulty  int    NOT NULL DEFAULT 3 CHECK (difficulty BETWEEN 1 AND 5),
    ADD COLUMN tags        text[] NOT NULL DEFAULT '{}',
    ADD COLUMN external_id text   NOT NULL DEFAULT '',
    ADD COLUMN body        jsonb  NOT NULL DEFAULT '{}';  -- targets, accepted texts, numeric answers, points
UPDATE item_versions v SET competence = i.competence, external_id = i.external_id FROM items i WHERE i.id = v.item_id;
ALTER TABLE items ADD COLUMN difficulty int NOT NULL DEFAULT 3, ADD COLUMN tags text[] NOT NULL DEFAULT '{}',
    ADD COLUMN search text NOT NULL DEFAULT '';
CREATE INDEX items_competence ON items (competence) WHERE NOT retired;
CREATE INDEX items_tags ON items USING gin (tags);

CREATE TABLE competence_areas (
    code     text PRIMARY KEY,
    name_ru  text NOT NULL,
    name_en  text NOT NULL,
    position int  NOT NULL
);

CREATE TABLE competences (
    code     text PRIMARY KEY,
    area     text NOT NULL REFERENCES competence_areas (code),
    name_ru  text NOT NULL,
    name_en  text NOT NULL,
    position int  NOT NULL
);

-- EU DigComp 2.2 (5 areas, 21 competences) and the programme's practice topics for officials.
INSERT INTO competence_areas (code, name_ru, name_en, position) VALUES
    ('digcomp/1', 'Информационная грамотность и работа с данными', 'Information and data literacy', 1),
    ('digcomp/2', 'Коммуникация и сотрудничество', 'Communication and collaboration', 2),
    ('digcomp/3', 'Создание цифрового контента', 'Digital content creation', 3),
    ('digcomp/4', 'Безопасность', 'Safety', 4),
    ('digcomp/5', 'Решение проблем', 'Problem solving', 5),
    ('practice', 'Практика служащего', 'Practice of public officials', 6);

INSERT INTO competences (code, area, name_ru, name_en, position) VALUES
    ('digcomp/1.1', 'digcomp/1', 'Просмотр, поиск и фильтрация данных, информации и цифрового контента', 'Browsing, searching and filtering data, information and digital content', 1),
    ('digcomp/1.2', 'digcomp/1', 'Оценка данных, информации и цифрового контента', 'Evaluating data, information and digital content', 2),
    ('digcomp/1.3', 'digcomp/1', 'Управление данными, информацией и цифровым контентом', 'Managing data, information and digital content', 3),
    ('digcomp/2.1', 'digcomp/2', 'Взаимодействие с помощью цифровых технологий', 'Interacting through digital technologies', 4),
    ('digcomp/2.2', 'digcomp/2', 'Обмен информацией с помощью цифровых технологий', 'Sharing through digital technologies', 5),
    ('digcomp/2.3', 'digcomp/2', 'Гражданское участие с помощью цифровых технологий', 'Engaging in citizenship through digital technologies', 6),
    ('digcomp/2.4', 'digcomp/2', 'Сотрудничество с помощью цифровых технологий', 'Collaborating through digital technologies', 7),
    ('digcomp/2.5', 'digcomp/2', 'Сетевой этикет', 'Netiquette', 8),
    ('digcomp/2.6', 'digcomp/2', 'Управление цифровой идентичностью', 'Managing digital identity', 9),
    ('digcomp/3.1', 'digcomp/3', 'Разработка цифрового контента', 'Developing digital content', 10),
    ('digcomp/3.2', 'digcomp/3', 'Интеграция и переработка цифрового контента', 'Integrating and re-elaborating digital content', 11),
    ('digcomp/3.3', 'digcomp/3', 'Авторское право и лицензии', 'Copyright and licences', 12),
    ('digcomp/3.4', 'digcomp/3', 'Программирование', 'Programming', 13),
    ('digcomp/4.1', 'digcomp/4', 'Защита устройств', 'Protecting devices', 14),
    ('digcomp/4.2', 'digcomp/4', 'Защита персональных данных и приватности', 'Protecting personal data and privacy', 15),
    ('digcomp/4.3', 'digcomp/4', 'Защита здоровья и благополучия', 'Protecting health and well-being', 16),
    ('digcomp/4.4', 'digcomp/4', 'Защита окружающей среды', 'Protecting the environment', 17),
    ('digcomp/5.1', 'digcomp/5', 'Решение технических проблем', 'Solving technical problems', 18),
    ('digcomp/5.2', 'digcomp/5', 'Определение потребностей и технологических решений', 'Identifying needs and technological responses', 19),
    ('digcomp/5.3', 'digcomp/5', 'Творческое использование цифровых технологий', 'Creatively using digital technologies', 20),
    ('digcomp/5.4', 'digcomp/5', 'Выявление пробелов в цифровых компетенциях', 'Identifying digital competence gaps', 21),
    ('practice/official-page', 'practice', 'Ведение официальной страницы органа власти', 'Running an official page of a public body', 22),
    ('practice/citizen-appeals', 'practice', 'Ответы на обращения граждан в интернете', 'Answering citizens'' appeals online', 23),
    ('practice/negative-comments', 'practice', 'Работа с негативными комментариями', 'Handling negative comments', 24),
    ('practice/emergency-communication', 'practice', 'Коммуникация в чрезвычайной ситуации', 'Emergency communication', 25),
    ('practice/digital-hygiene', 'practice', 'Цифровая гигиена и приватность', 'Digital hygiene and privacy', 26);

ALTER TABLE exams ADD COLUMN rules jsonb NOT NULL DEFAULT '[]', ADD COLUMN settings jsonb NOT NULL DEFAULT '{}';
ALTER TABLE exam_items ADD COLUMN rule_index int NOT NULL DEFAULT 0;
