-- Kiosk sign-in handed off to the member's own phone: the kiosk shows a code as a QR code,
-- the signed-in phone approves it (member_id set), the kiosk claims it once with its poll
-- token. Both secrets are stored as SHA-256 hashes; rows live two minutes.
CREATE TABLE kiosk_handoffs (
    code_hash TEXT PRIMARY KEY,
    poll_token_hash TEXT NOT NULL,
    member_id TEXT REFERENCES members (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX kiosk_handoffs_by_expiry ON kiosk_handoffs (expires_at);
