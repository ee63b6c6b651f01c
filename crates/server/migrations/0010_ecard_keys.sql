-- E-card tokens and offline codes verify once: the scanner's verification inserts the token's
-- id here, and a second insert of the same id fails (the primary key), atomically on both
-- databases. Rows are useless once `expires_at` has passed and are deleted then.
CREATE TABLE ecard_uses (
    id TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL
);
CREATE INDEX ecard_uses_by_expiry ON ecard_uses (expires_at);

-- Offline e-card device keys: one per member session (the newest provisioning replaces the
-- previous). The key itself is derived from the offline-card signing key `kid` and the id, so
-- nothing secret is stored; the row dies with its session (sign-out, sign-out everywhere, card
-- loss), and verification also checks the session, the card's status and `expires_at`.
CREATE TABLE ecard_devices (
    id TEXT PRIMARY KEY,
    session_hash TEXT NOT NULL UNIQUE REFERENCES sessions (token_hash) ON DELETE CASCADE,
    card_id TEXT NOT NULL REFERENCES cards (id),
    kid TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX ecard_devices_by_expiry ON ecard_devices (expires_at);
