-- The enrolled kiosk device a kiosk session was opened on: the session works only from that
-- device (its credential cookie) and ends when the device is revoked.
ALTER TABLE sessions ADD COLUMN device_id TEXT REFERENCES kiosk_devices (id);
