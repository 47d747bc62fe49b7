CREATE TABLE actions (
    id integer NOT NULL,
    assessment_id text NOT NULL,
    "position" integer NOT NULL,
    activity text NOT NULL,
    title text NOT NULL,
    owner text NOT NULL,
    due date,
    status text NOT NULL,
    note text NOT NULL
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
ALTER TABLE ONLY actions ALTER COLUMN id SET DEFAULT nextval('actions_id_seq'::regclass);
INSERT INTO actions VALUES (1, 'a1', 0, 'G1.1', 'Utbilda chefer', 'Anna', '2026-05-01', 'pågår', 'Start i maj');
INSERT INTO answers VALUES ('a1', 'p1', 'G1.1', '3', 'Vi mäter årligen', 0, '2025-03-14 09:30:00+00');
INSERT INTO answers VALUES ('a1', 'p1', 'G1.2', 'na', 'Ej relevant', 1, '2025-03-14 09:30:00+00');
INSERT INTO answers VALUES ('a1', 'p2', 'G1.1', 'unknown', '', 2, '2025-03-14 09:30:00+00');
INSERT INTO answers VALUES ('a2', 'p1', 'G1.1', '10', '', 0, '2025-03-14 09:30:00+00');
INSERT INTO area_settings VALUES ('a1', 'G1', 3.5, 2);
INSERT INTO assessments VALUES ('a1', 'nationell-handlingsplan-2025', '2', 'Region Östergötland', 'region', 'Vårdcentral Åby', 'vardgivare', '2025-03-14', '2025-03-14 09:30:00+00', '2025-03-14 09:30:00+00');
INSERT INTO assessments VALUES ('a2', 'nationell-handlingsplan-2025', '2', 'Kommun B', 'kommun', '', NULL, '2025-04-01', '2025-03-14 09:30:00+00', '2025-03-14 09:30:00+00');
INSERT INTO consensus VALUES ('a1', 'G1.1', '3', 'Enade efter diskussion', 0);
INSERT INTO efforts VALUES ('a1', 'G1.1', 'hög');
INSERT INTO participants VALUES ('a1', 'p1', 'Åsa Öberg', 'Chefläkare', 0);
INSERT INTO participants VALUES ('a1', 'p2', 'Erik', 'Sjuksköterska', 1);
INSERT INTO participants VALUES ('a2', 'p1', '', '', 0);
INSERT INTO schema_info VALUES (1);
SELECT pg_catalog.setval('actions_id_seq', 1, true);
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
ALTER TABLE ONLY participants
    ADD CONSTRAINT participants_pkey PRIMARY KEY (assessment_id, id);
CREATE INDEX ix_actions_assessment ON actions USING btree (assessment_id, "position");
CREATE INDEX ix_assessments_updated_at ON assessments USING btree (updated_at);
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
ALTER TABLE ONLY participants
    ADD CONSTRAINT participants_assessment_id_fkey FOREIGN KEY (assessment_id) REFERENCES assessments(id) ON DELETE CASCADE;
