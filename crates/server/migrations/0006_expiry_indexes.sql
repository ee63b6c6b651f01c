-- Expired sessions and old one-time codes are swept at sign-in and at code requests.
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
CREATE INDEX sms_codes_by_time ON sms_codes (created_at);
