CREATE TABLE actions (
    id integer NOT NULL,
    assessment_id text NOT NULL,
    "position" integer NOT NULL,
    activity text NOT NULL,
    title text NOT NULL,
    owner text NOT NULL,
    due date,
    status text NOT NULL,
    note text NOT NULL,
    goal text DEFAULT ''::text NOT NULL,
    follow_up text DEFAULT ''::text NOT NULL,
    follow_up_date date
);
CREATE SEQUENCE actions_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE actions_id_seq OWNED BY actions.id;
CREATE TABLE answers (
    assessment_id text NOT NULL,
    participant_id text NOT NULL,
    question_id text NOT NULL,
    value text NOT NULL,
    comment text NOT NULL,
    seq integer NOT NULL,
    updated_at timestamp with time zone NOT NULL
);
CREATE TABLE area_settings (
    assessment_id text NOT NULL,
    area_id text NOT NULL,
    target double precision,
    importance integer
);
CREATE TABLE assessments (
    id text NOT NULL,
    bank_id text NOT NULL,
    bank_version text NOT NULL,
    org_name text NOT NULL,
    org_kind text NOT NULL,
    unit text NOT NULL,
    audience text,
    date date NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);
CREATE TABLE consensus (
    assessment_id text NOT NULL,
    question_id text NOT NULL,
    value text NOT NULL,
    note text NOT NULL,
    seq integer NOT NULL
);
CREATE TABLE efforts (
    assessment_id text NOT NULL,
    question_id text NOT NULL,
    effort text NOT NULL
);
CREATE TABLE imported_forms (
    assessment_id text NOT NULL,
    form_key text NOT NULL,
    participant_id text NOT NULL,
    created_at timestamp with time zone NOT NULL
);
CREATE TABLE join_attempts (
    id integer NOT NULL,
    client text NOT NULL,
    session text NOT NULL,
    at timestamp with time zone NOT NULL,
    lifted boolean NOT NULL
);
CREATE SEQUENCE join_attempts_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE join_attempts_id_seq OWNED BY join_attempts.id;
CREATE TABLE participants (
    assessment_id text NOT NULL,
    id text NOT NULL,
    name text NOT NULL,
    role text NOT NULL,
    "position" integer NOT NULL
);
CREATE TABLE schema_info (
    version integer NOT NULL
);
CREATE TABLE workshop_areas (
    workshop_id text NOT NULL,
    area_id text NOT NULL,
    "position" integer NOT NULL
);
CREATE TABLE workshop_participants (
    id text NOT NULL,
    workshop_id text NOT NULL,
    assessment_id text NOT NULL,
    participant_id text NOT NULL,
    token_hash text NOT NULL,
    created_at timestamp with time zone NOT NULL
);
CREATE TABLE workshops (
    id text NOT NULL,
    assessment_id text NOT NULL,
    secret_hash text NOT NULL,
    code_hash text NOT NULL,
    code_lookup text NOT NULL,
    anonymous boolean NOT NULL,
    state text NOT NULL,
    expires_after_s integer,
    created_at timestamp with time zone NOT NULL,
    closed_at timestamp with time zone
);
ALTER TABLE ONLY actions ALTER COLUMN id SET DEFAULT nextval('actions_id_seq'::regclass);
ALTER TABLE ONLY join_attempts ALTER COLUMN id SET DEFAULT nextval('join_attempts_id_seq'::regclass);
INSERT INTO actions VALUES (1, 'a1', 0, 'G1.1', 'Utbilda chefer', 'Anna', '2026-05-01', 'pågår', 'Start i maj', 'Alla chefer utbildade', 'Andel utbildade', '2026-12-01');
INSERT INTO answers VALUES ('a1', 'p1', 'G1.1', '3', 'Vi mäter årligen', 0, '2025-03-14 09:30:00+00');
INSERT INTO answers VALUES ('a1', 'p1', 'G1.2', 'na', 'Ej relevant', 1, '2025-03-14 09:30:00+00');
INSERT INTO answers VALUES ('a1', 'p2', 'G1.1', 'unknown', '', 2, '2025-03-14 09:30:00+00');
INSERT INTO answers VALUES ('a2', 'p1', 'G1.1', '10', '', 0, '2025-03-14 09:30:00+00');
INSERT INTO area_settings VALUES ('a1', 'G1', 3.5, 2);
INSERT INTO assessments VALUES ('a1', 'nationell-handlingsplan-2025', '2', 'Region Östergötland', 'region', 'Vårdcentral Åby', 'vardgivare', '2025-03-14', '2025-03-14 09:30:00+00', '2025-03-14 09:30:00+00');
INSERT INTO assessments VALUES ('a2', 'nationell-handlingsplan-2025', '2', 'Kommun B', 'kommun', '', NULL, '2025-04-01', '2025-03-14 09:30:00+00', '2025-03-14 09:30:00+00');
INSERT INTO consensus VALUES ('a1', 'G1.1', '3', 'Enade efter diskussion', 0);
INSERT INTO efforts VALUES ('a1', 'G1.1', 'hög');
INSERT INTO imported_forms VALUES ('a1', 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff', 'p1', '2025-03-14 09:30:00+00');
INSERT INTO join_attempts VALUES (1, '1111111111111111111111111111111111111111111111111111111111111111', '2222222222222222222222222222222222222222222222222222222222222222', '2025-03-14 09:30:00+00', false);
INSERT INTO participants VALUES ('a1', 'p1', 'Åsa Öberg', 'Chefläkare', 0);
INSERT INTO participants VALUES ('a1', 'p2', 'Erik', 'Sjuksköterska', 1);
INSERT INTO participants VALUES ('a2', 'p1', '', '', 0);
INSERT INTO schema_info VALUES (5);
INSERT INTO workshop_areas VALUES ('w1', 'G1', 0);
INSERT INTO workshop_participants VALUES ('t1', 'w1', 'a1', 'p2', '7777777777777777777777777777777777777777777777777777777777777777', '2025-03-14 09:30:00+00');
INSERT INTO workshops VALUES ('w1', 'a1', '5555555555555555555555555555555555555555555555555555555555555555', 'cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc', 'cccccccc', false, 'closed', 3600, '2025-03-14 09:30:00+00', '2025-03-14 09:30:00+00');
SELECT pg_catalog.setval('actions_id_seq', 1, true);
SELECT pg_catalog.setval('join_attempts_id_seq', 1, true);
ALTER TABLE ONLY actions
    ADD CONSTRAINT actions_pkey PRIMARY KEY (id);
ALTER TABLE ONLY answers
    ADD CONSTRAINT answers_pkey PRIMARY KEY (assessment_id, participant_id, question_id);
ALTER TABLE ONLY area_settings
    ADD CONSTRAINT area_settings_pkey PRIMARY KEY (assessment_id, area_id);
ALTER TABLE ONLY assessments
    ADD CONSTRAINT assessments_pkey PRIMARY KEY (id);
ALTER TABLE ONLY consensus
    ADD CONSTRAINT consensus_pkey PRIMARY KEY (assessment_id, question_id);
ALTER TABLE ONLY efforts
    ADD CONSTRAINT efforts_pkey PRIMARY KEY (assessment_id, question_id);
ALTER TABLE ONLY imported_forms
    ADD CONSTRAINT imported_forms_pkey PRIMARY KEY (assessment_id, form_key);
ALTER TABLE ONLY join_attempts
    ADD CONSTRAINT join_attempts_pkey PRIMARY KEY (id);
ALTER TABLE ONLY participants
    ADD CONSTRAINT participants_pkey PRIMARY KEY (assessment_id, id);
ALTER TABLE ONLY workshop_areas
    ADD CONSTRAINT workshop_areas_pkey PRIMARY KEY (workshop_id, area_id);
ALTER TABLE ONLY workshop_participants
    ADD CONSTRAINT workshop_participants_pkey PRIMARY KEY (id);
ALTER TABLE ONLY workshops
    ADD CONSTRAINT workshops_code_hash_key UNIQUE (code_hash);
ALTER TABLE ONLY workshops
    ADD CONSTRAINT workshops_pkey PRIMARY KEY (id);
CREATE INDEX ix_actions_assessment ON actions USING btree (assessment_id, "position");
CREATE INDEX ix_assessments_updated_at ON assessments USING btree (updated_at);
CREATE INDEX ix_join_attempts_client ON join_attempts USING btree (client, at);
CREATE INDEX ix_join_attempts_session ON join_attempts USING btree (session, at);
CREATE INDEX ix_workshop_participants_workshop ON workshop_participants USING btree (workshop_id);
CREATE INDEX ix_workshops_assessment ON workshops USING btree (assessment_id);
CREATE INDEX ix_workshops_code_lookup ON workshops USING btree (code_lookup);
ALTER TABLE ONLY actions
    ADD CONSTRAINT actions_assessment_id_fkey FOREIGN KEY (assessment_id) REFERENCES assessments(id) ON DELETE CASCADE;
ALTER TABLE ONLY answers
    ADD CONSTRAINT answers_assessment_id_participant_id_fkey FOREIGN KEY (assessment_id, participant_id) REFERENCES participants(assessment_id, id) ON DELETE CASCADE;
ALTER TABLE ONLY area_settings
    ADD CONSTRAINT area_settings_assessment_id_fkey FOREIGN KEY (assessment_id) REFERENCES assessments(id) ON DELETE CASCADE;
ALTER TABLE ONLY consensus
    ADD CONSTRAINT consensus_assessment_id_fkey FOREIGN KEY (assessment_id) REFERENCES assessments(id) ON DELETE CASCADE;
ALTER TABLE ONLY efforts
    ADD CONSTRAINT efforts_assessment_id_fkey FOREIGN KEY (assessment_id) REFERENCES assessments(id) ON DELETE CASCADE;
ALTER TABLE ONLY imported_forms
    ADD CONSTRAINT imported_forms_assessment_id_participant_id_fkey FOREIGN KEY (assessment_id, participant_id) REFERENCES participants(assessment_id, id) ON DELETE CASCADE;
ALTER TABLE ONLY participants
    ADD CONSTRAINT participants_assessment_id_fkey FOREIGN KEY (assessment_id) REFERENCES assessments(id) ON DELETE CASCADE;
ALTER TABLE ONLY workshop_areas
    ADD CONSTRAINT workshop_areas_workshop_id_fkey FOREIGN KEY (workshop_id) REFERENCES workshops(id) ON DELETE CASCADE;
ALTER TABLE ONLY workshop_participants
    ADD CONSTRAINT workshop_participants_assessment_id_participant_id_fkey FOREIGN KEY (assessment_id, participant_id) REFERENCES participants(assessment_id, id) ON DELETE CASCADE;
ALTER TABLE ONLY workshop_participants
    ADD CONSTRAINT workshop_participants_workshop_id_fkey FOREIGN KEY (workshop_id) REFERENCES workshops(id) ON DELETE CASCADE;
ALTER TABLE ONLY workshops
    ADD CONSTRAINT workshops_assessment_id_fkey FOREIGN KEY (assessment_id) REFERENCES assessments(id) ON DELETE CASCADE;
