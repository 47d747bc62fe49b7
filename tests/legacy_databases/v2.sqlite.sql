BEGIN TRANSACTION;
CREATE TABLE actions (
	id INTEGER NOT NULL, 
	assessment_id TEXT NOT NULL, 
	position INTEGER NOT NULL, 
	activity TEXT NOT NULL, 
	title TEXT NOT NULL, 
	owner TEXT NOT NULL, 
	due DATE, 
	status TEXT NOT NULL, 
	note TEXT NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(assessment_id) REFERENCES assessments (id) ON DELETE CASCADE
);
INSERT INTO "actions" VALUES(1,'a1',0,'G1.1','Utbilda chefer','Anna','2026-05-01','pågår','Start i maj');
CREATE TABLE answers (
	assessment_id TEXT NOT NULL, 
	participant_id TEXT NOT NULL, 
	question_id TEXT NOT NULL, 
	value TEXT NOT NULL, 
	comment TEXT NOT NULL, 
	seq INTEGER NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (assessment_id, participant_id, question_id), 
	FOREIGN KEY(assessment_id, participant_id) REFERENCES participants (assessment_id, id) ON DELETE CASCADE
);
INSERT INTO "answers" VALUES('a1','p1','G1.1','3','Vi mäter årligen',0,'2025-03-14 09:30:00.000000');
INSERT INTO "answers" VALUES('a1','p1','G1.2','na','Ej relevant',1,'2025-03-14 09:30:00.000000');
INSERT INTO "answers" VALUES('a1','p2','G1.1','unknown','',2,'2025-03-14 09:30:00.000000');
INSERT INTO "answers" VALUES('a2','p1','G1.1','10','',0,'2025-03-14 09:30:00.000000');
CREATE TABLE area_settings (
	assessment_id TEXT NOT NULL, 
	area_id TEXT NOT NULL, 
	target FLOAT, 
	importance INTEGER, 
	PRIMARY KEY (assessment_id, area_id), 
	FOREIGN KEY(assessment_id) REFERENCES assessments (id) ON DELETE CASCADE
);
INSERT INTO "area_settings" VALUES('a1','G1',3.5,2);
CREATE TABLE assessments (
	id TEXT NOT NULL, 
	bank_id TEXT NOT NULL, 
	bank_version TEXT NOT NULL, 
	org_name TEXT NOT NULL, 
	org_kind TEXT NOT NULL, 
	unit TEXT NOT NULL, 
	audience TEXT, 
	date DATE NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "assessments" VALUES('a1','nationell-handlingsplan-2025','2','Region Östergötland','region','Vårdcentral Åby','vardgivare','2025-03-14','2025-03-14 09:30:00.000000','2025-03-14 09:30:00.000000');
INSERT INTO "assessments" VALUES('a2','nationell-handlingsplan-2025','2','Kommun B','kommun','',NULL,'2025-04-01','2025-03-14 09:30:00.000000','2025-03-14 09:30:00.000000');
CREATE TABLE consensus (
	assessment_id TEXT NOT NULL, 
	question_id TEXT NOT NULL, 
	value TEXT NOT NULL, 
	note TEXT NOT NULL, 
	seq INTEGER NOT NULL, 
	PRIMARY KEY (assessment_id, question_id), 
	FOREIGN KEY(assessment_id) REFERENCES assessments (id) ON DELETE CASCADE
);
INSERT INTO "consensus" VALUES('a1','G1.1','3','Enade efter diskussion',0);
CREATE TABLE efforts (
	assessment_id TEXT NOT NULL, 
	question_id TEXT NOT NULL, 
	effort TEXT NOT NULL, 
	PRIMARY KEY (assessment_id, question_id), 
	FOREIGN KEY(assessment_id) REFERENCES assessments (id) ON DELETE CASCADE
);
INSERT INTO "efforts" VALUES('a1','G1.1','hög');
CREATE TABLE participants (
	assessment_id TEXT NOT NULL, 
	id TEXT NOT NULL, 
	name TEXT NOT NULL, 
	role TEXT NOT NULL, 
	position INTEGER NOT NULL, 
	PRIMARY KEY (assessment_id, id), 
	FOREIGN KEY(assessment_id) REFERENCES assessments (id) ON DELETE CASCADE
);
INSERT INTO "participants" VALUES('a1','p1','Åsa Öberg','Chefläkare',0);
INSERT INTO "participants" VALUES('a1','p2','Erik','Sjuksköterska',1);
INSERT INTO "participants" VALUES('a2','p1','','',0);
CREATE TABLE schema_info (
	version INTEGER NOT NULL
);
INSERT INTO "schema_info" VALUES(2);
CREATE TABLE workshop_participants (
	id TEXT NOT NULL, 
	workshop_id TEXT NOT NULL, 
	assessment_id TEXT NOT NULL, 
	participant_id TEXT NOT NULL, 
	token_hash TEXT NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(assessment_id, participant_id) REFERENCES participants (assessment_id, id) ON DELETE CASCADE, 
	FOREIGN KEY(workshop_id) REFERENCES workshops (id) ON DELETE CASCADE
);
INSERT INTO "workshop_participants" VALUES('t1','w1','a1','p2','7777777777777777777777777777777777777777777777777777777777777777','2025-03-14 09:30:00.000000');
CREATE TABLE workshops (
	id TEXT NOT NULL, 
	assessment_id TEXT NOT NULL, 
	secret_hash TEXT NOT NULL, 
	code_hash TEXT NOT NULL, 
	code_lookup TEXT NOT NULL, 
	anonymous BOOLEAN NOT NULL, 
	state TEXT NOT NULL, 
	expires_after_s INTEGER, 
	created_at DATETIME NOT NULL, 
	closed_at DATETIME, 
	PRIMARY KEY (id), 
	FOREIGN KEY(assessment_id) REFERENCES assessments (id) ON DELETE CASCADE, 
	UNIQUE (code_hash)
);
INSERT INTO "workshops" VALUES('w1','a1','5555555555555555555555555555555555555555555555555555555555555555','cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc','cccccccc',0,'closed',3600,'2025-03-14 09:30:00.000000','2025-03-14 09:30:00.000000');
CREATE INDEX ix_assessments_updated_at ON assessments (updated_at);
CREATE INDEX ix_actions_assessment ON actions (assessment_id, position);
CREATE INDEX ix_workshops_assessment ON workshops (assessment_id);
CREATE INDEX ix_workshops_code_lookup ON workshops (code_lookup);
CREATE INDEX ix_workshop_participants_workshop ON workshop_participants (workshop_id);
COMMIT;
