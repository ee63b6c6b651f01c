-- Core schema: organisations, members, cards, sessions, one-time codes, notifications.
-- Portable between SQLite and PostgreSQL: opaque TEXT ids, BIGINT for every integer
-- (amounts in fen, times in Unix seconds, counters, 0/1 flags), dates as 'YYYY-MM-DD' TEXT.

CREATE TABLE unions (
    id TEXT PRIMARY KEY,
    -- The organisation path from the city federation down, joined with ' / '.
    path_zh TEXT NOT NULL,
    path_en TEXT NOT NULL
);

CREATE TABLE members (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    -- Full resident ID number: never leaves the server; responses carry the masked form.
    resident_id TEXT NOT NULL UNIQUE,
    phone TEXT NOT NULL UNIQUE,
    union_id TEXT NOT NULL REFERENCES unions (id),
    joined_on TEXT NOT NULL,
    membership_status TEXT NOT NULL,
    real_name_verified BIGINT NOT NULL,
    password_hash TEXT,
    failed_password_attempts BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT NOT NULL DEFAULT 0,
    wechat_openid TEXT UNIQUE
);

CREATE TABLE cards (
    id TEXT PRIMARY KEY,
    member_id TEXT NOT NULL UNIQUE REFERENCES members (id),
    number TEXT UNIQUE,
    bank_zh TEXT NOT NULL,
    bank_en TEXT NOT NULL,
    status TEXT NOT NULL,
    applied_on TEXT,
    issued_on TEXT,
    activated_on TEXT,
    pin_hash TEXT,
    failed_pin_attempts BIGINT NOT NULL DEFAULT 0,
    pin_locked_until BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE card_events (
    id TEXT PRIMARY KEY,
    card_id TEXT NOT NULL REFERENCES cards (id),
    kind TEXT NOT NULL,
    at BIGINT NOT NULL,
    detail TEXT
);
CREATE INDEX card_events_by_card ON card_events (card_id, at);

CREATE TABLE sessions (
    -- SHA-256 of the cookie token: a database leak does not hand out sessions.
    token_hash TEXT PRIMARY KEY,
    member_id TEXT NOT NULL REFERENCES members (id),
    kind TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    idle_seconds BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_member ON sessions (member_id);

CREATE TABLE sms_codes (
    id TEXT PRIMARY KEY,
    phone TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    ip TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    failed_attempts BIGINT NOT NULL DEFAULT 0,
    used BIGINT NOT NULL DEFAULT 0,
    -- 0 when the phone is not registered: throttled the same, never delivered.
    delivered BIGINT NOT NULL
);
CREATE INDEX sms_codes_by_phone ON sms_codes (phone, created_at);
CREATE INDEX sms_codes_by_ip ON sms_codes (ip, created_at);

-- The development SMS gateway's outbox (only readable when the dev outbox is enabled).
CREATE TABLE dev_outbox (
    id TEXT PRIMARY KEY,
    phone TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    member_id TEXT NOT NULL REFERENCES members (id),
    kind TEXT NOT NULL,
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL,
    body_zh TEXT NOT NULL,
    body_en TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX notifications_by_member ON notifications (member_id, created_at);

CREATE TABLE service_centres (
    id TEXT PRIMARY KEY,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    level TEXT NOT NULL,
    district TEXT NOT NULL,
    address_zh TEXT NOT NULL,
    hours_zh TEXT NOT NULL,
    hours_en TEXT NOT NULL,
    phone TEXT NOT NULL,
    lat_e6 BIGINT NOT NULL,
    lng_e6 BIGINT NOT NULL
);

-- Server-wide secrets shared by every instance (e.g. the e-card token signing key).
CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
