-- Enrolled kiosk devices. An operator enrols one with `server admin kiosk enroll --name …`,
-- which prints a one-time enrolment token (valid one day); the kiosk's browser exchanges it for
-- a long-lived device credential in an HttpOnly cookie. Both are stored only as SHA-256 hashes.
-- Revoking (`admin kiosk revoke`) sets revoked_at; the credential stops working at once.
CREATE TABLE kiosk_devices (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    enrolment_hash TEXT UNIQUE,
    enrolment_expires_at BIGINT NOT NULL,
    credential_hash TEXT UNIQUE,
    created_at BIGINT NOT NULL,
    enrolled_at BIGINT,
    revoked_at BIGINT
);

-- The device that showed a hand-off QR code; only it can claim the sign-in.
ALTER TABLE kiosk_handoffs ADD COLUMN device_id TEXT REFERENCES kiosk_devices (id);
