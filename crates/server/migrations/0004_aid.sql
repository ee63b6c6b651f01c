-- Hardship aid (困难帮扶): programs with their windows, uploaded documents, applications with
-- their household and review history.

CREATE TABLE aid_programs (
    id TEXT PRIMARY KEY,
    -- send_warmth, golden_autumn, serious_illness or special_relief.
    kind TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    summary_zh TEXT NOT NULL,
    summary_en TEXT NOT NULL,
    -- One rule / document per line.
    rules_zh TEXT NOT NULL,
    rules_en TEXT NOT NULL,
    documents_zh TEXT NOT NULL,
    documents_en TEXT NOT NULL,
    -- The application window, inclusive, 'YYYY-MM-DD' in China Standard Time.
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    sort_order BIGINT NOT NULL
);

-- What a program pays: a fixed sum, a sum per school level, or a ceiling.
CREATE TABLE aid_program_amounts (
    program_id TEXT NOT NULL REFERENCES aid_programs (id),
    position BIGINT NOT NULL,
    label_zh TEXT NOT NULL,
    label_en TEXT NOT NULL,
    amount_fen BIGINT NOT NULL,
    -- A SchoolLevel code for 金秋助学, else NULL.
    school_level TEXT,
    up_to BIGINT NOT NULL,
    PRIMARY KEY (program_id, position)
);

-- Uploaded documents are kept in the database (not the file system), so every server
-- instance behind a load balancer can serve them and backups hold everything.
CREATE TABLE aid_attachments (
    id TEXT PRIMARY KEY,
    member_id TEXT NOT NULL REFERENCES members (id),
    filename TEXT NOT NULL,
    -- Sniffed from the bytes: image/jpeg, image/png or application/pdf.
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL,
    -- BYTEA in PostgreSQL; SQLite stores the blob as given.
    content BYTEA NOT NULL
);
CREATE INDEX aid_attachments_by_member ON aid_attachments (member_id);

CREATE TABLE aid_applications (
    id TEXT PRIMARY KEY,
    member_id TEXT NOT NULL REFERENCES members (id),
    program_id TEXT NOT NULL REFERENCES aid_programs (id),
    -- The client's Idempotency-Key and a hash of the body it came with: a retry with the same
    -- key returns this application; the same key with another body is refused.
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    household_monthly_income_fen BIGINT NOT NULL,
    hardship TEXT NOT NULL,
    -- 金秋助学 only.
    student_name TEXT,
    school_level TEXT,
    school TEXT,
    enrolment_year BIGINT,
    -- 大病救助 only.
    patient_name TEXT,
    diagnosis TEXT,
    hospital TEXT,
    out_of_pocket_fen BIGINT,
    declared_at BIGINT NOT NULL,
    approved_fen BIGINT,
    paid_on TEXT,
    paid_to_card TEXT,
    submitted_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (member_id, idempotency_key)
);
-- At most one live application per member and program; withdrawn or rejected ones do not
-- count, so the member may apply again.
CREATE UNIQUE INDEX aid_applications_one_live ON aid_applications (member_id, program_id)
    WHERE status <> 'withdrawn' AND status <> 'rejected';
CREATE INDEX aid_applications_by_status ON aid_applications (status, updated_at);

CREATE TABLE aid_household_members (
    application_id TEXT NOT NULL REFERENCES aid_applications (id),
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    relation TEXT NOT NULL,
    -- Full resident ID number: never leaves the server; responses carry the masked form.
    resident_id TEXT NOT NULL,
    occupation TEXT NOT NULL,
    PRIMARY KEY (application_id, position)
);

CREATE TABLE aid_application_attachments (
    application_id TEXT NOT NULL REFERENCES aid_applications (id),
    attachment_id TEXT NOT NULL REFERENCES aid_attachments (id),
    -- The history event that added it (submission or a supplement).
    event_id TEXT NOT NULL,
    PRIMARY KEY (application_id, attachment_id)
);

CREATE TABLE aid_application_events (
    id TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES aid_applications (id),
    status TEXT NOT NULL,
    -- member or reviewer.
    actor TEXT NOT NULL,
    at BIGINT NOT NULL,
    note TEXT,
    amount_fen BIGINT,
    -- Orders events of the same second.
    seq BIGINT NOT NULL
);
CREATE INDEX aid_application_events_by_application ON aid_application_events (application_id, seq);
