-- Limits on sign-in tries, code sends and uploads. One row per (scope, subject): a subject is
-- the SHA-256 of what is limited (a phone, a card number, a client address, an account and
-- address pair, a member), so the table is no list of phone numbers or addresses.
--
-- Every limit is enforced by ONE statement on a row here: an upsert whose DO UPDATE … WHERE
-- takes a try only while the row is under its limit (see src/throttle.rs), or an upsert that
-- locks the row for the rest of a transaction that counts and inserts. Both are atomic on
-- SQLite (one writer) and PostgreSQL (row lock).
CREATE TABLE auth_throttles (
    scope TEXT NOT NULL,
    subject TEXT NOT NULL,
    -- Tries taken in the current window (a try is counted before it is evaluated).
    hits BIGINT NOT NULL DEFAULT 0,
    window_start BIGINT NOT NULL DEFAULT 0,
    -- No try is taken before this time (Unix seconds); 0 when not blocked.
    blocked_until BIGINT NOT NULL DEFAULT 0,
    -- Blocks in a row without a success: each doubles the next delay (up to 64x).
    rounds BIGINT NOT NULL DEFAULT 0,
    last_at BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, subject)
);
CREATE INDEX auth_throttles_by_last ON auth_throttles (last_at);
